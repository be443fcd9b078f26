/**
 * Random policies and request sequences "of the same kind" as the conformance cases: the same rule
 * kinds and argument shapes, patterns drawn from the cases and mutated, times with and without zones
 * and am/pm, and requests near hour and day boundaries. Written from SPEC.md and the cases, not from
 * our evaluator, so it does not inherit its blind spots.
 */
import fc from 'fast-check';
import type { OracleJob } from './python-oracle.js';

// ------------------------------------------------------------------ vocabulary (from the cases)

const COMPONENTS = ['2022', 'HR', 'Sub', 'Sub_2', 'a.b', 'café', 'co77mp', 'comp', 'finance', 'hr', 'little sub',
  'littlesub', 'path', 'public', 'reports', 'root', 'sub', 'tax', 'taxes', 'taxi', 'x', 'Über', 'über'];
const FILES = ['basename.ext', 'Basename.EXT', 'baseonly', 'data.csv', 'notes.txt', 'otherfile.whatever', 'README',
  'report.pdf', 'secret.doc', 'taxes.xlsx', 'a.b'];
// Case-folding corner cases of str.lower() / re.IGNORECASE against JavaScript (SPEC appendix).
// Python's re.IGNORECASE also equates i/ı, s/ſ, µ/μ, β/ϐ, ṡ/ẛ, ﬅ/ﬆ and lowers İ to i.
const EXOTIC = ['STRASSE', 'straße', 'ẞ', 'ΣΑΣ', 'σας', 'ΟΔΟΣ', 'İstanbul', 'ǅ', 'ﬁle', 'K', 'ſ', 'café', 'Ω', '😀x', 'ǈ',
  'taxı', 'TAXİ', 'µ', 'μ', 'ϐeta', 'βeta', 'ẛ', 'ṡ', 'ﬅ', 'ﬆ', '٢٠٢٢', 'a\u00a0b', 'e\u0301', 'ǰ', 'ŉ'];
// Regex metacharacters: path patterns are literal text, so the translation must escape them all.
const PUNCT = ['a+b', 'x?', '(1)', '[x]', '$HOME', '^up', 'n{2}', 'a|b', 'back\\slash', 'dot.', '.hidden', '-', 'a b', '#x', '~', '%20'];
const WORDS = ['apple', 'battery', 'busy', 'cactus', 'correct', 'diamond', 'hands', 'horse', 'humble', 'lamp', 'much',
  'quiet', 'river', 'stone', 'staple', 'zebra'];

const CASE_PATHS = ['!*.csv', '!*.doc', '!/*comp', '!/2022', '!/HR*', '!/HR/', '!/HR/little sub', '!/café', '!/café/',
  '!/co77mp', '!/comp/Sub', '!/financ*e', '!/littlesub/', '!/public/public', '!/reports', '!/root', '!/x/',
  '!Basename.EXT', '!HR/', '!README.*', '!Sub*', '!basename.*', '!data.csv', '!sub/tax', '!ta*xi', '!taxes/',
  '!taxes/taxes', '!x/co77mp', '*.csv', '*.doc', '*.ext', '*.pdf', '*Sub_2', '*a.b', '/*a.b', '/*hr', '/20*22',
  '/2022/', '/H*R', '/HR', '/Sub/', '/Sub_2/', '/a.b/path', '/a.b/Über', '/c*omp', '/ca*fé', '/café/2022',
  '/co77mp/', '/comp', '/fina*nce', '/finance/hr', '/finance/little sub', '/hr', '/hr/', '/little sub/',
  '/littlesub', '/public', '/reports/', '/root/path', '/sub', '/tax/root', '/taxes/taxi', '/taxi', '/x/Sub',
  '/Über', '/Über/', '2022/', '2022/taxes', 'README', 'README.*', 'baseonly', 'basename.ext', 'hr/', 'littlesub/',
  'public/', 'otherfile.*', 'taxes.xlsx', 'Über/x', 'baseonly.*'];
