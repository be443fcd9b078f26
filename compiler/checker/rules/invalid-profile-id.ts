import type { Check } from '../registry.js';
import { MIN_PROFILE_WORDS, readProfileId, readStrings } from '../../arguments/read.js';

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
      for (const { value, text } of readStrings(rule, 'profile_ids')) {
        if (text.trim() === '') continue; // argument-type reports empty strings
        // The reference's reading (shared with lowering), so that what passes here compiles.
        const entry = readProfileId(text);
        if (entry.kind === 'hex' || entry.kind === 'words') continue;
        if (entry.kind === 'odd-hex') {
          // A profile id is whole bytes: the reference reads it with bytes.fromhex and refuses the policy.
          ctx.report({ node: value, message: `\`${text}\` has an odd number of hex digits (${text.length})`, help: 'a hex profile id is whole bytes, two digits each; check for a missing or extra digit' });
          continue;
        }
        const message = entry.kind === 'few-words'
          ? `\`${text}\` has ${entry.words.length} profile words; at least ${MIN_PROFILE_WORDS} are required`
          : `\`${text}\` is neither a hex profile id nor a list of at least ${MIN_PROFILE_WORDS} profile words`;
        ctx.report({ node: value, message, help: helpFor(text, entry.kind === 'few-words' ? entry.words : null) });
      }
    }
  },
};

function helpFor(text: string, words: string[] | null): string {
  if (words?.includes('')) return 'the reference splits the entry at every single space, so a leading, trailing or double space makes an empty word; remove the extra spaces';
  if (words === null && /^[0-9a-fA-F]*[g-zG-Z]/.test(text) && /^[0-9a-zA-Z]+$/.test(text)) return 'a hex id contains only 0-9 and a-f; check for a typing mistake';
  return 'write the profile id in hex, or at least the first 4 of the profile\'s words separated by spaces';
}
