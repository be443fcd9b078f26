/** The language server end to end: the bundled server process over stdio, a real JSON-RPC client. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { analyzePolicy } from '../../compiler/analyze.js';
import { formatPolicy } from '../../compiler/format/format.js';
import { assignRuleIds } from '../../compiler/ir/rule-ids.js';
import { parsePolicy } from '../../compiler/source/parse.js';
import { removeServerBundle, TestClient } from './client.js';
import type { LspDiagnostic } from './client.js';
import { ANCHOR_POLICY, BROKEN_POLICY, FIXED_POLICY } from './fixtures.js';

interface Edit {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  newText: string;
}
interface Action {
  title: string;
  kind: string;
  isPreferred?: boolean;
  edit: { changes: Record<string, Edit[]> };
}

/** Applies LSP text edits (non-overlapping) to a text. */
function applyEdits(text: string, edits: Edit[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

const URI = 'file:///work/policies/keyserver.yml';
let client: TestClient;

beforeAll(async () => {
  client = await TestClient.start();
  await client.open(URI, BROKEN_POLICY);
});
afterAll(async () => {
  await client.stop();
  removeServerBundle();
  expect(client.stderr).not.toMatch(/failed|Error/);
});

const at = (line: number, character: number) => ({ textDocument: { uri: URI }, position: { line, character } });

describe('diagnostics', () => {
  it('are exactly those of `kss check`: same codes, messages and ranges, with links to the docs', async () => {
    const published = await client.diagnosticsFor(URI, (d) => d.length > 0);
    const expected = analyzePolicy(BROKEN_POLICY, '/work/policies/keyserver.yml').diagnostics;
    expect(published.map((d) => [d.code, d.range.start.line + 1, d.range.start.character + 1, d.range.end.line + 1, d.range.end.character + 1]))
      .toEqual(expected.map((d) => [d.code, d.range.start.line, d.range.start.column, d.range.end.line, d.range.end.column]));
    for (const [i, d] of published.entries()) {
      expect(d.message.split('\n')[0]).toBe(expected[i]!.message);
      expect(d.source).toBe('kss');
      expect(d.codeDescription?.href).toBe(`https://docs.example/diagnostics/${d.code}.md`);
    }
    const byLine = (line: number) => published.filter((d) => d.range.start.line === line).map((d) => d.code);
    expect(byLine(1)).toContain('KSS1103'); // unknown rule kind
    expect(byLine(3)).toContain('KSS3005'); // throttle without rule_id
    expect(byLine(6)).toContain('KSS2001'); // meta-rule in search
    expect(byLine(9)).toContain('KSS3006'); // 9:00 read as 540 by YAML 1.1
    expect(published.find((d) => d.code === 'KSS1103')!.severity).toBe(1);
  });
});

describe('completion', () => {
  type Item = { label: string; sortText?: string; detail?: string; textEdit?: Edit };
  const labels = (items: Item[]) => items.map((i) => i.label);
  let opened = 0;
  const complete = async (text: string, line: number, character: number): Promise<Item[]> => {
    const uri = `file:///work/policies/complete-${++opened}.keyserver.yml`;
    await client.open(uri, text);
    const result = await client.request<Item[] | { items: Item[] }>('textDocument/completion', { textDocument: { uri }, position: { line, character } });
    return Array.isArray(result) ? result : result.items;
  };

  it('offers the request types not yet used at the top level', async () => {
    const items = await complete('decrypt:\n  - - rule: approve-rule\nse', 2, 2);
    expect(labels(items)).toContain('search');
    expect(labels(items)).toContain('start_session');
    expect(labels(items)).not.toContain('decrypt');
  });

  it('offers the rule kinds after `rule:`, without those the request type forbids', async () => {
    const items = await complete('search:\n  - - rule: ', 1, 12);
    expect(labels(items)).toContain('time-range-rule');
    expect(labels(items)).not.toContain('meta-rule');
    const decrypt = await complete('decrypt:\n  - - rule: ', 1, 12);
    expect(labels(decrypt)).toContain('meta-rule');
  });

  it('replaces the whole partial word, dashes included', async () => {
    const items = await complete('decrypt:\n  - - rule: meta-ru', 1, 19);
    const meta = items.find((i) => i.label === 'meta-rule')!;
    expect(meta.textEdit).toEqual({ range: { start: { line: 1, character: 12 }, end: { line: 1, character: 19 } }, newText: 'meta-rule' });
  });

  it('offers the arguments of the rule, those not yet written first', async () => {
    const text = 'decrypt:\n  - - rule: per-profile-throttle-rule\n      per_day: 3\n      \n';
    const items = await complete(text, 3, 6);
    expect(labels(items).sort()).toEqual(['per_day', 'per_hour', 'persistent', 'rule_id']);
    const order = [...items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? '')).map((i) => i.label);
    expect(order[order.length - 1]).toBe('per_day');
    const lists = await complete('decrypt:\n  - - rule: time-range-rule\n      \n', 2, 6);
    expect(lists.find((i) => i.label === 'days')!.textEdit!.newText).toBe('days: [$0]');
    expect(lists.find((i) => i.label === 'time_start')!.textEdit!.newText).toBe('time_start: ');
  });

  it('offers booleans and weekdays where the schema knows the values', async () => {
    const bools = await complete('decrypt:\n  - - rule: meta-rule\n      case_sensitive: ', 2, 22);
    expect(labels(bools)).toEqual(['true', 'false']);
    const days = await complete('decrypt:\n  - - rule: time-range-rule\n      days: [0, ', 2, 16);
    expect(labels(days)).toEqual(['0', '1', '2', '3', '4', '5', '6']);
    expect(days[0]!.detail).toBe('Monday');
  });
});

describe('hover', () => {
  type HoverResult = { contents: { kind: string; value: string }; range: Edit['range'] } | null;
  it('explains request types, rule kinds and arguments from the schemas', async () => {
    const type = await client.request<HoverResult>('textDocument/hover', at(5, 2));
    expect(type!.contents.value).toContain('**search** (request type)');
    expect(type!.contents.value).toMatch(/Rule kinds allowed: (?!.*meta-rule).*\n\nExample:\n\n```yaml\nsearch:\n/);
    const kind = await client.request<HoverResult>('textDocument/hover', at(3, 16));
    expect(kind!.contents.value).toContain('**per-profile-throttle-rule**');
    const arg = await client.request<HoverResult>('textDocument/hover', at(10, 8));
    expect(arg!.contents.value).toContain('**time_end**');
    expect(arg!.contents.value).toContain('```yaml');
    expect(arg!.range).toEqual({ start: { line: 10, character: 6 }, end: { line: 10, character: 14 } });
    expect(await client.request<HoverResult>('textDocument/hover', at(11, 0))).toBeNull();
  });
});

describe('document symbols', () => {
  it('form the outline request type → rule set → rule', async () => {
    type Sym = { name: string; children?: Sym[]; range: Edit['range'] };
    const symbols = await client.request<Sym[]>('textDocument/documentSymbol', { textDocument: { uri: URI } });
    const shape = (s: Sym): unknown => (s.children ? { [s.name]: s.children.map(shape) } : s.name);
    expect(symbols.map(shape)).toEqual([
      { decrypt: [{ 'rule set 0': ['meta-rul', 'per-profile-throttle-rule'] }] },
      { search: [{ 'rule set 0': ['meta-rule', 'time-range-rule'] }] },
    ]);
    expect(symbols[1]!.range.start.line).toBe(5);
  });

  it('keep the last outline while the YAML is half typed', async () => {
    type Sym = { name: string; range: Edit['range'] };
    const uri = 'file:///work/policies/outline.keyserver.yml';
    await client.open(uri, FIXED_POLICY);
    const before = await client.request<Sym[]>('textDocument/documentSymbol', { textDocument: { uri } });
    await client.change(uri, 2, 'decrypt:\n  - - rule: [meta-rule\n');
    await client.diagnosticsFor(uri, (d) => d.some((x) => x.code === 'KSS1001'));
    const during = await client.request<Sym[]>('textDocument/documentSymbol', { textDocument: { uri } });
    expect(during.map((s) => s.name)).toEqual(before.map((s) => s.name));
    for (const s of during) expect(s.range.end.line).toBeLessThanOrEqual(2);
  });
});

describe('code actions', () => {
  const actionsFor = async (code: string): Promise<{ diagnostic: LspDiagnostic; actions: Action[] }> => {
    const diagnostics = await client.diagnosticsFor(URI, (d) => d.length > 0);
    const diagnostic = diagnostics.find((d) => d.code === code)!;
    const actions = await client.request<Action[]>('textDocument/codeAction', {
      textDocument: { uri: URI },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic] },
    });
    return { diagnostic, actions };
  };

  it('fix misspelt rule kinds and arguments (did you mean)', async () => {
    const kind = await actionsFor('KSS1103');
    expect(kind.actions[0]!.title).toBe('Change to `meta-rule`');
    expect(kind.actions[0]!.isPreferred).toBe(true);
    expect(applyEdits(BROKEN_POLICY, kind.actions[0]!.edit.changes[URI]!).split('\n')[1]).toBe('  - - rule: meta-rule');
    const arg = await actionsFor('KSS1104');
    const fixed = applyEdits(BROKEN_POLICY, arg.actions.find((a) => a.title === 'Change to `per_day`')!.edit.changes[URI]!);
    expect(fixed.split('\n')[4]).toBe('      per_day: 10');
  });

  it('fix a misspelt request type', async () => {
    const uri = 'file:///work/policies/typo.keyserver.yml';
    const text = 'decrpyt:\n  - - rule: approve-rule\n';
    await client.open(uri, text);
    const [diagnostic] = await client.diagnosticsFor(uri, (d) => d.length > 0);
    const actions = await client.request<Action[]>('textDocument/codeAction', { textDocument: { uri }, range: diagnostic!.range, context: { diagnostics: [diagnostic] } });
    expect(actions.map((a) => a.title)).toEqual(['Change to `decrypt`']);
    expect(applyEdits(text, actions[0]!.edit.changes[uri]!)).toBe('decrypt:\n  - - rule: approve-rule\n');
  });

  it('remove a rule that its request type does not allow, leaving valid YAML', async () => {
    const { actions } = await actionsFor('KSS2001');
    const remove = actions.find((a) => a.title === 'Remove this `meta-rule`')!;
    const result = applyEdits(BROKEN_POLICY, remove.edit.changes[URI]!);
    expect(result.split('\n').slice(5, 9)).toEqual(['search:', '  - - rule: time-range-rule', '      time_start: 9:00', "      time_end: '17:00'"]);
    expect(parsePolicy(result).diagnostics).toEqual([]);
  });

  it('pin the throttle rule\'s current effective id as rule_id', async () => {
    const { actions } = await actionsFor('KSS3005');
    const pin = actions.find((a) => a.title.startsWith('Pin rule_id'))!;
    const ast = parsePolicy(BROKEN_POLICY).ast!;
    const id = assignRuleIds(ast).find((a) => a.node.kind === 'per-profile-throttle-rule')!.ruleId;
    const result = applyEdits(BROKEN_POLICY, pin.edit.changes[URI]!);
    expect(result.split('\n').slice(3, 6)).toEqual(['    - rule: per-profile-throttle-rule', `      rule_id: ${parseYaml(`v: ${id}`).v === id ? id : `'${id}'`}`, '      per_dya: 10']);
    const pinned = assignRuleIds(parsePolicy(result).ast!).find((a) => a.node.kind === 'per-profile-throttle-rule')!;
    expect(pinned).toMatchObject({ ruleId: id, explicit: true });
  });

  it('quote a value YAML 1.1 readers misread', async () => {
    const { actions } = await actionsFor('KSS3006');
    const quote = actions.find((a) => a.title.startsWith('Quote'))!;
    expect(applyEdits(BROKEN_POLICY, quote.edit.changes[URI]!).split('\n')[9]).toBe("      time_start: '9:00'");
  });
});

