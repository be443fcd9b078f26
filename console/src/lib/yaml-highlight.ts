/**
 * Syntax highlighting for the policy page: splits each line of a keyserver.yml into tokens with a
 * class (key, string, number, comment, ...). A line-by-line reading, enough for display: it never
 * decides what the policy means (the compiler does). Joining the tokens gives the line back.
 */

export type TokenClass = 'key' | 'string' | 'number' | 'bool' | 'comment' | 'anchor' | 'punct' | 'text';

export interface Token {
  cls: TokenClass;
  text: string;
}

const SCALAR_END = /\s+#|$/;

function scalarClass(text: string): TokenClass {
  const t = text.trim();
  if (/^(['"]).*\1$/.test(t)) return 'string';
  if (/^[-+]?(?:\d[\d_]*)(?:\.\d+)?(?:[eE][-+]?\d+)?$/.test(t)) return 'number';
  if (/^(?:true|false|yes|no|on|off|null|~)$/i.test(t)) return 'bool';
  if (/^[&*!]/.test(t)) return 'anchor';
  return 'text';
}

/** The end of a quoted scalar starting at `i`, or -1 when it is not closed on this line. */
function quotedEnd(line: string, i: number): number {
  const q = line[i]!;
  for (let j = i + 1; j < line.length; j++) {
    if (q === '"' && line[j] === '\\') j++;
    else if (line[j] === q) {
      if (q === "'" && line[j + 1] === "'") j++;
      else return j + 1;
    }
  }
  return -1;
}

function pushValue(out: Token[], rest: string): void {
  let i = 0;
  while (i < rest.length) {
    const ch = rest[i]!;
    if (/\s/.test(ch) || '[]{},'.includes(ch)) {
      let j = i;
      while (j < rest.length && (/\s/.test(rest[j]!) || '[]{},'.includes(rest[j]!))) j++;
      out.push({ cls: /\S/.test(rest.slice(i, j)) ? 'punct' : 'text', text: rest.slice(i, j) });
      i = j;
    } else if (ch === '#' && (i === 0 || /\s/.test(rest[i - 1]!))) {
      out.push({ cls: 'comment', text: rest.slice(i) });
      return;
    } else if (ch === '"' || ch === "'") {
      const end = quotedEnd(rest, i);
      const stop = end < 0 ? rest.length : end;
      out.push({ cls: 'string', text: rest.slice(i, stop) });
      i = stop;
    } else {
      const inFlow = /[[{]/.test(rest.slice(0, i));
      const m = (inFlow ? /[,\]}]|\s+#|$/ : SCALAR_END).exec(rest.slice(i))!;
      const word = rest.slice(i, i + Math.max(m.index, 1));
      out.push({ cls: scalarClass(word), text: word });
      i += word.length;
    }
  }
}

export function highlightLine(line: string): Token[] {
  const out: Token[] = [];
  const lead = /^(\s*)((?:-\s+)*)/.exec(line)!;
  if (lead[1]) out.push({ cls: 'text', text: lead[1] });
  if (lead[2]) out.push({ cls: 'punct', text: lead[2] });
  const rest = line.slice(lead[0].length);
  if (rest.startsWith('#')) {
    out.push({ cls: 'comment', text: rest });
    return out;
  }
  const key = /^((?:[^\s#'"][^:#]*?|'[^']*'|"[^"]*"))(:)(?=\s|$)/.exec(rest);
  if (key) {
    out.push({ cls: 'key', text: key[1]! }, { cls: 'punct', text: ':' });
    pushValue(out, rest.slice(key[0].length));
  } else {
    pushValue(out, rest);
  }
  return out;
}

export function highlight(source: string): Token[][] {
  return source.split('\n').map(highlightLine);
}
