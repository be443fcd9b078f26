/**
 * docs/admin-guide.md, run: every command of the administrator's guide, in order, in a scratch
 * directory, against real processes (a real `kss serve`, real SQLite files, the real MariaDB of
 * the test run for the cluster part), each checked against the output the guide shows.
 *
 * The guide's placeholders are replaced for the run: its ports by free ones (other test runs
 * share the machine), its database URIs by fresh databases of the test MariaDB.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropDatabase, freshDatabase } from '../cluster/support/mysql.js';
import { KSS, ROOT } from '../server/cli-helpers.js';
import { isCommand, outputPattern, parseGuide, runSession, type Outcome, type Step } from './transcript.js';

const GUIDE = join(ROOT, 'docs', 'admin-guide.md');
const PORTS = ['8443', '8444', '8445'];
const DATABASES = ['mysql://kss@db.example.internal:3306/kss_moved', 'mysql://kss@db.example.internal:3306/kss'];

/** `n` distinct free ports (all held open while they are picked). */
async function freePorts(n: number): Promise<string[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
      const s = createServer().listen(0, '127.0.0.1', () => resolve(s)).on('error', reject);
    })),
  );
  const ports = servers.map((s) => String((s.address() as { port: number }).port));
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/**
 * A zone where it is about noon now: the guide's per-day quota must not meet midnight during the
 * run (the counts it shows would start again). Etc/GMT names have the sign the other way round.
 */
function noonZone(now = new Date()): string {
  const offset = ((12 - now.getUTCHours() + 36) % 24) - 12;
  return offset === 0 ? 'UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

function replaceAll(text: string, map: Array<[string, string]>): string {
  return map.reduce((t, [from, to]) => t.split(from).join(to), text);
}

const steps = parseGuide(readFileSync(GUIDE, 'utf8'));
const sections = [...new Set(steps.filter(isCommand).map((s) => s.section))];
const root = mkdtempSync(join(tmpdir(), 'kss-guide-'));
const uris: string[] = [];
let run: { outcomes: Outcome[]; leftRunning: string; stderr: string };
let swap: Array<[string, string]> = [];

beforeAll(async () => {
  for (const tool of ['curl', 'jq', 'timeout']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status !== 0) throw new Error(`the guide's commands need \`${tool}\` on PATH (test/support/tools-setup.ts installs it from Debian when it can)`);
  }
  for (const _ of DATABASES) uris.push(await freshDatabase());
  const ports = await freePorts(PORTS.length);
  swap = [...PORTS.map((p, i): [string, string] => [p, ports[i]!]), ...DATABASES.map((d, i): [string, string] => [d, uris[i]!])];
  const bin = join(root, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'kss'), `#!/bin/sh\nexec "${process.execPath}" "${KSS}" "$@"\n`);
  chmodSync(join(bin, 'kss'), 0o755);
  const work = join(root, 'work');
  mkdirSync(work);
  const concrete: Step[] = steps.map((s) => (isCommand(s) ? { ...s, text: replaceAll(s.text, swap) } : s));
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, KSS_BACKUP_PASSPHRASE: '', KSS_DB_PASSWORD: '', KSS_LOG_LEVEL: '', TZ: noonZone() };
  run = await runSession(concrete, { cwd: work, scriptDir: join(root, 'script'), env, timeoutMs: 170_000 });
}, 180_000);

afterAll(async () => {
  for (const uri of uris) await dropDatabase(uri);
  rmSync(root, { recursive: true, force: true });
});

describe('docs/admin-guide.md, every command run', { timeout: 200_000 }, () => {
  it('has console sessions in every part of the life cycle', () => {
    for (const part of ['create', 'policy', 'enable', 'token', 'quota', 'audit', 'save-backup-key', 'recovery-ingest-key', '--db-uri', 'initialize', 'clone-db', 'instance list', 'instance remove']) {
      expect(steps.some((s) => isCommand(s) && s.text.includes(part)), `the guide runs no \`${part}\``).toBe(true);
    }
  });

  for (const section of sections) {
    it(section, () => {
      steps.forEach((step, i) => {
        if (!isCommand(step) || step.section !== section) return;
        const got = run.outcomes[i]!;
        const output = got.output === '' || got.output.endsWith('\n') ? got.output : `${got.output}\n`;
        const where = `docs/admin-guide.md:${step.line}: $ ${step.text}`;
        expect(got.status, `${where}\nnot run (the session stopped before it)\n${run.stderr}`).not.toBeNull();
        const expected = step.expected.map((l) => replaceAll(l, swap));
        expect({ status: got.status, output }, where).toEqual({ status: step.status, output: expect.stringMatching(outputPattern(expected)) });
      });
    });
  }

  it('leaves no server running', () => {
    expect(run.leftRunning).toBe('');
  });
});
