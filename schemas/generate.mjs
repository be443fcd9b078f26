// Writes schemas/keyserver.schema.json from schemas/rules/*.schema.json so that the whole-file schema
// is self-contained (editors load one file) while each rule's arguments are written once.
// Run: node schemas/generate.mjs   (test/checker/schemas.test.ts fails when the output is stale)
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

export const REQUEST_TYPES = {
  decrypt: 'Decrypting a file. Absent from the policy: denied.',
  search: 'Searching the key shard index. Absent from the policy: denied. `meta-rule` is not allowed here.',
  create_profile: 'Creating a profile. Absent from the policy: approved. `profile-id-rule`, `per-profile-throttle-rule` and `meta-rule` are not allowed here.',
  create_location: 'Creating a location. Absent from the policy: approved. `meta-rule` is not allowed here.',
  rename: 'Renaming a file. Absent from the policy: denied.',
  secure_export: 'Exporting a file securely. Absent from the policy: denied.',
  start_session: 'Starting a session; `session-params-rule` describes it. Absent from the policy: denied.',
  change_profile: 'Changing a profile. Absent from the policy: denied.',
};
const INCOMPATIBLE = {
  create_profile: ['profile-id-rule', 'per-profile-throttle-rule', 'meta-rule'],
  create_location: ['meta-rule'],
  search: ['meta-rule'],
};

export function generate() {
  const rules = {};
  for (const file of readdirSync(`${here}rules`).filter((f) => f.endsWith('.schema.json')).sort()) {
    const { $schema, $id, ...schema } = JSON.parse(readFileSync(`${here}rules/${file}`, 'utf8'));
    rules[schema.title] = schema;
  }
  const kinds = Object.keys(rules);
  const $defs = { ...rules };
  const properties = {};
  for (const [type, description] of Object.entries(REQUEST_TYPES)) {
    const allowed = kinds.filter((k) => !(INCOMPATIBLE[type] ?? []).includes(k));
    const tree = `tree-${type}`;
    $defs[tree] = {
      type: 'array',
      description: 'Rule sets, tried in order; the first whose rules all approve decides.',
      items: {
        type: 'array',
        description: 'A rule set: approves when every rule in it approves.',
        items: {
          type: 'object',
          required: ['rule'],
          properties: { rule: { enum: allowed, description: 'The rule kind.' } },
          allOf: allowed.map((kind) => ({ if: { properties: { rule: { const: kind } }, required: ['rule'] }, then: { $ref: `#/$defs/${kind}` } })),
        },
      },
    };
    properties[type] = { $ref: `#/$defs/${tree}`, description, markdownDescription: description };
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://kss.invalid/schemas/keyserver.schema.json',
    title: 'keyserver.yml',
    description: 'A Key Shard Server approval policy: request type → rule sets → rules.',
    type: 'object',
    properties,
    additionalProperties: false,
    $defs,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = `${JSON.stringify(generate(), null, 2)}\n`;
  if (process.argv.includes('--check')) {
    // Used by test/checker/schemas.test.ts: fails when someone edited rules/ without regenerating.
    const current = readFileSync(`${here}keyserver.schema.json`, 'utf8');
    if (current !== text) {
      console.error('schemas/keyserver.schema.json is stale: run `node schemas/generate.mjs`');
      process.exit(1);
    }
  } else {
    writeFileSync(`${here}keyserver.schema.json`, text);
    console.log('wrote schemas/keyserver.schema.json');
  }
}
