/**
 * What the editor says about request types, rule kinds and arguments: an adapter over the docs
 * accessors of compiler/schemas.ts (read from schemas/, which the checker validates against), so
 * completion and hover never drift from the checker.
 */
import { stringify } from 'yaml';
import { isRequestType, isRuleKind, requestTypeDocs as REQUEST_TYPE_DOCS, ruleArgumentDocs as schemaArguments, ruleIdDoc, ruleKindDocs as RULE_KIND_DOCS } from '../compiler/schemas.js';
import type { ArgumentDoc as SchemaArgumentDoc } from '../compiler/schemas.js';

export interface NamedDoc {
  name: string;
  /** One line, plain text. */
  summary: string;
  /** Markdown, with an example when the schema has one. */
  markdown: string;
}

export interface ArgumentDoc extends NamedDoc {
  type: string;
  /** Kept for the reference's policies only (schema `deprecated`): not offered by completion. */
  deprecated: boolean;
}

export interface ValueChoice {
  /** The text to insert. */
  text: string;
  label: string;
  detail?: string;
}

export function requestTypeDocs(): NamedDoc[] {
  return Object.values(REQUEST_TYPE_DOCS).map((doc) => {
    const allowed = Object.values(RULE_KIND_DOCS).filter((k) => !k.notAllowedIn.includes(doc.name));
    // The example uses the first allowed kind that has arguments worth showing.
    const sample = allowed.find((k) => k.example !== undefined && Object.keys(k.example as object).length > 1);
    const example = sample ? `\n\nExample:\n\n\`\`\`yaml\n${stringify({ [doc.name]: [[sample.example]] }).trimEnd()}\n\`\`\`` : '';
    return {
      name: doc.name,
      summary: doc.description,
      markdown: `**${doc.name}** (request type)\n\n${doc.markdownDescription}\n\nRule kinds allowed: ${allowed.map((k) => `\`${k.kind}\``).join(', ')}${example}`,
    };
  });
}

/** Rule kinds allowed under a request type (all kinds when the type is unknown). */
export function ruleKindDocs(requestType: string | null = null): NamedDoc[] {
  return Object.values(RULE_KIND_DOCS)
    .filter((doc) => !(requestType && isRequestType(requestType) && doc.notAllowedIn.includes(requestType)))
    .map((doc) => ruleKindDoc(doc.kind)!);
}

export function ruleKindDoc(kind: string): NamedDoc | undefined {
  if (!isRuleKind(kind)) return undefined;
  const doc = RULE_KIND_DOCS[kind];
  const example = doc.example === undefined ? '' : `\n\nExample:\n\n\`\`\`yaml\n${stringify([doc.example]).trimEnd()}\n\`\`\``;
  const notAllowed = doc.notAllowedIn.length === 0 ? '' : `\n\nNot allowed in: ${doc.notAllowedIn.map((t) => `\`${t}\``).join(', ')}`;
  return { name: kind, summary: doc.description, markdown: `**${kind}**\n\n${doc.markdownDescription}${notAllowed}${example}` };
}

function schemaArgs(kind: string): SchemaArgumentDoc[] {
  return isRuleKind(kind) ? [...schemaArguments(kind), ruleIdDoc] : [];
}

/** The keys a rule of this kind accepts: its arguments, then `rule_id`. */
export function ruleArgumentDocs(kind: string): ArgumentDoc[] {
  return schemaArgs(kind).map((arg) => ({ name: arg.name, summary: arg.description, markdown: argumentMarkdown(kind, arg), type: arg.type, deprecated: arg.deprecated }));
}

export function argumentDoc(kind: string, name: string): ArgumentDoc | undefined {
  return ruleArgumentDocs(kind).find((a) => a.name === name);
}

function argumentMarkdown(kind: string, arg: SchemaArgumentDoc): string {
  const parts = [`**${arg.name}** (argument of \`${kind}\`, ${arg.type})`, arg.markdownDescription];
  if (arg.default !== undefined) parts.push(`Default: \`${JSON.stringify(arg.default)}\``);
  const example = arg.examples[0];
  if (example !== undefined) parts.push(`Example:\n\n\`\`\`yaml\n${stringify({ [arg.name]: example }).trimEnd()}\n\`\`\``);
  return parts.filter(Boolean).join('\n\n');
}

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

interface ValueSchema {
  type?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  description?: string;
  items?: ValueSchema;
}

/** The values an argument (or an item of a list argument) can take, when the schema knows them. */
export function argumentValues(kind: string, name: string, item: boolean): ValueChoice[] {
  const arg = schemaArgs(kind).find((a) => a.name === name);
  if (!arg) return [];
  const schema = arg.schema as ValueSchema;
  const target = item || schema.type === 'array' ? schema.items : schema;
  if (!target) return [];
  if (target.type === 'boolean') return [{ text: 'true', label: 'true' }, { text: 'false', label: 'false' }];
  if (target.enum) return target.enum.map((v) => ({ text: String(v), label: String(v) }));
  if (target.type === 'integer' && target.minimum === 0 && target.maximum === 6 && /weekday/i.test(`${target.description} ${arg.description}`)) {
    return WEEKDAYS.map((day, i) => ({ text: String(i), label: String(i), detail: day }));
  }
  return [];
}