const CASE_REGEXES = ['!S[a-z]+_2', '!\\.pdf$', '!^root/', '!^x$', '!tax(es|i)', '!ä|é', '[0-9]{4}', '(?:finance|hr)/',
  'S[a-z]+_2', '\\.pdf$', '^public', '^root/', '^x$', 'hr/.*\\.csv$', 'reg.*ex', 'sub', 'tax(es|i)', 'ä|é'];
// Constructs whose meaning differs between Python re and JavaScript (SPEC appendix): the product
// must either translate them exactly or reject them; either way it must never decide differently.
const DIALECT_REGEXES = ['\\d{4}', '^\\w+/', '\\bhr\\b', '(?i)HR', '(?P<y>ta)x(?P=y)?', 'taxi\\Z', '\\Ahr', 'x{,2}$',
  '[a-z]{,3}\\.pdf', 'x$', '(?s)a.b', '(?x) h r  # hr', '(?i:HR)/', '(?<=/)hr', '(?<!x)/taxi', '\\.(pdf|doc)$',
  'é', 'ü', 'ß', 'ss', 'σ', 'ς', 'k', 'ſ', 'i̇', '\\s', '\\W', '[^/]+/[^/]+$', '\\u00e9', '\\x41', '\\S+\\.EXT',
  '^[\\w ]+$', '(a|b)\\1', '[[]', '\\$', 'é|É', '^.{3}$', '.*',
  'caf\\b', '\\w+$', '[^\\W\\d]+', '\\D\\S', '(?-i:HR)', '(?a)^\\w+$', '(?#note)tax', '[]a]', '[^]a]x', 'a{', 'x{2,}',
  '\\N{LATIN SMALL LETTER E WITH ACUTE}', 'taxi', 'TAXI', 'İ', 'ı', 'ſ', 'µ', 'ϐ', 'ẛ', 'ﬅ', 'K', '\\d+', '^\\d', '[٠-٩]',
  '(?i)İ', '\\x{41}', '\\u0130', '(?<=ta)x', '\\B', '^$', '(?:)', 'a++', '(?>ta)x', '\\z', '\\p{L}', '[\\s\\S]'];

/**
 * KSS_ORACLE_EDGES=1 adds inputs on which we knowingly differed from the reference (see
 * reference-edges.test.ts): metas ending in a newline, `dir//` patterns, `UTC`/`GMT` after times.
 * Off by default so a random run fails only on something new; turn on once those tests pass.
 */
const EDGES = process.env.KSS_ORACLE_EDGES === '1';

const DAYS0 = Date.UTC(2022, 2, 7); // the cases live in 2022-03-07 .. 2022-03-20
const DAY_MS = 86_400_000;

