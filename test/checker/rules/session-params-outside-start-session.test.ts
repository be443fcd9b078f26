import { sessionParamsOutsideStartSession } from '../../../compiler/checker/rules/session-params-outside-start-session.js';
import { testCheck, yaml } from '../rule-tester.js';

testCheck(sessionParamsOutsideStartSession, {
  valid: [yaml('start_session:', '- - rule: session-params-rule', '    max_time_seconds: 600')],
  invalid: [
    {
      source: yaml('decrypt:', '- - rule: session-params-rule', '    max_time_seconds: 600'),
      errors: [{ line: 2, column: 11, endLine: 2, endColumn: 30, message: '`session-params-rule` has no effect in `decrypt`', help: 'it only describes sessions opened by `start_session`; move it there or remove it' }],
    },
  ],
});
