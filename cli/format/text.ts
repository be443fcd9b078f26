/** `--format text`: the compiler's text report (compiler/text-report.ts), with the summary line. */
import { formatTextReport } from '../../compiler/text-report.js';
import type { Formatter } from './types.js';

export const formatText: Formatter = (reports, options) => formatTextReport(reports, { color: options.color, summary: true });