/** The cases' zones, and zones with daylight saving (SPEC 4.6), Lord Howe's 30-minute one included. */
export const ZONES = ['UTC', '+04:00', '-05:00', 'Asia/Kolkata', 'Europe/Paris', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe'] as const;

/** The 2022 changes of the clocks of the zones that have them (UTC instants). */
const CHANGES: Record<string, string[]> = {
  'Europe/Paris': ['2022-03-27T01:00:00Z', '2022-10-30T01:00:00Z'],
  'America/New_York': ['2022-03-13T07:00:00Z', '2022-11-06T06:00:00Z'],
  'Europe/London': ['2022-03-27T01:00:00Z', '2022-10-30T01:00:00Z'],
  'Australia/Lord_Howe': ['2022-04-02T15:00:00Z', '2022-10-01T15:30:00Z'],
};

// ------------------------------------------------------------------ small helpers

const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const mixCase = (s: string) => fc.constantFrom(s, s.toLowerCase(), s.toUpperCase());

// ------------------------------------------------------------------ meta-rule

const component = fc.oneof({ weight: 6, arbitrary: pick(COMPONENTS) }, { weight: 2, arbitrary: pick(FILES) },
  { weight: 1, arbitrary: pick(EXOTIC) }, { weight: 1, arbitrary: pick(PUNCT) });

/** A path pattern built like the cases' ones: optional `!`, `/`, `*`, trailing `/`. */
const builtPath = fc.record({
  inverted: fc.boolean(),
  lead: fc.constantFrom('', '', '/', '*'),
  parts: fc.array(component, { minLength: 1, maxLength: 3 }),
  star: fc.option(fc.nat(20), { nil: undefined }),
  trail: fc.constantFrom('', '', '', '/', ...(EDGES ? ['//'] : [])),
  caseOf: fc.constantFrom('as-is', 'lower', 'upper'),
}).map(({ inverted, lead, parts, star, trail, caseOf }) => {
  let body = parts.join('/');
  if (caseOf === 'lower') body = body.toLowerCase();
  if (caseOf === 'upper') body = body.toUpperCase();
  if (star !== undefined) {
    const at = star % (body.length + 1);
    body = body.slice(0, at) + '*' + body.slice(at);
  }
  return (inverted ? '!' : '') + lead + body + trail;
});

const casePath = fc.tuple(pick(CASE_PATHS), fc.boolean()).map(([p, flip]) =>
  flip ? (p.startsWith('!') ? p.slice(1) : '!' + p) : p);

const pathPattern = fc.oneof(casePath, builtPath);
const regex = fc.oneof({ weight: 3, arbitrary: pick(CASE_REGEXES) }, { weight: 2, arbitrary: pick(DIALECT_REGEXES) },
  { weight: 1, arbitrary: fc.tuple(pick(DIALECT_REGEXES), fc.boolean()).map(([r, inv]) => (inv ? '!' + r : r)) });

const optionalBool = fc.constantFrom(undefined, undefined, true, false);

const metaRule = fc.record({
  paths: fc.array(pathPattern, { maxLength: 4 }),
  regexes: fc.array(regex, { maxLength: 2 }),
  case_sensitive: optionalBool,
  require_complete: optionalBool,
}).filter((r) => r.paths.length + r.regexes.length > 0).map((r) => {
  const rule: Record<string, unknown> = { rule: 'meta-rule' };
  if (r.paths.length > 0) rule.paths = r.paths;
  if (r.regexes.length > 0) rule.regexes = r.regexes;
  if (r.case_sensitive !== undefined) rule.case_sensitive = r.case_sensitive;
  if (r.require_complete !== undefined) rule.require_complete = r.require_complete;
  return rule;
});

// ------------------------------------------------------------------ profiles

export interface Profile { profile_id: string; profile_words: string[] }

export const profilePool = fc.array(
  fc.record({
    profile_id: fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => Buffer.from(b).toString('hex')),
    profile_words: fc.array(pick(WORDS), { minLength: 8, maxLength: 8 }),
  }),
  { minLength: 3, maxLength: 5 },
);

const profileEntry = (pool: Profile[]) => fc.oneof(
  { weight: 3, arbitrary: fc.tuple(pick(pool), fc.constantFrom('lower', 'lower', 'upper')).map(([p, c]) => (c === 'upper' ? p.profile_id.toUpperCase() : p.profile_id)) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => Buffer.from(b).toString('hex')) },
  { weight: 3, arbitrary: fc.tuple(pick(pool), fc.integer({ min: 4, max: 6 })).map(([p, n]) => p.profile_words.slice(0, n).join(' ')) },
  { weight: 1, arbitrary: fc.array(pick(WORDS), { minLength: 4, maxLength: 6 }).map((w) => w.join(' ')) },
);

const profileRule = (pool: Profile[]) => fc.array(profileEntry(pool), { minLength: 1, maxLength: 3 })
  .map((profile_ids) => ({ rule: 'profile-id-rule', profile_ids }));

// ------------------------------------------------------------------ time-range-rule

const ZONE_SUFFIXES = ['', '', '', 'Z', '+00:00', '+04:00', '-05:00', '+05:30', ' EST', ...(EDGES ? [' UTC', ' GMT'] : [])];

