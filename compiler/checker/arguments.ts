/**
 * Argument validation against schemas/rules/*.schema.json with ajv: each argument is validated on its
 * own against its property schema, so an ajv error's instancePath points inside that one value and
 * maps to a precise range (an item of a list, for example).
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { PlainValue } from '../source/ast.js';
import { ruleSchemas } from '../schemas.js';
import type { RuleKind } from '../ir/types.js';
import { RULE_KINDS } from '../ir/types.js';

// The named export: the default export of a CommonJS module is awkward under NodeNext.
const ajv = new Ajv2020({ allErrors: true, strict: false });

const validators = new Map<string, ValidateFunction>();

interface RuleSchemaShape {
  properties: Record<string, Record<string, unknown>>;
}

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

/** The ajv errors of one argument's value, or [] when valid (or when the key is unknown). */
export function validateArgument(kind: RuleKind, key: string, value: PlainValue): ErrorObject[] {
  const id = `${kind}\u0000${key}`;
  let validate = validators.get(id);
  if (validate === undefined) {
    const schema = propertySchema(kind, key);
    if (!schema) return [];
    validate = ajv.compile(schema);
    validators.set(id, validate);
  }
  return validate(value) ? [] : [...(validate.errors ?? [])];
}

/** Compile everything up front (used by benchmarks and to fail fast on a broken schema). */
export function warmUp(): void {
  for (const kind of RULE_KINDS) for (const key of argumentNames(kind)) validateArgument(kind, key, null);
}
