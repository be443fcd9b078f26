/**
 * Argument validation against schemas/rules/*.schema.json. Each argument is validated on its own
 * against its property schema, so an error's instancePath points inside that one value and maps to a
 * precise range (an item of a list, for example). The validators are ajv's, compiled ahead of time
 * into validators.generated.ts by `node schemas/generate.mjs` (a test keeps it fresh).
 *
 * JSON Schema has no word for "finite": ajv takes `.inf` for an integer (`Infinity % 1` is NaN, and
 * its test is `!(x % 1)`). A non-finite number is refused here, so that the checker and lowering,
 * which both ask this module, agree on what a valid value is.
 */
import type { ErrorObject } from 'ajv';
import type { PlainValue } from '../source/ast.js';
import { ruleSchemas } from '../schemas.js';
import type { RuleKind } from '../ir/types.js';
import { validators } from './validators.generated.js';

interface RuleSchemaShape {
  properties: Record<string, Record<string, unknown>>;
}

type Validate = ((value: unknown) => boolean) & { errors?: ErrorObject[] | null };
const table = validators as Record<string, Validate>;

const names = new Map<RuleKind, string[]>();

/** Argument names a rule kind accepts, `rule_id` included. */
export function argumentNames(kind: RuleKind): string[] {
  let list = names.get(kind);
  if (!list) {
    list = Object.keys((ruleSchemas[kind] as unknown as RuleSchemaShape).properties).filter((k) => k !== 'rule');
    names.set(kind, list);
  }
  return list;
}

export function propertySchema(kind: RuleKind, key: string): Record<string, unknown> | undefined {
  return (ruleSchemas[kind] as unknown as RuleSchemaShape).properties[key];
}

/** Every argument's schema `default`, by kind and argument name (read on every absent argument). */
const DEFAULTS: ReadonlyMap<string, ReadonlyMap<string, PlainValue>> = new Map(Object.entries(ruleSchemas).map(([kind, schema]) => [
  kind,
  new Map(Object.entries((schema as unknown as RuleSchemaShape).properties).flatMap(([key, property]) => ('default' in property ? [[key, property['default'] as PlainValue]] : []))),
]));

/** The schema's `default` of an argument: what an absent argument means (undefined for an unknown kind or none). */
export function argumentDefault(kind: string, key: string): PlainValue | undefined {
  return DEFAULTS.get(kind)?.get(key);
}

/** Validators by kind, then argument name: built once, no string keys per lookup. */
const byKind = new Map<string, Map<string, Validate>>();
for (const [id, validate] of Object.entries(table)) {
  const [kind, key] = id.split('/') as [string, string];
  if (!byKind.has(kind)) byKind.set(kind, new Map());
  byKind.get(kind)!.set(key, validate);
}

const NO_ERRORS: ErrorObject[] = [];

/** The errors of one argument's value, or [] when valid (or when the key is unknown). */
export function validateArgument(kind: RuleKind, key: string, value: PlainValue): ErrorObject[] {
  const validate = byKind.get(kind)?.get(key);
  if (validate === undefined) {
    if (propertySchema(kind, key)) throw new Error(`no validator for \`${kind}/${key}\`: run \`node schemas/generate.mjs\``);
    return NO_ERRORS;
  }
  const errors = validate(value) ? NO_ERRORS : [...(validate.errors ?? [])];
  if (typeof value !== 'number' && !Array.isArray(value)) return errors;
  const infinite = nonFinitePath(value, '');
  if (infinite === null || errors.some((e) => e.instancePath === infinite)) return errors;
  return [...errors, { keyword: 'finite', instancePath: infinite, schemaPath: '#', params: {}, message: 'must be a finite number' }];
}

/** Where a value holds `.inf`, `-.inf` or `.nan` (JSON pointer), or null. */
function nonFinitePath(value: PlainValue, path: string): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nonFinitePath(value[i]!, `${path}/${i}`);
      if (found !== null) return found;
    }
  }
  return null;
}