function formatTime(secs: number, style: string, zone: string): string {
  const h = Math.floor(secs / 3600);
  const m = Math.floor(secs / 60) % 60;
  const s = secs % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  const body = style === 'hour' && m === 0 ? `${h % 12 === 0 ? 12 : h % 12}${h < 12 ? 'am' : 'pm'}`
    : style === 'ampm' || style === 'hour' ? `${h % 12 === 0 ? 12 : h % 12}:${mm}${h < 12 ? 'am' : 'pm'}`
    : style === 'AMPM' ? `${h % 12 === 0 ? 12 : h % 12}:${mm} ${h < 12 ? 'AM' : 'PM'}`
      : style === 'seconds' ? `${String(h).padStart(2, '0')}:${mm}:${ss}`
        : style === 'short' ? `${h}:${mm}`
          : `${String(h).padStart(2, '0')}:${mm}`;
  // `5:00pmZ` is not a time to the reference (dateutil); `5:00pm+00:00` is.
  return body + (zone === 'Z' && /^(ampm|hour)$/i.test(style) ? '+00:00' : zone);
}

const timePair = fc.record({
  a: fc.integer({ min: 0, max: 95 }),
  b: fc.integer({ min: 0, max: 95 }),
  secA: fc.constantFrom(0, 0, 0, 30, 59),
  secB: fc.constantFrom(0, 0, 0, 30, 59),
  style: fc.constantFrom('plain', 'plain', 'seconds', 'ampm', 'short', 'AMPM', 'hour'),
  zone: pick(ZONE_SUFFIXES),
}).filter(({ a, b }) => a !== b).map(({ a, b, secA, secB, style, zone }) => {
  const [lo, hi] = a < b ? [a, b] : [b, a];
  const withSeconds = style === 'seconds';
  const start = lo * 900 + (withSeconds ? secA : 0);
  const end = hi * 900 + (withSeconds ? secB : 0);
  return { time_start: formatTime(start, style, zone), time_end: formatTime(end, style, zone) };
});

const dateIn = (days0: number, days: number) => fc.integer({ min: -1, max: days }).map((d) => isoDate(days0 + d * DAY_MS));

/** Dates for include/exclude around `days0`, the first day of the job's requests. */
const timeRule = (days0: number) => fc.record({
  times: fc.option(timePair, { nil: undefined, freq: 3 }),
  days: fc.option(fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 6 }), { nil: undefined }),
  sortDays: fc.boolean(),
  include: fc.uniqueArray(dateIn(days0, 14), { maxLength: 2 }),
  exclude: fc.uniqueArray(dateIn(days0, 14), { maxLength: 2 }),
}).map(({ times, days, sortDays, include, exclude }) => {
  const rule: Record<string, unknown> = { rule: 'time-range-rule' };
  if (times) Object.assign(rule, times);
  if (days) rule.days = sortDays ? [...days].sort() : days;
  const inc = include.filter((d) => !exclude.includes(d));
  if (inc.length > 0) rule.include = inc;
  if (exclude.length > 0) rule.exclude = exclude;
  return rule;
});

// ------------------------------------------------------------------ the rest

// -1 is the reference's "unlimited" and 0 never approves (SPEC 4.4); the storage arguments are
// ignored by both but take part in the rule id.
const limit = (max: number) => fc.option(fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1, max }) }, { weight: 1, arbitrary: fc.constantFrom(-1, 0) }), { nil: undefined });
const throttleRule = fc.record({
  per_hour: limit(3),
  per_day: limit(6),
  persistent: fc.constantFrom(false, false, false, true, undefined),
  storage: fc.constantFrom(undefined, undefined, undefined, { expiry_secs: 30 }, { 'db-file': 'throttle.db', 'db-table': 'quota' }),
}).map((r) => {
  const rule: Record<string, unknown> = { rule: 'per-profile-throttle-rule' };
  if (r.per_hour !== undefined) rule.per_hour = r.per_hour;
  if (r.per_day !== undefined) rule.per_day = r.per_day;
  if (r.persistent !== undefined) rule.persistent = r.persistent;
  return Object.assign(rule, r.storage ?? {}) as Record<string, unknown>;
});

const sessionRule = fc.record({
  max_request_count: fc.constantFrom(15, 90, 0),
  max_time_seconds: fc.constantFrom(5888, 27623, 300),
}).map((r) => ({ rule: 'session-params-rule', ...r }));

