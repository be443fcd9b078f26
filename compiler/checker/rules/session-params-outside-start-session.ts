import type { Check } from '../registry.js';

export const sessionParamsOutsideStartSession: Check = {
  id: 'session-params-outside-start-session',
  code: 'KSS3004',
  meta: {
    description: '`session-params-rule` is used outside `start_session`, where it has no effect',
    defaultSeverity: 'warning',
    docs: {
      summary: '`session-params-rule` always approves; its arguments describe the session a `start_session` request opens (SPEC §3, §4.5). Anywhere else it does nothing, which usually means it was put under the wrong request type.',
      example: 'decrypt:\n- - rule: session-params-rule     # belongs under start_session\n    max_time_seconds: 600',
    },
  },
  check(ctx) {
    for (const { requestType, rule } of ctx.rulesOfKind('session-params-rule')) {
      if (requestType.name === 'start_session' || !rule.kindNode) continue;
      ctx.report({
        node: rule.kindNode.value,
        message: `\`session-params-rule\` has no effect in \`${requestType.name}\``,
        help: 'it only describes sessions opened by `start_session`; move it there or remove it',
      });
    }
  },
};
