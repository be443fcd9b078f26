/**
 * The one code lowering reports. A policy that passed the checker never gets it: lowering reads
 * arguments with the checker's readers and validators, so it only meets a problem when it lowers an
 * unchecked AST (the editor's view of a broken file) or when the checker has a gap (a kss bug).
 */
import type { CodeInfo } from '../source/parse-codes.js';

export const LOWER_CODES = {
  notCompilable: { code: 'KSS2900', doc: 'Compiling met a value the checker refuses; `kss check` says what is wrong and where.' },
} satisfies Record<string, CodeInfo>;
