/**
 * runtime/time: the one module that reads zone strings and answers every local reading of an
 * instant (SPEC 4.6). Everything else imports from here.
 */
export { describeZone } from './describe.js';
export { formatInstant, instantFromMs, instantFromUs, instantOfWall, isoFromMs, msOf, parseInstant, type Instant } from './instant.js';
export { formatOffset, formatTimeOfDay, localMoment, type LocalMoment } from './local.js';
export { machineZone, parseZone, ZONE_HELP, ZoneError, zoneProblem, type Zone } from './zone.js';
