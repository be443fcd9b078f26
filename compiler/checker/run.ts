/** Runs checks over an AST. A check that throws becomes one internal-error diagnostic, never an exception. */
import type { Diagnostic } from '../diagnostics.js';
import type { PolicyAst } from '../source/ast.js';
import { CheckContext } from './context.js';
import type { CheckOptions } from './context.js';
import { FRAMEWORK_CODES } from './framework-codes.js';
import { REGISTRY } from './registry.js';
import type { Check } from './registry.js';

export function runChecks(ast: PolicyAst, checks: readonly Check[] = REGISTRY, options: CheckOptions = {}): Diagnostic[] {
  const ctx = new CheckContext(ast, options);
  for (const check of checks) {
    ctx.begin(check);
    try {
      check.check(ctx);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      ctx.diagnostics.push({
        code: FRAMEWORK_CODES.internalError.code,
        severity: 'error',
        message: `internal error in check \`${check.id}\`: ${reason}`,
        range: ast.lines.range(0, 0),
        help: 'the other checks ran; please report this together with the policy that caused it',
        data: { check: check.id },
      });
    }
  }
  return ctx.diagnostics;
}
