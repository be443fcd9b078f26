import { hasExplicitRuleId } from '../../ir/rule-ids.js';
import type { Check } from '../registry.js';

/** What the reference does with each storage argument, and why kss does not need it (SPEC §4.4). */
const IGNORED: Record<string, string> = {
  expiry_secs: 'kss locks counts transactionally and needs no lock expiry',
  'db-file': 'kss keeps throttle counts in its own store',
  'db-uri': 'kss keeps throttle counts in its own store',
  'db-table': 'kss keeps throttle counts in its own store',
};

export const ignoredStorageArgument: Check = {
  id: 'ignored-storage-argument',
  code: 'KSS3013',
  meta: {
    description: 'a storage argument of the reference\'s throttle is accepted but ignored',
    defaultSeverity: 'warning',
    docs: {
      summary: 'The reference keeps persistent throttle counts where `db-file`, `db-uri` and `db-table` say, and locks them for `expiry_secs`. kss accepts these arguments so that existing policies load, but keeps counts in its own store, transactionally, and ignores them (SPEC §4.4). They still take part in the rule id: removing one changes the id of a rule without an explicit `rule_id`, and so restarts its counts.',
      example: '- - rule: per-profile-throttle-rule\n    rule_id: decrypt-daily\n    per_day: 20\n    db-file: /var/lib/kss/throttle.db     # ignored by kss',
    },
  },
  check(ctx) {
    for (const { rule } of ctx.rulesOfKind('per-profile-throttle-rule')) {
      const pinned = hasExplicitRuleId(rule);
      for (const arg of rule.args) {
        const why = IGNORED[arg.key];
        if (!why) continue;
        ctx.report({
          node: arg.keyRange,
          message: `kss ignores \`${arg.key}\`: ${why}`,
          help: pinned
            ? 'it is accepted so that the reference\'s policies load; remove it if the reference no longer reads this policy'
            : 'it is accepted so that the reference\'s policies load; it is part of the rule\'s derived id, so give the rule an explicit `rule_id` before removing it, or its counts restart',
          data: { unnecessary: true, ...(pinned ? { remove: true } : {}) },
        });
      }
    }
  },
};
