/** Where ../shared (SPEC, conformance cases) is: beside the repository, or KSS_SHARED_DIR. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_DIR = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const SHARED_DIR = process.env.KSS_SHARED_DIR ?? resolve(REPO_DIR, '..', 'shared');
export const CASES_DIR = join(SHARED_DIR, 'conformance', 'cases');
/** Hand-reasoned cases for zones with daylight saving (SPEC 4.6), beside the reference's. */
export const DST_CASES_DIR = join(SHARED_DIR, 'conformance', 'cases-dst');
/** Cases for zones with daylight saving computed by the SPEC 4.6 model (test/oracle/generate_dst_cases.py). */
export const MODEL_DST_CASES_DIR = join(REPO_DIR, 'test', 'conformance', 'cases-dst-model');

export interface ConformanceStep {
  at: string;
  request: Record<string, unknown>;
  expect: { approved: boolean; rule_set: number | null };
}

export interface ConformanceCase {
  file: string;
  name: string;
  /** The server zone: UTC, a fixed offset, or an IANA name. */
  tz: string;
  /**
   * For a case the reference decided in an IANA zone: the offset that zone had when the reference
   * started, which it kept (SPEC 4.6); kss reproduces it with this fixed offset as its zone.
   */
  reference_utc_offset?: string;
  /** The reasoning behind a hand-made or model-made case. */
  note?: string;
  policy_yaml: string;
  rule_ids: Record<string, string[][]>;
  steps: ConformanceStep[];
}

/** The cases of one folder; throws (failing the test) when the folder is missing or empty. */
export function loadConformanceCases(dir = CASES_DIR): ConformanceCase[] {
  if (!existsSync(dir)) throw new Error(`conformance cases not found at ${dir}; set KSS_SHARED_DIR`);
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  if (files.length === 0) throw new Error(`no conformance cases in ${dir}`);
  return files.map((file) => ({ file, ...JSON.parse(readFileSync(join(dir, file), 'utf8')) }));
}

/** Every case: the reference's, the hand-reasoned daylight-saving ones, the model's. */
export function loadAllConformanceCases(): ConformanceCase[] {
  return [CASES_DIR, DST_CASES_DIR, MODEL_DST_CASES_DIR].flatMap((dir) => loadConformanceCases(dir));
}

/** The zone to decide a case in: the reference's kept offset when the case has one (SPEC 4.6). */
export function caseZone(c: ConformanceCase): string {
  return c.reference_utc_offset ?? c.tz;
}
