/** The policy page's comparison logic (console/src/lib/diff.ts), fed with the server's own line diff. */
import { describe, expect, it } from 'vitest';
import { defaultPair, diffPath, diffRows, diffSummary, witnessText } from '../../console/src/lib/diff.js';
import { lineDiff } from '../../runtime/diff/lines.js';

describe('comparing versions', () => {
  it('first compares the active version with the one before it (or after it, when the oldest is active)', () => {
    const v = (version: number, active = false) => ({ version, active });
    expect(defaultPair([v(3, true), v(2), v(1)])).toEqual({ from: 2, to: 3 });
    expect(defaultPair([v(3), v(2, true), v(1)])).toEqual({ from: 1, to: 2 });
    expect(defaultPair([v(3), v(2), v(1, true)])).toEqual({ from: 1, to: 2 });
    expect(defaultPair([v(1), v(2)])).toEqual({ from: 1, to: 2 });
    expect(defaultPair([v(1, true)])).toBeNull();
    expect(defaultPair([])).toBeNull();
    expect(diffPath(2, 3)).toBe('/v1/policies/diff?from=2&to=3');
  });

  it('numbers each row of the line diff on the side it is in, behind its hunk header', () => {
    const old = 'a\nb\nc\nd\n';
    const rows = diffRows(lineDiff(old, 'a\nB\nc\nd\ne\n')!);
    expect(rows.map((r) => [r.kind, r.old, r.new, r.text])).toEqual([
      ['hunk', null, null, '@@ -1,4 +1,5 @@'],
      ['same', 1, 1, 'a'], ['removed', 2, null, 'b'], ['added', null, 2, 'B'], ['same', 3, 3, 'c'], ['same', 4, 4, 'd'], ['added', null, 5, 'e'],
    ]);
    // Lines only added to an empty source, and only removed: the numbers start at 1 on the side that has lines.
    expect(diffRows(lineDiff('', 'x\n')!).map((r) => [r.kind, r.old, r.new])).toEqual([['hunk', null, null], ['added', null, 1]]);
    expect(diffRows(lineDiff('x\n', '')!).map((r) => [r.kind, r.old, r.new])).toEqual([['hunk', null, null], ['removed', 1, null]]);
  });

  it('says how many changes in which request types, or that nothing changes; a witness reads as simulator input', () => {
    expect(diffSummary({ changes: [], may_change: [] })).toBe('no change in decisions');
    expect(diffSummary({ changes: [{ request_type: 'decrypt' }, { request_type: 'decrypt' }, { request_type: 'rename' }], may_change: [{}] })).toBe('3 changes in decrypt, rename; 1 question it cannot decide ("may change")');
    expect(diffSummary({ changes: [{ request_type: 'decrypt' }], may_change: [] })).toBe('1 change in decrypt');
    expect(JSON.parse(witnessText({ request: { request_type: 'decrypt' }, at: '2026-12-02T00:00:00.000Z' }))).toEqual({ request_type: 'decrypt', at: '2026-12-02T00:00:00.000Z' });
  });
});
