import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import requestSchema from '../../schemas/request.schema.json' with { type: 'json' };
import { ROUTES } from '../../runtime/server/routes.js';
import { requestWithoutBody, keyserverForFile } from './helpers.js';

const file = keyserverForFile();

describe('OpenAPI', () => {
  it('/v1/openapi.json is docs/openapi.json (regenerate with `node scripts/openapi.mjs`)', async () => {
    const served = (await requestWithoutBody(file.srv.url, null, '/v1/openapi.json')).json;
    const checkedIn = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8'));
    expect(served, 'docs/openapi.json is stale: run `node scripts/openapi.mjs`').toEqual(checkedIn);
  });

  it('documents every route, with the schema the server validates with', async () => {
    const doc = (await requestWithoutBody(file.srv.url, null, '/v1/openapi.json')).json;
    expect(doc.openapi).toBe('3.1.0');
    for (const r of ROUTES) {
      const op = doc.paths[r.url]?.[r.method.toLowerCase()];
      expect(op, `${r.method} ${r.url}`).toBeDefined();
      expect(Object.keys(op.responses)).toContain('200');
      if (r.auth === 'admin') expect(Object.keys(op.responses)).toContain('403');
    }
    expect(doc.paths['/v1/requests'].post.requestBody.content['application/json'].schema).toEqual(requestSchema);
  });
});
