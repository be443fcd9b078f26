/**
 * What a refused request is told: `{error: "<field and reason>"}` with its status. Schema errors
 * (ajv, from the route schemas) become one message naming the field; fastify's own errors (body
 * limit, content type, empty body) get the same shape; anything else is logged and answered 503.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorObject } from 'ajv';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { JsonInputError } from '../json/parse.js';
import type { LimitedLogger } from './limited-log.js';

export const MAX_BODY = 1024 * 1024;

const ajv = new Ajv2020({ allErrors: false, strict: false });
const compiled = new WeakMap<object, ValidateFunction>();
/** The project's validator of a schema (2020-12), compiled once: for the route schemas and custody's inner request. */
export function validatorFor(schema: object): ValidateFunction {
  let v = compiled.get(schema);
  if (!v) compiled.set(schema, (v = ajv.compile(schema)));
  return v;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Reasons for `pattern` errors, by the field's last name: a pattern alone does not say what is wrong. */
const PATTERN_REASONS: Record<string, string> = {
  device_id: 'must be hex digits (0-9, a-f), two per byte',
  cryptographic_id: 'must be hex digits (0-9, a-f), two per byte',
  profile_id: 'must be hex digits (0-9, a-f), two per byte',
  meta: 'starts with `/` (send the path without the leading slash)',
  nonce: 'must be 1 to 128 printable ASCII characters',
};

function fieldName(instancePath: string): string {
  const p = instancePath.replace(/^\//, '').split('/').filter(Boolean);
  return p.map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : `${i ? '.' : ''}${s}`)).join('');
}

export function schemaMessage(e: ErrorObject): string {
  const name = fieldName(e.instancePath);
  const where = name === '' ? 'the request' : `\`${name}\``;
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'enum': return `${where} must be one of ${(params.allowedValues as string[]).join(', ')}`;
    case 'pattern': return `${where} ${PATTERN_REASONS[name.replace(/.*[.\]]/, '')] ?? 'has the wrong form'}`;
    case 'required': return `${where} needs \`${params.missingProperty as string}\``;
    case 'minLength': return `${where} is empty`;
    case 'maxLength': return `${where} is longer than ${params.limit as number} characters`;
    case 'type': return name === '' ? 'the request must be a JSON object' : `${where} must be ${params.type as string}`;
    default: return `${where} ${e.message ?? 'is invalid'}`;
  }
}

const FASTIFY_MESSAGES: Record<string, [number, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, `the request body is larger than ${MAX_BODY} bytes`],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'the body is empty: send the request as a JSON object'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'this content type is not accepted here'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'the body is not as long as its content-length says'],
};

/** Status and message for an error thrown while answering; null when it is not the client's fault. */
export function refusal(err: FastifyError | Error): [number, string] | null {
  if (err instanceof HttpError) return [err.status, err.message];
  if (err instanceof JsonInputError) return [400, err.message];
  const f = err as FastifyError;
  if (f.validation?.length) return [400, schemaMessage(f.validation[0] as ErrorObject)];
  if (f.code && FASTIFY_MESSAGES[f.code]) return FASTIFY_MESSAGES[f.code]!;
  if (f.statusCode !== undefined && f.statusCode >= 400 && f.statusCode < 500) return [f.statusCode, f.message];
  return null;
}

/** What an error thrown while answering becomes: status, `{error}` text, and whether to close the connection. */
export interface ErrorAnswer {
  status: number;
  body: string;
  close: boolean;
}

/**
 * The answer to an error, for fastify's error handler and the lean decision path (lean-decisions.ts)
 * alike; `route` (`METHOD url`) names where an unexpected error arose in the (limited) log.
 */
export function errorAnswer(err: FastifyError | Error, route: string, limited: LimitedLogger): ErrorAnswer {
  const r = refusal(err);
  // After a 413 the rest of the body is not read: close the connection rather than drain it.
  if (r) return { status: r[0], body: JSON.stringify({ error: r[1] }), close: r[0] === 413 };
  limited('error', 'request failed', { route, error: err.message });
  return { status: 503, body: JSON.stringify({ error: 'the keyserver cannot answer right now; try again' }), close: false };
}

export function errorHandler(limited: LimitedLogger) {
  return (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    const a = errorAnswer(err, `${req.method} ${req.routeOptions.url ?? 'other'}`, limited);
    if (a.close) reply.header('connection', 'close');
    // The text as fastify's serializer would write `{error}`: JSON.stringify.
    return reply.code(a.status).type('application/json; charset=utf-8').send(a.body);
  };
}
