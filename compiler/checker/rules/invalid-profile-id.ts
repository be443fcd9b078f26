import type { Check } from '../registry.js';
import { stringItems } from '../fragments.js';

const HEX = /^[0-9a-fA-F]+$/;

export const invalidProfileId: Check = {
  id: 'invalid-profile-id',
  code: 'KSS2007',
  meta: {
    description: 'a `profile_ids` entry is neither a hex profile id (whole bytes) nor at least 4 profile words',
    defaultSeverity: 'error',
    docs: {
      summary: 'Each entry of `profile_ids` is a profile id in hex (any case) or a space-separated list of at least 4 profile words (SPEC §4.2). Fewer words would match too many profiles.',
      example: '    profile_ids:\n    - correct horse        # only 2 words',
    },
  },
  check(ctx) {
    for (const { rule } of ctx.rulesOfKind('profile-id-rule')) {
      for (const { value, text } of stringItems(rule, 'profile_ids')) {
        const trimmed = text.trim();
        if (trimmed === '') continue; // argument-type reports empty strings
        const words = trimmed.split(/\s+/);
        if (words.length === 1 && HEX.test(trimmed)) {
          // A profile id is whole bytes: the reference reads it with bytes.fromhex and refuses the policy.
          if (trimmed.length % 2 === 1) {
            ctx.report({ node: value, message: `\`${trimmed}\` has an odd number of hex digits (${trimmed.length})`, help: 'a hex profile id is whole bytes, two digits each; check for a missing or extra digit' });
          }
          continue;
        }
        if (words.length >= 4) continue;
        const message = words.length === 1
          ? `\`${trimmed}\` is neither a hex profile id nor a list of at least 4 profile words`
          : `\`${trimmed}\` has ${words.length} profile words; at least 4 are required`;
        ctx.report({
          node: value,
          message,
          help: words.length === 1 && /^[0-9a-fA-F]*[g-zG-Z]/.test(trimmed) && /^[0-9a-zA-Z]+$/.test(trimmed)
            ? 'a hex id contains only 0-9 and a-f; check for a typing mistake'
            : 'write the profile id in hex, or at least the first 4 of the profile\'s words separated by spaces',
        });
      }
    }
  },
};
