/** Policies the language-server tests open. Line numbers (0-based) are named where tests rely on them. */
export const BROKEN_POLICY = [
  'decrypt:', //                                     0
  '  - - rule: meta-rul', //                         1  unknown rule kind, did you mean meta-rule
  "      paths: ['/finance']", //                    2
  '    - rule: per-profile-throttle-rule', //        3  throttle without rule_id
  '      per_dya: 10', //                            4  unknown argument, did you mean per_day
  'search:', //                                      5
  '  - - rule: meta-rule', //                        6  incompatible with search
  "      paths: ['/x']", //                          7
  '    - rule: time-range-rule', //                  8
  '      time_start: 9:00', //                       9  YAML 1.1 readers misread: quote it
  "      time_end: '17:00'", //                      10
  '',
].join('\n');

export const FIXED_POLICY = [
  'decrypt:',
  '  - - rule: meta-rule',
  "      paths: ['/finance']",
  '    - rule: per-profile-throttle-rule',
  '      rule_id: decrypt-daily',
  '      per_day: 10',
  'search:',
  '  - - rule: time-range-rule',
  "      time_start: '9:00'",
  "      time_end: '17:00'",
  '',
].join('\n');

export const ANCHOR_POLICY = [
  'decrypt:',
  '  - - rule: time-range-rule',
  '      days: &weekdays [0, 1, 2, 3, 4]',
  'rename:',
  '  - - rule: time-range-rule',
  '      days: *weekdays',
  '',
].join('\n');
