/** `kss lsp --stdio`: the same server, started from the built CLI. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_DIR } from '../support/shared.js';
import { removeServerBundle, TestClient } from './client.js';

const KSS = join(REPO_DIR, 'bin', 'kss.js');
const dir = mkdtempSync(join(tmpdir(), 'kss-lsp-cli-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  removeServerBundle();
});

describe('kss lsp', () => {
  it('serves diagnostics over stdio, honours the project config, and exits on `exit`', async () => {
    // The project's .kss.yml raises the missing-rule_id lint to an error, as `kss check` would.
    writeFileSync(join(dir, '.kss.yml'), 'severity:\n  KSS3005: error\n');
    const uri = pathToFileURL(join(dir, 'keyserver.yml')).toString();
    const client = await TestClient.start({ docsBaseUrl: undefined }, pathToFileURL(dir).toString(), [KSS, 'lsp', '--stdio']);
    try {
      await client.open(uri, 'decrypt:\n  - - rule: per-profile-throttle-rule\n      per_day: 3\n');
      const diagnostics = await client.diagnosticsFor(uri, (d) => d.length > 0);
      expect(diagnostics.map((d) => [d.code, d.severity, d.range.start.line])).toEqual([['KSS3005', 1, 1]]);
      // Run from a checkout, the link goes to the code's page in docs/diagnostics, which exists.
      const href = diagnostics[0]!.codeDescription!.href;
      expect(href).toBe(pathToFileURL(join(REPO_DIR, 'docs', 'diagnostics', 'KSS3005.md')).toString());
      expect(existsSync(fileURLToPath(href))).toBe(true);
      // The author turns the lint off in .kss.yml; the client reports the file change.
      writeFileSync(join(dir, '.kss.yml'), 'severity:\n  KSS3005: off\n');
      client.forget(uri);
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(join(dir, '.kss.yml')).toString(), type: 2 }] });
      expect(await client.diagnosticsFor(uri, (d) => d.length === 0)).toEqual([]);
    } finally {
      await client.stop();
    }
    expect(client.exited).toBe(0);
  });

  it('kss/checkWorkspace finds keyserver.yml and *.keyserver.yml files and reports on each', async () => {
    const root = mkdtempSync(join(dir, 'ws-'));
    writeFileSync(join(root, 'keyserver.yml'), 'decrypt:\n  - - rule: approve-rule\n');
    writeFileSync(join(root, 'staging.keyserver.yml'), 'decrypt:\n  - - rule: aprove-rule\n');
    writeFileSync(join(root, 'other.yml'), 'decrypt: 1\n');
    const client = await TestClient.start({}, pathToFileURL(root).toString(), [KSS, 'lsp', '--stdio']);
    try {
      const result = await client.request<{ files: Array<{ uri: string; errors: number }> }>('kss/checkWorkspace', {});
      expect(result.files.map((f) => [f.uri.slice(f.uri.lastIndexOf('/') + 1), f.errors])).toEqual([['keyserver.yml', 0], ['staging.keyserver.yml', 1]]);
      const published = await client.diagnosticsFor(pathToFileURL(join(root, 'staging.keyserver.yml')).toString());
      expect(published.map((d) => d.code)).toEqual(['KSS1103']);
    } finally {
      await client.stop();
    }
  });

  it('without --stdio it explains how editors start it', () => {
    const result = spawnSync(process.execPath, [KSS, 'lsp'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('kss lsp --stdio');
  });
});
