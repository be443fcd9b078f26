/**
 * The system's time zone files (TZif, RFC 8536), read for one thing Intl cannot give: the zone's
 * abbreviations as the C library names them (`EST`, `+1030`), which is what Python's `time.tzname`
 * reports on the reference's Linux server. Offsets come from Intl elsewhere; this reads the header,
 * the transition table, the local time types with their abbreviation table, and the POSIX TZ footer.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LocalTimeType {
  /** Seconds east of UTC. */
  offsetSeconds: number;
  isDst: boolean;
  abbreviation: string;
}

export interface Tzif {
  /** Transition instants, seconds since the epoch, ascending. */
  transitions: number[];
  /** The type in effect from each transition on (an index into `types`). */
  typeIndexes: number[];
  types: LocalTimeType[];
  /** The POSIX TZ string that governs after the last transition (version 2+), or null. */
  footer: PosixTz | null;
}

/** The parts of a POSIX TZ string (`EST5EDT,M3.2.0,M11.1.0`) this needs: names and offsets. */
export interface PosixTz {
  std: { abbreviation: string; offsetSeconds: number };
  dst: { abbreviation: string; offsetSeconds: number } | null;
}

export class TzifError extends Error {}

const HEADER = 44;

/** Parses a TZif file; the 64-bit data block when the file has one (version 2 and later). */
export function parseTzif(bytes: Uint8Array): Tzif {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const first = header(view, 0);
  if (first.version === 0) return block(view, HEADER, first, 4, null);
  // Version 2+: skip the 32-bit block; the second header, the 64-bit block and the footer follow.
  const second = header(view, HEADER + blockSize(first, 4));
  const start = HEADER + blockSize(first, 4) + HEADER;
  const end = start + blockSize(second, 8);
  return block(view, start, second, 8, footerOf(bytes, end));
}

interface Counts {
  version: number;
  isutcnt: number;
  isstdcnt: number;
  leapcnt: number;
  timecnt: number;
  typecnt: number;
  charcnt: number;
}

function header(view: DataView, at: number): Counts {
  if (view.byteLength < at + HEADER) throw new TzifError('truncated header');
  const magic = String.fromCharCode(view.getUint8(at), view.getUint8(at + 1), view.getUint8(at + 2), view.getUint8(at + 3));
  if (magic !== 'TZif') throw new TzifError('not a TZif file');
  const v = view.getUint8(at + 4);
  const count = (i: number) => view.getUint32(at + 20 + 4 * i);
  const c = { version: v === 0 ? 0 : v - 0x30, isutcnt: count(0), isstdcnt: count(1), leapcnt: count(2), timecnt: count(3), typecnt: count(4), charcnt: count(5) };
  if (c.typecnt === 0) throw new TzifError('no local time types');
  return c;
}

function blockSize(c: Counts, timeSize: number): number {
  return c.timecnt * timeSize + c.timecnt + c.typecnt * 6 + c.charcnt + c.leapcnt * (timeSize + 4) + c.isstdcnt + c.isutcnt;
}

function block(view: DataView, start: number, c: Counts, timeSize: 4 | 8, footer: PosixTz | null): Tzif {
  if (view.byteLength < start + blockSize(c, timeSize)) throw new TzifError('truncated data block');
  let at = start;
  const transitions: number[] = [];
  for (let i = 0; i < c.timecnt; i++, at += timeSize) {
    transitions.push(timeSize === 4 ? view.getInt32(at) : Number(view.getBigInt64(at)));
  }
  const typeIndexes: number[] = [];
  for (let i = 0; i < c.timecnt; i++, at++) {
    const index = view.getUint8(at);
    if (index >= c.typecnt) throw new TzifError(`transition ${i} names type ${index} of ${c.typecnt}`);
    typeIndexes.push(index);
  }
  const raw: Array<{ offsetSeconds: number; isDst: boolean; nameAt: number }> = [];
  for (let i = 0; i < c.typecnt; i++, at += 6) {
    raw.push({ offsetSeconds: view.getInt32(at), isDst: view.getUint8(at + 4) === 1, nameAt: view.getUint8(at + 5) });
  }
  const names = new Uint8Array(view.buffer, view.byteOffset + at, c.charcnt);
  const types = raw.map(({ offsetSeconds, isDst, nameAt }) => {
    if (nameAt >= c.charcnt) throw new TzifError(`abbreviation index ${nameAt} outside the table`);
    return { offsetSeconds, isDst, abbreviation: cString(names, nameAt) };
  });
  return { transitions, typeIndexes, types, footer };
}

