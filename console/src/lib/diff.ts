/** The policy page's comparison of two versions (GET /v1/policies/diff): choices and rows to show. */

export interface VersionChoice {
  version: number;
  active: boolean;
}

/** What the page first compares: the version before the active one with the active one (newest first in `versions`). */
export function defaultPair(versions: readonly VersionChoice[]): { from: number; to: number } | null {
  if (versions.length < 2) return null;
  const sorted = [...versions].sort((a, b) => b.version - a.version);
  const at = Math.max(0, sorted.findIndex((v) => v.active));
  const to = sorted[at]!;
  const from = sorted[at + 1] ?? sorted[at - 1]!;
  return from.version < to.version ? { from: from.version, to: to.version } : { from: to.version, to: from.version };
}

export function diffPath(from: number, to: number): string {
  return `/v1/policies/diff?from=${from}&to=${to}`;
}

export interface DiffHunk {
  old_start: number;
  old_lines: number;
  new_start: number;
  new_lines: number;
  lines: Array<{ op: ' ' | '-' | '+'; text: string }>;
}

export interface DiffRow {
  kind: 'hunk' | 'same' | 'removed' | 'added';
  /** Line numbers in the old and new source (null on the side a line is not in, and for a hunk header). */
  old: number | null;
  new: number | null;
  text: string;
}

/** The hunks as rows with both line numbers, each hunk behind its `@@ -a,b +c,d @@` header. */
export function diffRows(hunks: readonly DiffHunk[]): DiffRow[] {
  const rows: DiffRow[] = [];
  for (const h of hunks) {
    rows.push({ kind: 'hunk', old: null, new: null, text: `@@ -${h.old_start},${h.old_lines} +${h.new_start},${h.new_lines} @@` });
    let o = h.old_lines === 0 ? h.old_start + 1 : h.old_start;
    let n = h.new_lines === 0 ? h.new_start + 1 : h.new_start;
    for (const l of h.lines) {
      if (l.op === ' ') rows.push({ kind: 'same', old: o++, new: n++, text: l.text });
      else if (l.op === '-') rows.push({ kind: 'removed', old: o++, new: null, text: l.text });
      else rows.push({ kind: 'added', old: null, new: n++, text: l.text });
    }
  }
  return rows;
}

/** How a screen reader announces a row (the +/- signs alone say little). */
export const ROW_LABEL: Record<DiffRow['kind'], string> = { hunk: 'lines', same: 'unchanged', removed: 'removed', added: 'added' };

export interface WitnessView {
  request: unknown;
  at: string;
}

/** A witness as one line a person can paste into the simulator: the request with its `at`. */
export function witnessText(w: WitnessView): string {
  return JSON.stringify({ ...(w.request as object), at: w.at });
}

/** The headline over the changes: how many, in which request types, or that nothing changes. */
export function diffSummary(report: { changes: Array<{ request_type: string }>; may_change: unknown[] }): string {
  const types = [...new Set(report.changes.map((c) => c.request_type))];
  const may = report.may_change.length > 0 ? `; ${report.may_change.length} question${report.may_change.length === 1 ? '' : 's'} it cannot decide ("may change")` : '';
  if (report.changes.length === 0) return `no change in decisions${may}`;
  return `${report.changes.length} change${report.changes.length === 1 ? '' : 's'} in ${types.join(', ')}${may}`;
}
