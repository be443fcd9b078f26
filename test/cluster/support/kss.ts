/** Running the real CLI (`node bin/kss.js ...`) and real `kss serve` processes for the cluster tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { answerFields, verifyDecision, type DecisionAnswer } from '../../../runtime/identity/sign.js';

export const REPO_DIR = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const KSS_BIN = process.env.KSS_TEST_BIN ?? resolve(REPO_DIR, 'bin', 'kss.js');

export interface KssResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function kss(args: string[], env: Record<string, string> = {}): Promise<KssResult> {
  return new Promise((done, fail) => {
    const p = spawn(process.execPath, [KSS_BIN, ...args], { cwd: REPO_DIR, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('error', fail);
    p.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

/** Like kss() but throws with the output when the command fails. */
export async function kssOk(args: string[], env: Record<string, string> = {}): Promise<string> {
  const r = await kss(args, env);
  if (r.code !== 0) throw new Error(`kss ${args.join(' ')} exited ${r.code}\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

export interface Served {
  url: string;
  proc: ChildProcess;
  /** Everything the server wrote to stderr so far (its JSON log). */
  log(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `kss serve ... --port 0` and resolves once it prints where it listens. */
export function serve(args: string[], env: Record<string, string> = {}): Promise<Served> {
  return new Promise((done, fail) => {
    const proc = spawn(process.execPath, [KSS_BIN, 'serve', '--port', '0', '--tz', 'UTC', ...args], {
      cwd: REPO_DIR, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const exited = new Promise<void>((r) => proc.on('exit', () => r()));
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      fail(new Error(`kss serve did not start within 20 s\n${err}`));
    }, 20_000);
    proc.stderr!.on('data', (d) => (err += d));
    proc.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{"listening"'));
      if (!line) return;
      clearTimeout(timer);
      done({
        url: (JSON.parse(line) as { listening: string }).listening,
        proc,
        log: () => err,
        async kill(signal = 'SIGTERM') {
          if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
          await exited;
        },
      });
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`kss serve exited (${code}) before listening\n${err}`));
    });
  });
}

export const PROFILE = '00112233445566778899aabbccddeeff';

export function decryptRequest(profileId = PROFILE): Record<string, unknown> {
  return {
    request_type: 'decrypt', device_id: 'aa01', cryptographic_id: 'bb02',
    profile: { profile_id: profileId, profile_words: ['correct', 'horse', 'battery', 'staple'] },
    auth_meta: [{ meta: 'finance/report.pdf', complete: true }],
  };
}

export interface Answer {
  status: number;
  body: { approved?: boolean; rule_set?: number | null; error?: string };
}

/** POST /v1/requests; network failures (a killed instance) reject. */
export async function ask(url: string, token: string, body: unknown, timeoutMs = 10_000): Promise<Answer> {
  const res = await fetch(`${url}/v1/requests`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

/** One decision from `url`, checked against the public key that instance publishes. */
export async function signedDecision(url: string, token: string): Promise<{ publicKey: string; keyserverId: string; valid: boolean }> {
  const body = JSON.stringify(decryptRequest());
  const res = await fetch(`${url}/v1/requests`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
  if (res.status !== 200) throw new Error(`POST /v1/requests answered ${res.status}`);
  const d = (await res.json()) as DecisionAnswer;
  const status = (await (await fetch(`${url}/v1/status`)).json()) as { keyserver_id: string; public_key: string };
  const fields = answerFields(status.keyserver_id, body, d);
  return { publicKey: status.public_key, keyserverId: status.keyserver_id, valid: verifyDecision(status.public_key, fields, d.signature, { batch: d.batch }) };
}
