/** Where ../shared (SPEC, conformance cases) is: beside the repository, or KSS_SHARED_DIR. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_DIR = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const SHARED_DIR = process.env.KSS_SHARED_DIR ?? resolve(REPO_DIR, '..', 'shared');
export const CASES_DIR = join(SHARED_DIR, 'conformance', 'cases');

export interface ConformanceStep {
  at: string;
  request: Record<string, unknown>;
  expect: { approved: boolean; rule_set: number | null };
}

export interface ConformanceCase {
  file: string;
  name: string;
  tz: string;
  policy_yaml: string;
  rule_ids: Record<string, string[][]>;
  steps: ConformanceStep[];
}

/** Every conformance case; throws (failing the test) when the folder is missing or empty. */
export function loadConformanceCases(): ConformanceCase[] {
  if (!existsSync(CASES_DIR)) throw new Error(`conformance cases not found at ${CASES_DIR}; set KSS_SHARED_DIR`);
  const files = readdirSync(CASES_DIR).filter((f) => f.endsWith('.json')).sort();
  if (files.length === 0) throw new Error(`no conformance cases in ${CASES_DIR}`);
  return files.map((file) => ({ file, ...JSON.parse(readFileSync(join(CASES_DIR, file), 'utf8')) }));
}
