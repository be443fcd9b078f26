/**
 * Hand-made ZoneInfo values (compiler/zone-info.ts), as runtime/time would describe these zones: the
 * checks that depend on the server's zone are tested with them, without reading a zone database.
 */
import type { ZoneInfo } from '../../compiler/zone-info.js';
import { yaml } from './rule-tester.js';

const HOUR = 3600;

export const NEW_YORK: ZoneInfo = { name: 'America/New_York', hasDaylightSaving: true, offsetsSeconds: [-5 * HOUR, -4 * HOUR], abbreviations: ['EST', 'EDT'] };
export const LONDON: ZoneInfo = { name: 'Europe/London', hasDaylightSaving: true, offsetsSeconds: [0, HOUR], abbreviations: ['GMT', 'BST'] };
export const LORD_HOWE: ZoneInfo = { name: 'Australia/Lord_Howe', hasDaylightSaving: true, offsetsSeconds: [10.5 * HOUR, 11 * HOUR], abbreviations: [] };
export const KOLKATA: ZoneInfo = { name: 'Asia/Kolkata', hasDaylightSaving: false, offsetsSeconds: [5.5 * HOUR], abbreviations: ['IST'] };
export const PLUS_FOUR: ZoneInfo = { name: '+04:00', hasDaylightSaving: false, offsetsSeconds: [4 * HOUR], abbreviations: [] };
export const UTC: ZoneInfo = { name: 'UTC', hasDaylightSaving: false, offsetsSeconds: [0], abbreviations: ['UTC'] };

/** A decrypt policy with one `time-range-rule` between the two times, written as given. */
export const timeWindow = (start: string, end: string) => yaml('decrypt:', '- - rule: time-range-rule', `    time_start: ${start}`, `    time_end: ${end}`);
