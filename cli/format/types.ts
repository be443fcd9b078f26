/** What every output format receives: one entry per checked file, in the order given. */
import type { Diagnostic } from '../../compiler/diagnostics.js';

export interface FileReport {
  /** The path as shown to the user (relative to the working folder when possible). */
  file: string;
  /** The file's text, for source lines in the text format (empty when it could not be read). */
  text: string;
  diagnostics: Diagnostic[];
}

export interface FormatOptions {
  color: boolean;
}

export type Formatter = (reports: FileReport[], options: FormatOptions) => string;
