// The language-server benchmark's workload (bench/lsp.bench.mjs); also handy for profiling the front end.

/** A realistic policy of about `lines` lines: many rule sets mixing every rule kind, with comments. */
export function bigPolicy(lines) {
  const types = ['decrypt', 'rename', 'secure_export', 'change_profile'];
  const perType = Math.floor((lines - 1) / types.length);
  const out = ['# generated for bench/lsp.bench.mjs'];
  for (const type of types) {
    const end = out.length + perType;
    out.push(`${type}:`);
    for (let i = 0; out.length + 12 <= end; i++) {
      out.push(
        `  # rule set ${i}`,
        '  - - rule: meta-rule',
        `      paths: ['/dept${i}/*', '*.pdf', '!/dept${i}/private']`,
        '    - rule: time-range-rule',
        "      time_start: '8:00am'",
        "      time_end: '6:00pm'",
        '      days: [0, 1, 2, 3, 4]',
        '    - rule: per-profile-throttle-rule',
        `      rule_id: ${type}-limit-${i}`,
        `      per_day: ${10 + (i % 50)}`,
        '    - rule: profile-id-rule',
        `      profile_ids: ['00112233445566778899aabbccdd${String(i % 10000).padStart(4, '0')}']`,
      );
    }
    while (out.length < end) out.push('  # padding');
  }
  while (out.length < lines) out.push('# padding');
  return `${out.join('\n')}\n`;
}