const FORBIDDEN: Record<string, string[]> = {
  create_profile: ['profile-id-rule', 'per-profile-throttle-rule', 'meta-rule'],
  create_location: ['meta-rule'],
  search: ['meta-rule'],
};
export const REQUEST_TYPES = ['decrypt', 'search', 'create_profile', 'create_location', 'rename', 'secure_export',
  'start_session', 'change_profile'] as const;

const anyRule = (pool: Profile[], days0: number) => fc.oneof(
  { weight: 6, arbitrary: metaRule },
  { weight: 4, arbitrary: profileRule(pool) },
  { weight: 4, arbitrary: timeRule(days0) },
  { weight: 4, arbitrary: throttleRule },
  { weight: 1, arbitrary: fc.constant({ rule: 'approve-rule' }) },
  { weight: 1, arbitrary: fc.constant({ rule: 'reject-rule' }) },
  { weight: 1, arbitrary: sessionRule },
);

/** A policy over a few request types; duplicated rules exercise the `.K` ids, explicit ids sometimes. */
export const policyArb = (pool: Profile[], days0 = DAYS0) => fc.record({
  types: fc.uniqueArray(pick(REQUEST_TYPES), { minLength: 1, maxLength: 4 }),
  sets: fc.array(fc.array(fc.array(anyRule(pool, days0), { maxLength: 4 }), { minLength: 1, maxLength: 4 }), { minLength: 4, maxLength: 4 }),
  explicit: fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }),
  dup: fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
}).map(({ types, sets, explicit, dup }) => {
  const policy: Record<string, unknown> = {};
  let n = 0;
  const all: Array<Record<string, unknown>> = [];
  types.forEach((type, t) => {
    const tree = sets[t]!.map((rs) => rs.filter((r) => !(FORBIDDEN[type] ?? []).includes(r.rule as string)));
    for (const rs of tree) {
      for (let i = 0; i < rs.length; i++) {
        // Every so often, repeat an earlier rule verbatim (same hash, so a `.K` id).
        const pickFrom = all.filter((r) => !(FORBIDDEN[type] ?? []).includes(r.rule as string) && !('rule_id' in r));
        if (pickFrom.length > 0 && dup[t]! % 3 === 0 && i === 0) rs[i] = { ...pickFrom[dup[t]! % pickFrom.length]! };
        if (explicit[n++ % 64] && n % 5 === 0) rs[i] = { ...rs[i]!, rule_id: `rid-${n}` };
        all.push(rs[i]!);
      }
    }
    policy[type] = tree;
  });
  return policy;
});

/** The benchmark's shape: many per-profile rule sets then a public one (exercises the profile index). */
export const perProfilePolicyArb = (pool: Profile[], days0 = DAYS0) => fc.record({
  type: pick(['decrypt', 'rename', 'secure_export', 'change_profile'] as const),
  sets: fc.array(fc.tuple(profileRule(pool), metaRule, throttleRule), { minLength: 3, maxLength: 30 }),
  publicSet: fc.array(fc.oneof(metaRule, timeRule(days0), throttleRule), { maxLength: 2 }),
}).map(({ type, sets, publicSet }) => ({ [type]: [...sets.map((rs) => [...rs]), publicSet] }));

// ------------------------------------------------------------------ requests

/** Metas built from the vocabulary and from the policy's own patterns, so patterns get hit. */
const metaText = (fromPolicy: string[]) => {
  const part = fromPolicy.length > 0
    ? fc.oneof({ weight: 2, arbitrary: component }, { weight: 3, arbitrary: pick(fromPolicy) })
    : component;
  return fc.oneof(
    { weight: 12, arbitrary: fc.array(part, { minLength: 1, maxLength: 4 }).chain((parts) => mixCase(parts.join('/'))) },
    { weight: 1, arbitrary: fc.constant('') },
    { weight: 1, arbitrary: fc.array(part, { minLength: 1, maxLength: 2 }).map((p) => '/' + p.join('/')) },
    { weight: 1, arbitrary: fc.array(part, { minLength: 1, maxLength: 2 }).map((p) => p.join('/') + '/') },
    { weight: EDGES ? 2 : 0, arbitrary: fc.array(part, { minLength: 1, maxLength: 3 }).map((p) => p.join('/') + '\n') },
  );
};
const authMeta = (fromPolicy: string[]) =>
  fc.array(fc.record({ meta: metaText(fromPolicy), complete: fc.boolean() }), { minLength: 0, maxLength: 3 });

