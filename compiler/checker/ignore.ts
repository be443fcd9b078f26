/**
 * `# kss-ignore: KSS3005, unreachable-rule-set` silences those codes (or check ids) at one place:
 * written at the end of a line it covers that line; on a line of its own it covers the next line.
 */

const IGNORE = /(?:^|\s)#\s*kss-ignore:?\s*([A-Za-z0-9_, -]+)/;

/** 1-based line → codes or check ids silenced on that line. */
export function ignoredCodesByLine(text: string): Map<number, Set<string>> {
  const result = new Map<number, Set<string>>();
  if (!text.includes('kss-ignore')) return result;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const match = IGNORE.exec(line);
    if (!match) continue;
    const codes = match[1]!.split(/[\s,]+/).filter((c) => c.length > 0);
    const standalone = line.trimStart().startsWith('#');
    const target = standalone ? i + 2 : i + 1;
    const set = result.get(target) ?? new Set<string>();
    for (const code of codes) set.add(code);
    result.set(target, set);
  }
  return result;
}
