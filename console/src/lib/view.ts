/** Small pure helpers the pages share: filters, labels and messages shown to the administrator. */

export interface QuotaRow {
  rule_id: string;
  profile_id: string;
  hour_count: number;
  day_count: number;
  at_quota: boolean;
  persistent: boolean;
  instance?: string | null;
}

/** Rows whose profile id or rule id contains `text` (case-insensitive); `atQuotaOnly` keeps those at quota. */
export function filterQuota(rows: readonly QuotaRow[], text: string, atQuotaOnly: boolean): QuotaRow[] {
  const t = text.trim().toLowerCase();
  return rows.filter((r) => (!atQuotaOnly || r.at_quota) && (t === '' || r.profile_id.includes(t) || r.rule_id.toLowerCase().includes(t)));
}

/** One line per distinct profile, for the clear buttons: a profile appears once however many rules count it. */
export function profilesOf(rows: readonly QuotaRow[]): string[] {
  return [...new Set(rows.map((r) => r.profile_id))].sort();
}

export interface DiagnosticView {
  code: string;
  severity: string;
  message: string;
  help?: string;
  range?: { start?: { line: number; column: number; offset?: number } };
}

/** `line 3, column 5: error KSS1001 message` as the policy page lists it. */
export function diagnosticLabel(d: DiagnosticView): string {
  const at = d.range?.start ? `line ${d.range.start.line}, column ${d.range.start.column}: ` : '';
  return `${at}${d.severity} ${d.code} ${d.message}`;
}

/** The first `n` hex digits of a sha-256, enough to tell versions apart on screen. */
export function shortSha(sha: string | null | undefined, n = 12): string {
  return sha ? sha.slice(0, n) : '';
}

/** A hex profile id of 32 digits, as the server wants it; the message says what is wrong. */
export function profileFilterProblem(text: string): string | null {
  const t = text.trim();
  if (t === '') return null;
  return /^[0-9a-fA-F]{32}$/.test(t) ? null : 'a profile id is 32 hex digits (0-9, a-f)';
}

export interface AuditRow {
  seq: number;
  at: string;
  kind: string;
  actor: string;
  data: Record<string, unknown>;
}

/** What an audit entry says in a few words (a decision: its outcome and rule set). */
export function auditSummary(e: AuditRow): string {
  const d = e.data;
  if (e.kind === 'decision') {
    const outcome = d.approved ? `approved by rule set ${String(d.rule_set)}` : 'denied';
    const rules = Array.isArray(d.rule_ids) && d.rule_ids.length ? ` (${d.rule_ids.join(', ')})` : '';
    return `${String(d.request_type)} ${outcome}${rules}`;
  }
  const parts = Object.entries(d).filter(([, v]) => v !== null && typeof v !== 'object').map(([k, v]) => `${k}=${String(v)}`);
  return parts.join(' ');
}

/**
 * Reads the simulator's JSON text: the request object, and `at` taken out of it when present
 * (as `kss explain` reads a request file). A problem is a message, never an exception.
 */
export function readSimulatorInput(text: string, at: string): { body: { request: unknown; at?: string } } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { problem: `the request is not valid JSON: ${(e as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: 'the request must be a JSON object' };
  const { at: inside, ...request } = value as Record<string, unknown>;
  const when = at.trim() || (typeof inside === 'string' ? inside : '');
  return { body: when ? { request, at: when } : { request } };
}