/** Pieces of the policy's path patterns and regexes, with the pattern syntax taken out. */
function policyPieces(policy: Record<string, unknown>): string[] {
  const out = new Set<string>();
  for (const tree of Object.values(policy) as Array<Array<Array<Record<string, unknown>>>>) {
    for (const rule of tree.flat()) {
      for (const p of [...((rule.paths as string[] | undefined) ?? []), ...((rule.regexes as string[] | undefined) ?? [])]) {
        for (const piece of p.replace(/^!/, '').split('/')) {
          const plain = piece.replace(/[*^$\\()[\]{}|?+]/g, '');
          if (plain !== '') out.add(plain);
        }
      }
    }
  }
  return [...out];
}

const requestArb = (pool: Profile[], fromPolicy: string[], policyTypes: string[]) => fc.record({
  request_type: fc.oneof({ weight: 24, arbitrary: pick(policyTypes) }, { weight: 12, arbitrary: pick(REQUEST_TYPES) },
    { weight: 1, arbitrary: fc.constant('frobnicate') }),
  profile: fc.oneof({ weight: 12, arbitrary: pick(pool) }, { weight: 1, arbitrary: fc.constant(undefined) }),
  auth_meta: fc.oneof({ weight: 12, arbitrary: authMeta(fromPolicy) }, { weight: 1, arbitrary: fc.constant(undefined) }),
  upper: fc.constantFrom(false, false, false, false, true),
  device_id: fc.constant('d828a6706d14b459'),
  cryptographic_id: fc.constant('bcfcf452e2098f1c'),
}).map((r) => {
  const out: Record<string, unknown> = { request_type: r.request_type, device_id: r.device_id };
  // Byte strings are hex (SPEC §6): the reference compares bytes, so the case of the hex is noise.
  if (r.profile) out.profile = { profile_id: r.upper ? r.profile.profile_id.toUpperCase() : r.profile.profile_id, profile_words: [...r.profile.profile_words] };
  if (r.auth_meta) out.auth_meta = r.auth_meta;
  out.cryptographic_id = r.cryptographic_id;
  return out;
});

/** Gaps between arrivals: same second, around hour boundaries, hours, days. */
const GAPS = [0, 1, 30, 59, 60, 300, 899, 900, 1800, 3540, 3599, 3600, 3601, 7200, 10_800, 32_400, 43_200, 86_400];
const US_PER_MS = 1000;

/** The zone's UTC offset in minutes at an instant, from Intl (not from the code under test). */
function offsetMinutes(tz: string, ms: number): number {
  if (tz === 'UTC') return 0;
  const fixed = /^([+-])(\d{2}):(\d{2})$/.exec(tz);
  if (fixed) return (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3]));
  const name = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' }).formatToParts(ms).find((p) => p.type === 'timeZoneName')!.value;
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/**
 * Whether the zone's wall clock at `ms`, written without an offset, reads back as `ms`. Not in the
 * second pass of an hour the clocks repeat: a reading there means the first pass (SPEC 4.6, fold=0),
 * an hour earlier, and the steps, meant in order, would go back in time (where counts that start
 * again at zero when the hour changes, SPEC 4.4, and the model's list of uses part ways).
 */
export function wallReadsBack(tz: string, ms: number): boolean {
  const offset = offsetMinutes(tz, ms);
  const before = offsetMinutes(tz, ms - DAY_MS);
  const wall = ms + offset * 60_000;
  return before === offset || offsetMinutes(tz, wall - before * 60_000) !== before;
}

/**
 * `at` for an instant (microseconds), written at `offsetMin`, or (`naive`) as the zone's wall clock
 * without an offset. Fractions only when there are some: a moment just after a bound must not
 * round onto it.
 */
