/** The transcript format the administrator's guide is written in (test/guide/transcript.ts). */
import { describe, expect, it } from 'vitest';
import { outputPattern, parseGuide } from './transcript.js';

const fence = '```';

describe('guide transcripts', () => {
  it('reads commands, continuation lines, outputs, exit statuses and files to write, by section', () => {
    const steps = parseGuide([
      '## One', '<!-- file: a/b.yml -->', `${fence}yaml`, 'x: 1', fence,
      `${fence}console`, '$ cat > c <<EOF', '> hello', '> EOF', '$ false', '[1]', '$ echo [2]; echo x', '[2]', 'x', fence,
    ].join('\n'));
    expect(steps).toEqual([
      { section: 'One', line: 3, file: 'a/b.yml', content: 'x: 1\n' },
      { section: 'One', line: 7, text: 'cat > c <<EOF\nhello\nEOF', expected: [], status: 0 },
      { section: 'One', line: 10, text: 'false', expected: [], status: 1 },
      // `[N]` is the exit status only as the command's last line.
      { section: 'One', line: 12, text: 'echo [2]; echo x', expected: ['[2]', 'x'], status: 0 },
    ]);
  });

  it('refuses a block that nothing would run, and output before any command', () => {
    expect(() => parseGuide(`${fence}sh\nkss keyserver create\n${fence}`)).toThrow(/line 1: a `sh` block is neither a console session nor a file to write/);
    expect(() => parseGuide(`${fence}console\nhello\n${fence}`)).toThrow(/line 2: a console block starts with `\$ `/);
    expect(() => parseGuide(`${fence}console\n$ true\n`)).toThrow(/never closed/);
  });

  it('matches `…` as any text within a line, and a `…` line as any number of lines', () => {
    const p = outputPattern(['start …', '…', 'end']);
    expect(p.test('start 1 2\nend\n')).toBe(true);
    expect(p.test('start \na\nb\nend\n')).toBe(true);
    expect(p.test('start x\nend\nmore\n')).toBe(false);
    expect(p.test('begin\nend\n')).toBe(false);
    expect(outputPattern([]).test('')).toBe(true);
    expect(outputPattern([]).test('noise\n')).toBe(false);
    expect(outputPattern(['a.b (c)']).test('a.b (c)\n')).toBe(true);
    expect(outputPattern(['a.b (c)']).test('aXb (c)\n')).toBe(false);
  });
});
