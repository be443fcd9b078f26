/** Codes the checking framework itself emits (not tied to one check). */
import type { CodeInfo } from '../source/parse-codes.js';

export const FRAMEWORK_CODES = {
  internalError: { code: 'KSS9001', doc: 'A check failed unexpectedly; the policy was checked by the others. Please report it.' },
  tooManyDiagnostics: { code: 'KSS9002', doc: 'The file has more diagnostics than the limit; the rest are not shown.' },
  config: { code: 'KSS9003', doc: 'The project config file (.kss.yml) has a problem.' },
} satisfies Record<string, CodeInfo>;
