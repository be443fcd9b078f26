/** Diagnostics are plain data with stable codes (KSS1xxx syntax/shape, KSS2xxx semantics, KSS3xxx lints). */

export interface Position {
  /** 0-based offset into the source text (UTF-16 code units, as JavaScript strings count). */
  offset: number;
  /** 1-based line. */
  line: number;
  /** 1-based column (UTF-16 code units). */
  column: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export const SEVERITY_RANK: Record<Severity, number> = { hint: 0, info: 1, warning: 2, error: 3 };

export interface Diagnostic {
  code: string;
  severity: Severity;
  /** One line, lower-case, no final period, user input in backticks. */
  message: string;
  range: Range;
  /** Longer explanation or the suggested fix, in words. */
  help?: string;
  /** Machine-readable payload for quick fixes (e.g. `{ replacement: 'per_day' }`). */
  data?: Record<string, unknown>;
}

/** Converts offsets to 1-based line/column positions. Built once per source text. */
export class LineIndex {
  private readonly lineStarts: number[] = [0];
  /**
   * The line of the last position asked for: the AST builder and the checks ask in text order, so
   * the next offset is most often on the same line or the next (no search through 5,000 lines).
   */
  private lastLine = 0;

  constructor(readonly text: string) {
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) this.lineStarts.push(at + 1);
  }

  position(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const starts = this.lineStarts;
    let line = this.lastLine;
    if (starts[line]! > clamped || (line + 1 < starts.length && starts[line + 1]! <= clamped)) {
      if (line + 2 < starts.length && starts[line + 1]! <= clamped && starts[line + 2]! > clamped) line++;
      else line = this.search(clamped);
      this.lastLine = line;
    }
    return { offset: clamped, line: line + 1, column: clamped - starts[line]! + 1 };
  }

  /** The 0-based line of `offset` (the last line start at or before it). */
  private search(offset: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(Math.max(start, end)) };
  }

  /** The text of a 1-based line, without its line break. */
  lineText(line: number): string {
    const start = this.lineStarts[line - 1];
    if (start === undefined) return '';
    const next = this.lineStarts[line];
    const end = next === undefined ? this.text.length : next - 1;
    return this.text.slice(start, end).replace(/\r$/, '');
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }
}
