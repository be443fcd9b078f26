/**
 * Diagnostics while typing (issue 15): keystrokes that follow each other closely are one burst, and
 * the server analyses once, after it, instead of starting runs that the next keystroke makes stale.
 * An isolated edit is still analysed after the short debounce.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeServerBundle, TestClient } from './client.js';
import { BROKEN_POLICY, FIXED_POLICY } from './fixtures.js';

const URI = 'file:///typing/keyserver.yml';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let client: TestClient;
beforeAll(async () => {
  // A typing gap and pause far longer than the 20 ms between keystrokes below, so that a loaded
  // machine cannot stretch a gap into a pause: the test is about which versions are analysed, not speed.
  client = await TestClient.start({ debounceMs: 10, typingDebounceMs: 2000, typingGapMs: 1000 });
  await client.open(URI, FIXED_POLICY);
  await client.diagnosticsFor(URI);
});
afterAll(async () => {
  await client.stop();
  removeServerBundle();
});

describe('diagnostics while typing', () => {
  it('a burst of keystrokes is analysed once, at its last version', async () => {
    client.published.length = 0;
    const first = 2;
    const last = 11;
    for (let version = first; version <= last; version++) {
      await client.change(URI, version, version === last ? BROKEN_POLICY : `${FIXED_POLICY}#${'x'.repeat(version)}\n`);
      if (version < last) await sleep(20);
    }
    const diagnostics = await client.diagnosticsFor(URI, (d) => d.some((x) => x.code === 'KSS1103'));
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(client.published.filter((p) => p.uri === URI).map((p) => p.version)).toEqual([last]);
  });

  it('an isolated edit is analysed without waiting for the typing pause', async () => {
    await sleep(1100); // longer than the typing gap: the next change stands alone
    client.published.length = 0;
    const t0 = Date.now();
    await client.change(URI, 20, FIXED_POLICY);
    expect(await client.diagnosticsFor(URI, (d) => d.length === 0)).toEqual([]);
    expect(client.published.map((p) => p.version)).toEqual([20]);
    // Far under the 2 s typing pause even on a loaded machine.
    expect(Date.now() - t0).toBeLessThan(1500);
  });
});
