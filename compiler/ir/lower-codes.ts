/**
 * Codes lowering reports. A policy that passed the checker never gets them; they exist so that
 * lowering an unchecked AST (or a checker gap) yields a diagnostic instead of a wrong program.
 */
import type { CodeInfo } from '../source/parse-codes.js';

export const LOWER_CODES = {
  unknownRequestType: { code: 'KSS2901', doc: 'A request type the runtime does not know cannot be compiled.' },
  unknownRule: { code: 'KSS2902', doc: 'A rule kind the runtime does not know cannot be compiled.' },
  badArgument: { code: 'KSS2903', doc: 'A rule argument has a value the runtime cannot evaluate.' },
  fragment: { code: 'KSS2904', doc: 'A time, date, path pattern or regex could not be translated.' },
} satisfies Record<string, CodeInfo>;
