/**
 * The language server's formatter warm-up (lsp/warm-up.ts): its policies take every step a real
 * format takes (read by sections without a diagnostic, rewritten, the result read back), and the
 * rounds run one per timer, wait while the editor is busy, stop when told and on a failure.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SectionFormatter } from '../../compiler/format/by-sections.js';
import { formatPolicy } from '../../compiler/format/format.js';
import { IncrementalAnalyzer } from '../../compiler/sections/incremental.js';
import { untidyPolicy, warmUpFormatter } from '../../lsp/warm-up.js';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('the formatter warm-up', () => {
  it('formats policies that read by sections, clean, and that formatting rewrites', () => {
    for (const seed of [1, 17, 40]) {
      const text = untidyPolicy(2, seed);
      const analyzer = new IncrementalAnalyzer();
      expect(analyzer.analyze(text, 'warm-up.yml').diagnostics).toEqual([]);
      const formatter = new SectionFormatter();
      const result = formatter.format(text, analyzer.lastRead!.sections);
      expect(formatter.last).toEqual({ parts: 4, formatted: 4 });
      expect(result!.text).not.toBe(text);
      expect(result).toEqual(formatPolicy(text));
    }
    expect(untidyPolicy(2, 1)).not.toBe(untidyPolicy(2, 2));
  });

  it('runs its rounds one per timer, none while the editor is busy, and stops when told', () => {
    vi.useFakeTimers();
    const format = vi.spyOn(SectionFormatter.prototype, 'format');
    let busy = true;
    const done = vi.fn();
    const stop = warmUpFormatter({ busy: () => busy, failed: (e) => { throw e; }, done, rounds: 5, delayMs: 50 });
    vi.advanceTimersByTime(2_000);
    expect(format).not.toHaveBeenCalled();
    busy = false;
    vi.advanceTimersByTime(200);
    expect(format.mock.calls.length).toBeGreaterThanOrEqual(1);
    vi.advanceTimersByTime(1_000);
    expect(format).toHaveBeenCalledTimes(5);
    expect(done).toHaveBeenCalledTimes(1);
    expect(done.mock.calls[0]![0]).toBeGreaterThanOrEqual(0);
    vi.advanceTimersByTime(1_000);
    expect(format).toHaveBeenCalledTimes(5);

    format.mockClear();
    const stopSoon = warmUpFormatter({ busy: () => false, failed: (e) => { throw e; }, rounds: 5, delayMs: 0 });
    vi.advanceTimersByTime(0);
    expect(format).toHaveBeenCalledTimes(1);
    stopSoon();
    vi.advanceTimersByTime(1_000);
    expect(format).toHaveBeenCalledTimes(1);
    stop();
  });

  it('stops at the first round that throws and reports it', () => {
    vi.useFakeTimers();
    const format = vi.spyOn(SectionFormatter.prototype, 'format').mockImplementation(() => {
      throw new Error('broken formatter');
    });
    const failed = vi.fn();
    warmUpFormatter({ busy: () => false, failed, rounds: 5, delayMs: 0 });
    vi.advanceTimersByTime(1_000);
    expect(format).toHaveBeenCalledTimes(1);
    expect(failed).toHaveBeenCalledWith(expect.objectContaining({ message: 'broken formatter' }));
  });
});
