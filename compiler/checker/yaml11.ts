/**
 * How a YAML 1.1 reader (PyYAML, the reference's) resolves a plain scalar: the implicit resolvers of
 * PyYAML's `Resolver`, so that values read differently than under YAML 1.2 can be flagged.
 */

export type Yaml11Value =
  | { kind: 'bool'; value: boolean }
  | { kind: 'int'; value: number; sexagesimal: boolean; octal: boolean }
  | { kind: 'float'; value: number }
  | { kind: 'null' }
  | { kind: 'timestamp' }
  | { kind: 'str' };

const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const FLOAT = /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const INT = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const NULL = /^(?:~|null|Null|NULL|)$/;
const TIMESTAMP = /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/;

/** Every YAML 1.1 implicit type starts like this or is one of these words; anything else is a string. */
const MAYBE_TYPED = /^[-+.~0-9]|^(?:yes|no|true|false|on|off|null)$|^$/i;

export function resolveYaml11(text: string): Yaml11Value {
  // Fast path: most values of a policy (paths, rule kinds, words) start with a letter or `/`.
  if (!MAYBE_TYPED.test(text)) return { kind: 'str' };
  if (BOOL.test(text)) return { kind: 'bool', value: /^(?:yes|true|on)$/i.test(text) };
  if (INT.test(text)) return int(text);
  if (FLOAT.test(text)) return { kind: 'float', value: float(text) };
  if (NULL.test(text)) return { kind: 'null' };
  if (TIMESTAMP.test(text)) return { kind: 'timestamp' };
  return { kind: 'str' };
}

function int(text: string): Yaml11Value & { kind: 'int' } {
  let body = text.replace(/_/g, '');
  let sign = 1;
  if (body.startsWith('-')) sign = -1;
  if (body.startsWith('-') || body.startsWith('+')) body = body.slice(1);
  if (body === '0') return { kind: 'int', value: 0, sexagesimal: false, octal: false };
  if (body.startsWith('0b')) return { kind: 'int', value: sign * parseInt(body.slice(2), 2), sexagesimal: false, octal: false };
  if (body.startsWith('0x')) return { kind: 'int', value: sign * parseInt(body.slice(2), 16), sexagesimal: false, octal: false };
  if (body.startsWith('0')) return { kind: 'int', value: sign * parseInt(body, 8), sexagesimal: false, octal: true };
  if (body.includes(':')) return { kind: 'int', value: sign * sexagesimal(body), sexagesimal: true, octal: false };
  return { kind: 'int', value: sign * Number(body), sexagesimal: false, octal: false };
}

function float(text: string): number {
  const body = text.replace(/_/g, '').toLowerCase();
  if (body.endsWith('.inf')) return body.startsWith('-') ? -Infinity : Infinity;
  if (body.endsWith('.nan')) return NaN;
  if (body.includes(':')) {
    const sign = body.startsWith('-') ? -1 : 1;
    return sign * sexagesimal(body.replace(/^[-+]/, ''));
  }
  return Number(body);
}

function sexagesimal(body: string): number {
  return body.split(':').reduce((total, part) => total * 60 + Number(part), 0);
}
