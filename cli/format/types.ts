/** What every output format receives: one entry per checked file, in the order given. */
import type { FileReport } from '../../compiler/text-report.js';

export type { FileReport } from '../../compiler/text-report.js';

export interface FormatOptions {
  color: boolean;
}

export type Formatter = (reports: FileReport[], options: FormatOptions) => string;
