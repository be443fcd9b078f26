/**
 * What the compiler may know about the server's time zone, when the caller knows the zone (kss
 * serve, `policy --load`, `kss eval`, `kss test`; not `kss check` without `--tz`). The compiler reads
 * no zone itself: runtime/time builds this from a zone string (DESIGN: one module reads zones) and
 * passes it in, so the arrow `runtime -> compiler` holds.
 *
 * Some checks depend on it (SPEC 4.3): an abbreviation that names the server zone in a zone with
 * daylight saving, and a `time_start` with an offset that is not before a naive `time_end` once the
 * zone's offset is known.
 */
export interface ZoneInfo {
  /** As given: an IANA name (`America/New_York`), `UTC`, or a fixed offset (`+04:00`). */
  readonly name: string;
  /** True when the zone's UTC offset changes during the year (daylight saving). */
  readonly hasDaylightSaving: boolean;
  /**
   * Every distinct UTC offset, in seconds east of UTC, that the zone uses from a year before to a
   * year after the moment it was described (one entry for a fixed offset).
   */
  readonly offsetsSeconds: readonly number[];
  /**
   * The abbreviations the system's time zone database gives the zone (`EST`, `EDT`), as Python's
   * `time.tzname` reads them on the reference's server; upper case, empty for fixed offsets.
   */
  readonly abbreviations: readonly string[];
}