function formatAt(us: number, offsetMin: number, naive = false): string {
  const ms = Math.floor(us / US_PER_MS);
  const rest = us - ms * US_PER_MS;
  const local = new Date(ms + offsetMin * 60_000).toISOString().slice(0, 19);
  const fraction = rest !== 0 ? `.${String(ms % 1000).padStart(3, '0')}${String(rest).padStart(3, '0')}` : ms % 1000 !== 0 ? `.${String(ms % 1000).padStart(3, '0')}` : '';
  if (naive) return local + fraction;
  if (offsetMin === 0 && ms % 2 === 0) return `${local}${fraction}Z`;
  const sign = offsetMin < 0 ? '-' : '+';
  const a = Math.abs(offsetMin);
  return `${local}${fraction}${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/**
 * Where a job's requests happen: the cases' fortnight in any zone, or, for a zone with daylight
 * saving, the days around one of its changes of the clocks (SPEC 4.6), requests running across it.
 */
const sceneArb = pick(ZONES).chain((tz) => {
  const changes = (CHANGES[tz] ?? []).map((c) => Date.parse(c));
  const fortnight = fc.constant({ tz, days0: DAYS0, start: null as number | null });
  if (changes.length === 0) return fortnight;
  // Up to three hours before a change, with the days around it for include/exclude dates.
  const change = fc.tuple(pick(changes), fc.integer({ min: 0, max: 3 * 3600 })).map(([c, before]) =>
    ({ tz, days0: Math.floor(c / DAY_MS) * DAY_MS - DAY_MS, start: c - before * 1000 }));
  return fc.oneof({ weight: 1, arbitrary: fortnight }, { weight: 3, arbitrary: change });
});

export const jobArb: fc.Arbitrary<OracleJob> = fc.tuple(profilePool, sceneArb).chain(([pool, { tz, days0, start }]) => fc.oneof(
  { weight: 5, arbitrary: policyArb(pool, days0) },
  { weight: 1, arbitrary: perProfilePolicyArb(pool, days0) },
).chain((policy) => fc.record({
  policy: fc.constant(policy),
  startDay: fc.integer({ min: 0, max: 10 }),
  // Half the runs start on a quarter hour, so arrivals land exactly on the policies' time bounds.
  startSec: fc.oneof(fc.integer({ min: 0, max: 86_399 }), fc.integer({ min: 0, max: 95 }).map((q) => q * 900)),
  steps: fc.array(fc.record({
    // Near a change of the clocks, mostly the small gaps, so that requests fall on both sides of it.
    gap: start === null ? pick(GAPS) : fc.oneof({ weight: 3, arbitrary: pick(GAPS.filter((g) => g <= 1800)) }, { weight: 1, arbitrary: pick(GAPS) }),
    jitter: fc.integer({ min: 0, max: 59 }),
    // How the client writes `at`: at some offset, at the zone's own, or as the zone's wall clock.
    written: fc.constantFrom<number | 'zone' | 'naive'>(0, 240, -300, 330, 'zone', 'zone', 'naive'),
    micros: fc.constantFrom(0, 0, 0, 0, 1000, 500_000, 999_000, 1, 999_999),
    request: requestArb(pool, policyPieces(policy), Object.keys(policy)),
  }), { minLength: 4, maxLength: 30 }),
}).map(({ policy, startDay, startSec, steps }) => {
  let t = (start ?? days0 + startDay * DAY_MS + startSec * 1000) * US_PER_MS;
  const last = (days0 + 20 * DAY_MS) * US_PER_MS;
  return {
    policy, tz,
    steps: steps.map(({ gap, jitter, written, micros, request }) => {
      t = Math.min(last, Math.floor(t / 1e6) * 1e6 + (gap + (gap >= 3600 ? jitter : 0)) * 1e6 + micros);
      const ms = Math.floor(t / US_PER_MS);
      const naive = written === 'naive' && wallReadsBack(tz, ms);
      const at = naive ? formatAt(t, offsetMinutes(tz, ms), true) : formatAt(t, written === 'zone' || written === 'naive' ? offsetMinutes(tz, ms) : written);
      return { at, request };
    }),
  };
})));
