/**
 * The shape of a check and the list of all of them. A check looks at the AST and reports nodes with
 * messages; the framework (context.ts) turns them into diagnostics with ranges, codes and severities.
 */
import type { Range, Severity } from '../diagnostics.js';
import type { PolicyAst } from '../source/ast.js';
import type { CheckContext } from './context.js';
import { CHECKS } from './rules/index.js';

export interface CheckMeta {
  /** One line: what the check finds. */
  description: string;
  defaultSeverity: Severity;
  /** Message templates, if the check has several; `{name}` is replaced by the report's values. */
  messages?: Record<string, string>;
  docs: { summary: string; example?: string };
}

export interface Check {
  /** kebab-case, equal to the file name in rules/. */
  id: string;
  /** Stable diagnostic code: KSS1xxx shape, KSS2xxx semantics, KSS3xxx lints. */
  code: string;
  meta: CheckMeta;
  /**
   * `policy` when what the check reports at one request type depends on another (ids unique across
   * the policy): the language server re-checks a changed request type alone with every other check
   * (compiler/sections/), and runs these over the whole policy each time.
   */
  scope?: 'policy';
  check(ctx: CheckContext): void;
}

/** Anything with a range can be reported. */
export type Reportable = Range | { range: Range };

export interface Report {
  node: Reportable;
  /** Either the message itself or a key of `meta.messages`. */
  message?: string;
  messageId?: string;
  values?: Record<string, string | number>;
  help?: string;
  data?: Record<string, unknown>;
}

/** Every check, in the fixed order they run. */
export const REGISTRY: readonly Check[] = CHECKS;

const byCode = new Map(CHECKS.map((c) => [c.code, c] as const));
const byId = new Map(CHECKS.map((c) => [c.id, c] as const));

export function checkByCode(code: string): Check | undefined {
  return byCode.get(code);
}

export function checkById(id: string): Check | undefined {
  return byId.get(id);
}

export type { PolicyAst };