describe('inlay hints', () => {
  it('show the effective rule id after each rule without an explicit rule_id', async () => {
    type Hint = { position: { line: number; character: number }; label: string };
    const hints = await client.request<Hint[]>('textDocument/inlayHint', { textDocument: { uri: URI }, range: { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } } });
    const ids = assignRuleIds(parsePolicy(BROKEN_POLICY).ast!);
    expect(hints.map((h) => [h.position.line, h.label])).toEqual(ids.map((a) => [a.node.range.start.line - 1, `rule_id: ${a.ruleId}`]));
    expect(hints[0]!.position.character).toBe('  - - rule: meta-rul'.length);
  });
});

describe('formatting and definition', () => {
  it('formats exactly as `kss fmt`', async () => {
    const uri = 'file:///work/policies/messy.keyserver.yml';
    const messy = 'decrypt:\n- - per_day: 5   # five\n    rule: per-profile-throttle-rule\n';
    await client.open(uri, messy);
    const edits = await client.request<Edit[]>('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
    expect(applyEdits(messy, edits)).toBe(formatPolicy(messy).text);
  });

  it('warms the formatter up while idle after start, unless told not to, and formats alike after it', async () => {
    const warmed = async (c: TestClient) => {
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline && !c.logs.some((l) => l.startsWith('kss: formatter warmed up'))) await new Promise((r) => setTimeout(r, 50));
      return c.logs.some((l) => l.startsWith('kss: formatter warmed up'));
    };
    const uri = 'file:///work/policies/after-warm-up.keyserver.yml';
    const messy = 'decrypt:\n- - per_day:   5   # five\n    rule:  per-profile-throttle-rule\n';
    const on = await TestClient.start();
    const off = await TestClient.start({ formatWarmUp: false });
    try {
      expect(await warmed(on)).toBe(true);
      await on.open(uri, messy);
      const edits = await on.request<Edit[]>('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
      expect(applyEdits(messy, edits)).toBe(formatPolicy(messy).text);
      // The other server had as long to warm up, and did not.
      expect(off.logs.some((l) => l.startsWith('kss: formatter warmed up'))).toBe(false);
    } finally {
      await on.stop();
      await off.stop();
    }
  }, 30_000);

  it('goes from an alias to its anchor', async () => {
    const uri = 'file:///work/policies/anchors.keyserver.yml';
    await client.open(uri, ANCHOR_POLICY);
    const target = await client.request<{ uri: string; range: Edit['range'] }>('textDocument/definition', { textDocument: { uri }, position: { line: 5, character: 14 } });
    expect(target.uri).toBe(uri);
    expect(target.range.start).toEqual({ line: 2, character: 12 });
  });
});

describe('custom requests behind the extension commands', () => {
  it('kss/ruleIds lists every rule with its effective id', async () => {
    const result = await client.request<{ ruleIds: Array<{ requestType: string; kind: string; ruleId: string; explicit: boolean; line: number }> }>('kss/ruleIds', { uri: URI });
    expect(result.ruleIds.map((r) => [r.requestType, r.kind, r.line])).toEqual([
      ['decrypt', 'meta-rul', 1], ['decrypt', 'per-profile-throttle-rule', 3], ['search', 'meta-rule', 6], ['search', 'time-range-rule', 8],
    ]);
    expect(result.ruleIds.map((r) => r.ruleId)).toEqual(assignRuleIds(parsePolicy(BROKEN_POLICY).ast!).map((a) => a.ruleId));
  });

  it('kss/normalizedPolicy returns the lowered policy', async () => {
    const uri = 'file:///work/policies/fixed-ir.keyserver.yml';
    await client.open(uri, FIXED_POLICY);
    const result = await client.request<{ policy: { requestTypes: Array<{ type: string; ruleSets: Array<{ rules: Array<{ kind: string; ruleId: string }> }> }> }; errors: number }>('kss/normalizedPolicy', { uri });
    expect(result.errors).toBe(0);
    expect(result.policy.requestTypes.map((t) => t.type)).toEqual(['decrypt', 'search']);
    expect(result.policy.requestTypes[0]!.ruleSets[0]!.rules[1]).toMatchObject({ kind: 'per-profile-throttle-rule', ruleId: 'decrypt-daily' });
  });
});

describe('settings', () => {
  it('severity overrides from the editor apply at once, by code or check id', async () => {
    await client.diagnosticsFor(URI, (d) => d.some((x) => x.code === 'KSS1103'));
    client.settings = { severity: { KSS1103: 'off', 'throttle-without-rule-id': 'error' } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const changed = await client.diagnosticsFor(URI, (d) => !d.some((x) => x.code === 'KSS1103'));
    expect(changed.find((d) => d.code === 'KSS3005')!.severity).toBe(1);
    client.settings = { severity: {} };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.diagnosticsFor(URI, (d) => d.some((x) => x.code === 'KSS1103'));
  });
});

describe('editing', () => {
  it('diagnostics clear when the problems are fixed, and come back when they return', async () => {
    await client.diagnosticsFor(URI, (d) => d.length > 0);
    await client.change(URI, 2, FIXED_POLICY);
    expect(await client.diagnosticsFor(URI, (d) => d.length === 0)).toEqual([]);
    await client.change(URI, 3, FIXED_POLICY.replace('time-range-rule', 'time-rule'));
    const back = await client.diagnosticsFor(URI, (d) => d.length > 0);
    expect(back.map((d) => [d.code, d.range.start.line])).toEqual([['KSS1103', 7]]);
    await client.change(URI, 4, BROKEN_POLICY);
    await client.diagnosticsFor(URI, (d) => d.length > 1);
  });
});
