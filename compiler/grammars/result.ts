/** What every little-language parser returns: a value, or errors pointing inside the string. */

/** `start`/`end`: 0-based UTF-16 offsets within the string as written (including a leading `!`). */
export interface FragmentError {
  message: string;
  start: number;
  end: number;
  help?: string;
}

export interface FragmentResult<T> {
  value: T | null;
  errors: FragmentError[];
  warnings: FragmentError[];
}

export function ok<T>(value: T, warnings: FragmentError[] = []): FragmentResult<T> {
  return { value, errors: [], warnings };
}

export function fail<T>(errors: FragmentError[], warnings: FragmentError[] = []): FragmentResult<T> {
  return { value: null, errors, warnings };
}

/** Thrown inside a translator to stop at the first error; caught at the module's entry point. */
export class FragmentFailure extends Error {
  constructor(readonly error: FragmentError) {
    super(error.message);
  }
}

type Translate<T> = (written: string, caseSensitive: boolean) => FragmentResult<T>;

/**
 * Wraps a pattern translator: results are cached by (case sensitivity, pattern) because big policies
 * repeat the same patterns; a translator that throws (a kss bug) becomes an error on the whole
 * pattern instead of reaching the caller; and callers get copies, so one cannot change another's.
 */
export function cachedTranslator<T extends object>(what: string, translate: Translate<T>, limit = 5000): Translate<T> {
  const cache = new Map<string, FragmentResult<T>>();
  return (written, caseSensitive) => {
    const key = `${caseSensitive ? 1 : 0}${written}`;
    let result = cache.get(key);
    if (!result) {
      try {
        result = translate(written, caseSensitive);
      } catch (e) {
        result = fail([{ message: `kss could not translate this ${what} (${(e as Error).message})`, start: 0, end: written.length, help: 'please report this as a kss bug' }]);
      }
      if (cache.size >= limit) cache.clear();
      cache.set(key, result);
    }
    return { value: result.value && { ...result.value }, errors: result.errors.map((e) => ({ ...e })), warnings: result.warnings.map((e) => ({ ...e })) };
  };
}
