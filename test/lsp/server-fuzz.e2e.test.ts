/** The server process under random edits: every request is answered, nothing is logged as failed, it stays up. */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeServerBundle, TestClient } from './client.js';
import { applyEdit, edit, positions } from './edits.js';
import { BROKEN_POLICY, FIXED_POLICY } from './fixtures.js';

const URI = 'file:///fuzz/keyserver.yml';
let client: TestClient;
beforeAll(async () => {
  client = await TestClient.start({ debounceMs: 0 });
  await client.open(URI, BROKEN_POLICY);
});
afterAll(async () => {
  await client.stop();
  removeServerBundle();
});

describe('server under random edits', () => {
  it('answers every request for half-typed and garbage documents and keeps publishing diagnostics', async () => {
    const script = fc.sample(fc.tuple(fc.array(edit, { minLength: 1, maxLength: 3 }), fc.array(fc.nat(), { minLength: 2, maxLength: 2 })), { numRuns: 40, seed: 5 });
    let text = BROKEN_POLICY;
    let version = 1;
    for (const [edits, picks] of script) {
      for (const e of edits) text = applyEdit(text, e);
      await client.change(URI, ++version, text);
      const doc = { textDocument: { uri: URI } };
      const requests: Array<Promise<unknown>> = [
        client.request('textDocument/documentSymbol', doc),
        client.request('textDocument/inlayHint', { ...doc, range: { start: { line: 0, character: 0 }, end: { line: 999, character: 0 } } }),
        client.request('textDocument/formatting', { ...doc, options: { tabSize: 2, insertSpaces: true } }),
        client.request('kss/ruleIds', { uri: URI }),
        client.request('kss/normalizedPolicy', { uri: URI }),
      ];
      for (const position of positions(text, picks)) {
        requests.push(
          client.request('textDocument/completion', { ...doc, position }),
          client.request('textDocument/hover', { ...doc, position }),
          client.request('textDocument/definition', { ...doc, position }),
          client.request('textDocument/codeAction', { ...doc, range: { start: position, end: position }, context: { diagnostics: client.diagnostics.get(URI) ?? [] } }),
        );
      }
      await Promise.all(requests);
    }
    expect(client.exited).toBeNull();
    await client.change(URI, ++version, FIXED_POLICY);
    expect(await client.diagnosticsFor(URI, (d) => d.length === 0)).toEqual([]);
    expect(client.stderr).toBe('');
  });
});