function cString(bytes: Uint8Array, from: number): string {
  let end = from;
  while (end < bytes.length && bytes[end] !== 0) end++;
  return String.fromCharCode(...bytes.subarray(from, end));
}

/** The footer is `\n<TZ string>\n` right after the 64-bit block; an empty one means "none". */
function footerOf(bytes: Uint8Array, at: number): PosixTz | null {
  if (bytes[at] !== 0x0a) return null;
  const end = bytes.indexOf(0x0a, at + 1);
  if (end < 0) return null;
  const text = String.fromCharCode(...bytes.subarray(at + 1, end));
  return text === '' ? null : parsePosixTz(text);
}

const POSIX = /^(<[^>]+>|[A-Za-z]{3,})([+-]?\d{1,3}(?::\d{2}){0,2})(?:(<[^>]+>|[A-Za-z]{3,})([+-]?\d{1,3}(?::\d{2}){0,2})?)?(?:,.*)?$/;

/** Names and offsets of a POSIX TZ string; its rules are not needed here (Intl knows the dates). */
export function parsePosixTz(text: string): PosixTz {
  const m = POSIX.exec(text);
  if (!m) throw new TzifError(`unreadable TZ string \`${text}\``);
  const name = (s: string) => s.replace(/^<|>$/g, '');
  // POSIX offsets count hours west of UTC: `EST5` is UTC-05:00.
  const std = { abbreviation: name(m[1]!), offsetSeconds: 0 - posixSeconds(m[2]!) };
  if (m[3] === undefined) return { std, dst: null };
  const dstOffset = m[4] === undefined ? std.offsetSeconds + 3600 : 0 - posixSeconds(m[4]);
  return { std, dst: { abbreviation: name(m[3]), offsetSeconds: dstOffset } };
}

function posixSeconds(text: string): number {
  const [h = 0, mi = 0, s = 0] = text.replace(/^[+-]/, '').split(':').map(Number);
  const seconds = h * 3600 + mi * 60 + s;
  return text.startsWith('-') ? -seconds : seconds;
}

/**
 * The local time type at `seconds`: from the transition table, or after its end from the footer,
 * choosing the footer's daylight or standard name by the offset in effect (`offsetSeconds`, which
 * the caller knows from Intl) as the C library's rules would.
 */
export function typeAt(tzif: Tzif, seconds: number, offsetSeconds: number): LocalTimeType {
  const { transitions, typeIndexes, types, footer } = tzif;
  if (transitions.length === 0 || seconds < transitions[0]!) {
    return transitions.length === 0 && footer ? fromFooter(footer, offsetSeconds) : types[0]!;
  }
  let lo = 0;
  let hi = transitions.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (transitions[mid]! <= seconds) lo = mid;
    else hi = mid - 1;
  }
  if (lo === transitions.length - 1 && footer) return fromFooter(footer, offsetSeconds);
  return types[typeIndexes[lo]!]!;
}

function fromFooter(footer: PosixTz, offsetSeconds: number): LocalTimeType {
  if (footer.dst !== null && footer.dst.offsetSeconds === offsetSeconds) return { ...footer.dst, isDst: true };
  return { ...footer.std, isDst: false };
}

/** Where the system keeps its zone files (glibc honours TZDIR too). */
export function zoneinfoDir(): string {
  return process.env.TZDIR || '/usr/share/zoneinfo';
}

/** The TZif file of an IANA name, or null when the system has none (or the name is not a plain one). */
export function readSystemTzif(name: string): Tzif | null {
  if (!/^[A-Za-z0-9_+-]+(\/[A-Za-z0-9_+-]+)*$/.test(name)) return null;
  let bytes: Buffer;
  try {
    bytes = readFileSync(join(zoneinfoDir(), name));
  } catch {
    return null;
  }
  try {
    return parseTzif(bytes);
  } catch {
    return null;
  }
}
