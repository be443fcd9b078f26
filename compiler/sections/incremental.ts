/**
 * Analysis of a document that changes a little at a time (the language server, while the author
 * types): each top-level section (one request type) is read, built and checked on its own and kept,
 * so an edit inside one request type reads and checks that section again and reuses the others.
 * The result is the very AnalyzeResult of `analyzePolicy` (test/sections/ compares them on random
 * edits). Whenever a section cannot be read on its own exactly as the whole text would read it
 * (split.ts, read.ts), or a policy-wide limit or a repeated top-level key is in play, the whole
 * text is analysed as `kss check` does.
 */
import type { Document } from 'yaml';
import { analyzePolicy, finishDiagnostics } from '../analyze.js';
import type { AnalyzeOptions, AnalyzeResult, PolicySource } from '../analyze.js';
import { Fragments } from '../arguments/fragments.js';
import { FRAMEWORK_CODES } from '../checker/framework-codes.js';
import { REGISTRY } from '../checker/registry.js';
import { runChecks } from '../checker/run.js';
import { LineIndex } from '../diagnostics.js';
import type { Diagnostic } from '../diagnostics.js';
import type { PolicyAst, RequestTypeNode } from '../source/ast.js';
import { decodePolicy } from '../source/decode.js';
import { LIMITS } from '../source/limits.js';
import { buildPolicy, MAX_SOURCE_LENGTH } from '../source/parse.js';
import type { BudgetCounts } from '../source/limits.js';
import type { ZoneInfo } from '../zone-info.js';
import { readSection } from './read.js';
import type { SectionRead } from './read.js';
import { shiftSection } from './shift.js';
import { splitSections } from './split.js';
import type { Section } from './split.js';

/** A section and its reading, which is the one the whole text gives (read.ts). */
export interface ReadSection extends Section {
  document: Document.Parsed;
}

/** Checks whose findings in one request type depend only on it; the others see the whole policy. */
const SECTION_CHECKS = REGISTRY.filter((c) => c.scope !== 'policy');
const POLICY_CHECKS = REGISTRY.filter((c) => c.scope === 'policy');

/** A section built and checked where it stands: valid while its text, offset and line stay the same. */
interface Checked {
  start: number;
  line: number;
  requestType: RequestTypeNode;
  diagnostics: Diagnostic[];
  counted: BudgetCounts;
}

export class IncrementalAnalyzer {
  /** By section text: the reading does not depend on where the section stands. */
  private reads = new Map<string, SectionRead>();
  private checked = new Map<string, Checked>();
  private settings: { file: string; zone: ZoneInfo | undefined } | null = null;
  /**
   * The last analysis by sections: how many sections it read again (YAML), how many it built and
   * checked again (a section after an edit that adds lines stands elsewhere), and how many it moved
   * instead (after an edit that keeps the lines: only offsets change, shift.ts); null: read whole.
   */
  last: { sections: number; read: number; checked: number; moved: number } | null = null;
  /**
   * The text of the last analysis by sections, its sections and their readings (formatting by
   * sections, compiler/format/by-sections.ts, starts from them); null when it was read whole.
   */
  lastRead: { text: string; sections: ReadSection[] } | null = null;

  analyze(source: PolicySource, file: string, options: AnalyzeOptions = {}): AnalyzeResult {
    // Everything kept depends on the file name (in the AST) and the zone (zone-aware checks).
    if (this.settings?.file !== file || this.settings.zone !== options.zone) {
      this.reads.clear();
      this.checked.clear();
      this.settings = { file, zone: options.zone };
    }
    const decoded = decodePolicy(source);
    const result = decoded.diagnostics.length === 0 ? this.bySections(decoded.text, file, options) : null;
    if (result) return result;
    this.last = null;
    this.lastRead = null;
    return analyzePolicy(source, file, options);
  }

  private bySections(text: string, file: string, options: AnalyzeOptions): AnalyzeResult | null {
    if (text.length > MAX_SOURCE_LENGTH || text.includes('\u0000')) return null;
    const sections = splitSections(text);
    if (!sections) return null;
    const lines = new LineIndex(text);
    const fragments = new Fragments();
    const reads = new Map<string, SectionRead>();
    const checked = new Map<string, Checked>();
    const keys = new Set<unknown>();
    const requestTypes: RequestTypeNode[] = [];
    const readSections: ReadSection[] = [];
    const found: Diagnostic[] = [];
    const total = { values: 0, nodes: 0, expanded: 0 };
    let reread = 0;
    let rechecked = 0;
    let moved = 0;
    for (const section of sections) {
      const known = reads.get(section.text) ?? this.reads.get(section.text);
      if (!known) reread++;
      const read = known ?? readSection(section.text, section.keyAt);
      reads.set(section.text, read);
      // Repeated top-level keys are reported by the parser alone: the whole text says which.
      if (!read.document || keys.has(read.key)) return null;
      keys.add(read.key);
      readSections.push({ ...section, document: read.document });
      const kept = this.checked.get(section.text);
      let done: Checked | null;
      if (kept && kept.line === section.line && kept.start === section.start) done = kept;
      else if (kept && kept.line === section.line) {
        done = { ...kept, start: section.start, ...shiftSection(kept.requestType, kept.diagnostics, section.start - kept.start) };
        moved++;
      } else {
        done = check(section, read, text, lines, file, fragments, options.zone);
        rechecked++;
      }
      if (!done) return null;
      checked.set(section.text, done);
      requestTypes.push(done.requestType);
      found.push(...done.diagnostics);
      total.values += read.values;
      total.nodes += done.counted.nodes;
      total.expanded += done.counted.expanded;
    }
    // The limits hold for the whole policy: a sum near them is left to the whole reading.
    if (total.values > LIMITS.nodes || total.nodes > LIMITS.nodes || total.expanded > LIMITS.aliasExpansion) return null;
    const ast: PolicyAst = { file, text, lines, requestTypes, document: null };
    const policyWide = checksOf(ast, POLICY_CHECKS, fragments, options.zone);
    if (!policyWide) return null;
    found.push(...policyWide);
    this.reads = reads;
    this.checked = checked;
    this.last = { sections: sections.length, read: reread, checked: rechecked, moved };
    this.lastRead = { text, sections: readSections };
    return { text, ast, diagnostics: finishDiagnostics(found, text, options), fragments };
  }
}

function check(section: Section, read: SectionRead, text: string, lines: LineIndex, file: string, fragments: Fragments, zone: ZoneInfo | undefined): Checked | null {
  const built = buildPolicy(read.document!, lines, section.start);
  const requestType = built.requestTypes?.[0];
  if (!requestType || built.repeatedKeys) return null;
  const found = checksOf({ file, text, lines, requestTypes: [requestType], document: null }, SECTION_CHECKS, fragments, zone);
  if (!found) return null;
  return { start: section.start, line: section.line, requestType, diagnostics: [...built.diagnostics, ...found], counted: built.counted };
}

/** Null when a check failed: its one internal-error diagnostic is the whole policy's to report. */
function checksOf(ast: PolicyAst, checks: typeof REGISTRY, fragments: Fragments, zone: ZoneInfo | undefined): Diagnostic[] | null {
  const found = runChecks(ast, checks, { fragments, ...(zone ? { zone } : {}) });
  return found.some((d) => d.code === FRAMEWORK_CODES.internalError.code) ? null : found;
}
