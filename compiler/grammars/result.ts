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
