/**
 * What `schemas/request.schema.json` cannot say about a request (SPEC 6): a meta's components.
 * The reference matches a path literally, so `public/../secret` would be approved under `/public`;
 * the server refuses empty, `.` and `..` components and control characters instead. (Lone
 * surrogates and duplicate keys are refused by the JSON parser, runtime/json/parse.ts.)
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export function metaProblem(meta: string): string | null {
  if (CONTROL.test(meta)) return 'holds a control character';
  const parts = meta.split('/');
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    // A trailing `/` names a folder (`evil/`): only inner empty components are refused.
    if (p === '' && i < parts.length - 1) return 'has an empty component (`//`)';
    if (p === '.' || p === '..') return `has a \`${p}\` component (send the path as the client resolved it)`;
  }
  return null;
}

/** The first problem of a request that passed the schema, as a message naming the field; or null. */
export function requestProblem(body: { auth_meta?: Array<{ meta: string }> }): string | null {
  const metas = body.auth_meta ?? [];
  for (let i = 0; i < metas.length; i++) {
    const p = metaProblem(metas[i]!.meta);
    if (p) return `\`auth_meta[${i}].meta\` ${p}`;
  }
  return null;
}
