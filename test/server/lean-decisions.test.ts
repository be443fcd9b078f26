/**
 * The lean decision path (runtime/server/lean-decisions.ts) against fastify's route: the same
 * requests, generated, to a server with it and one without (`leanDecisions: false`), over raw
 * sockets so that framing (chunked, content length), content types and methods are the test's.
 * Status, content type, connection header and body must agree; an approval or denial agrees in
 * every field but the per-decision ones, and its signature verifies. The response counter, the
 * decision metrics and the debug log lines of refused requests must agree too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import fc from 'fast-check';
import { revokeToken, createToken } from '../../runtime/admin/tokens.js';
import { verifyDecision, sha256Hex } from '../../runtime/identity/sign.js';
import { startServer, type RunningServer } from '../../runtime/server/app.js';
import { makeKeyserver, PROFILE, type Keyserver } from './helpers.js';

interface Side {
  ks: Keyserver;
  srv: RunningServer;
  revoked: string;
  refused: unknown[];
  publicKey: string;
}

const sides: Side[] = [];

async function side(lean: boolean): Promise<Side> {
  const ks = await makeKeyserver();
  const revoked = await ks.withStore(async (s) => {
    const t = await createToken(s, 'client', 'revoked', 'test');
    await revokeToken(s, t.record.id, 'test');
    return t.token;
  });
  const refused: unknown[] = [];
  const srv = await startServer({
    dataDir: ks.dir, port: 0, tz: 'UTC', pollMs: 50, leanDecisions: lean,
    logger: (_level, msg, fields) => { if (msg === 'request refused') refused.push(fields); },
  });
  const status = (await (await fetch(`${srv.url}/v1/status`)).json()) as { public_key: string };
  return { ks, srv, revoked, refused, publicKey: status.public_key };
}

beforeAll(async () => {
  sides.push(await side(true), await side(false));
});
afterAll(async () => {
  for (const s of sides) {
    await s.srv.close();
    s.ks.cleanup();
  }
});

type TokenKind = 'client' | 'admin' | 'none' | 'unknown' | 'basic' | 'revoked';
type Framing = 'length' | 'chunked' | 'longer';

interface Case {
  method: string;
  path: string;
  token: TokenKind;
  type: string | null;
  body: string;
  framing: Framing;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function authorization(s: Side, kind: TokenKind): string | null {
  switch (kind) {
    case 'client': return `Bearer ${s.ks.client}`;
    case 'admin': return `Bearer ${s.ks.admin}`;
    case 'revoked': return `Bearer ${s.revoked}`;
    case 'unknown': return 'Bearer kss_00000000_nope';
    case 'basic': return 'Basic dXNlcjpwYXNz';
    case 'none': return null;
  }
}

/** One exchange on a fresh connection, written byte by byte as the case says; the first answer read. */
function exchange(s: Side, c: Case): Promise<Answer> {
  const port = s.srv.port;
  const body = Buffer.from(c.body);
  let head = `${c.method} ${c.path} HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n`;
  const auth = authorization(s, c.token);
  if (auth) head += `authorization: ${auth}\r\n`;
  if (c.type !== null) head += `content-type: ${c.type}\r\n`;
  let payload: Buffer;
  if (c.framing === 'chunked') {
    head += 'transfer-encoding: chunked\r\n';
    const half = body.length >> 1;
    const parts = [body.subarray(0, half), body.subarray(half)].filter((p) => p.length > 0);
    payload = Buffer.concat([...parts.flatMap((p) => [Buffer.from(`${p.length.toString(16)}\r\n`), p, Buffer.from('\r\n')]), Buffer.from('0\r\n\r\n')]);
  } else if (c.framing === 'longer') {
    // The declared length is one byte short: the server reads that much, the rest is not this request.
    head += `content-length: ${Math.max(0, body.length - 1)}\r\n`;
    payload = body;
  } else {
    head += `content-length: ${body.length}\r\n`;
    payload = body;
  }
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1');
    let got = Buffer.alloc(0);
    let done = false;
    const finish = (a: Answer) => {
      done = true;
      // Closed a little later: the server counts an answer once it is written (the response's
      // finish), and a connection reset before that would leave it uncounted on either side.
      setTimeout(() => sock.destroy(), 30);
      resolve(a);
    };
    const tryParse = (ended: boolean) => {
      const end = got.indexOf('\r\n\r\n');
      if (end === -1) return ended ? reject(new Error(`no answer: ${got.toString()}`)) : undefined;
      const lines = got.subarray(0, end).toString('latin1').split('\r\n');
      const status = Number(lines[0]!.split(' ')[1]);
      const headers: Record<string, string> = {};
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
      }
      const rest = got.subarray(end + 4);
      const length = c.method === 'HEAD' ? 0 : Number(headers['content-length'] ?? NaN);
      if (Number.isFinite(length)) {
        if (rest.length >= length) finish({ status, headers, body: rest.subarray(0, length).toString() });
      } else if (ended) finish({ status, headers, body: rest.toString() });
    };
    sock.on('data', (d: Buffer) => {
      got = Buffer.concat([got, d]);
      if (!done) tryParse(false);
    });
    sock.on('end', () => { if (!done) tryParse(true); });
    // A server that answered before reading the whole body (413, 401) may reset the connection under our writes.
    sock.on('error', () => { if (!done) tryParse(true); });
    sock.setTimeout(10_000, () => reject(new Error('timeout')));
    sock.write(head + '\r\n');
    // Not half-closed: the server answers before it sees the connection end.
    sock.write(payload);
  });
}

const DECISION_FIELDS = ['decision_id', 'decided_at', 'signature', 'batch'];

function compare(c: Case, s: Side, a: Answer, b: Answer) {
  const what = JSON.stringify({ ...c, body: c.body.length > 200 ? `${c.body.slice(0, 200)}… (${c.body.length})` : c.body });
  expect(a.status, what).toBe(b.status);
  expect(a.headers['content-type'], what).toBe(b.headers['content-type']);
  expect(a.headers.connection, what).toBe(b.headers.connection);
  expect(a.headers['content-length'] === undefined, what).toBe(b.headers['content-length'] === undefined);
  if (a.status !== 200) return expect(a.body, what).toBe(b.body);
  const [ja, jb] = [JSON.parse(a.body), JSON.parse(b.body)];
  for (const k of DECISION_FIELDS) {
    expect(ja[k], `${what}: ${k}`).toBeDefined();
    delete jb[k];
  }
  const sig = { ...ja };
  for (const k of DECISION_FIELDS) delete ja[k];
  expect(ja, what).toEqual(jb);
  const fields = {
    keyserverId: s.srv.keyserverId, decisionId: sig.decision_id, requestSha256: sha256Hex(c.framing === 'longer' ? c.body.slice(0, -1) : c.body), decidedAt: sig.decided_at,
    policyVersion: sig.policy_version, policySha256: sig.policy_sha256, nonce: sig.nonce, approved: sig.approved, ruleSet: sig.rule_set, ruleIds: sig.rule_ids,
  };
  expect(verifyDecision(s.publicKey, fields, sig.signature, { batch: sig.batch }), what).toBe(true);
}

const goodRequest = fc.oneof(
  fc.constant({ request_type: 'rename' }),
  fc.constant({ request_type: 'decrypt', profile: { profile_id: PROFILE } }),
  fc.record({ request_type: fc.constantFrom('decrypt', 'search'), profile: fc.record({ profile_id: fc.constantFrom(PROFILE, 'aabb', 'AB', 'xyz') }), nonce: fc.string({ minLength: 1, maxLength: 8 }) }, { requiredKeys: ['request_type'] }),
  fc.record({ request_type: fc.constant('rename'), auth_meta: fc.array(fc.record({ meta: fc.constantFrom('a/b', 'a/../b', '/x', 'a//b', 'ok/', 'c\u0001'), complete: fc.boolean() }), { maxLength: 2 }) }),
);

const body = fc.oneof(
  { weight: 6, arbitrary: goodRequest.map((r) => JSON.stringify(r)) },
  { weight: 2, arbitrary: fc.constantFrom('{"request_type": ', '{"request_type":"rename","request_type":"rename"}', '[]', 'null', '"x"', '{"request_type":"rename"} x', '{"request_type":"\\ud800"}', '\ufeff{"request_type":"rename"}') },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v) ?? 'null') },
  { weight: 1, arbitrary: fc.record({ request_type: fc.oneof(fc.integer(), fc.constant('nope'), fc.constant(null)) }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: fc.constant(JSON.stringify({ request_type: 'rename', pad: 'x'.repeat(1024 * 1024) })) },
);

const testCase: fc.Arbitrary<Case> = fc.record({
  method: fc.oneof({ weight: 8, arbitrary: fc.constant('POST') }, { weight: 1, arbitrary: fc.constantFrom('HEAD', 'GET', 'PUT') }),
  path: fc.oneof({ weight: 6, arbitrary: fc.constant('/v1/requests') }, { weight: 2, arbitrary: fc.constantFrom('/v1/requests?x=1', '/v1/requests?', '/v1/requests/', '/v1/Requests', '/v1/requests;a', '/v1//requests') }),
  token: fc.oneof({ weight: 5, arbitrary: fc.constant<TokenKind>('client') }, { weight: 2, arbitrary: fc.constantFrom<TokenKind>('admin', 'none', 'unknown', 'basic', 'revoked') }),
  type: fc.oneof({ weight: 5, arbitrary: fc.constant('application/json') }, { weight: 3, arbitrary: fc.constantFrom(null, 'application/json; charset=utf-8', 'text/plain', 'APPLICATION/JSON', 'application/x-www-form-urlencoded', 'garbage', 'application/json; charset=latin1', 'text/plain;charset=UTF-8', '') }),
  body,
  framing: fc.oneof({ weight: 5, arbitrary: fc.constant<Framing>('length') }, { weight: 2, arbitrary: fc.constantFrom<Framing>('chunked', 'longer') }),
});

describe('the lean decision path answers as the fastify route', () => {
  it('for generated requests: status, content type, connection, body', async () => {
    await fc.assert(fc.asyncProperty(testCase, async (c) => {
      const [lean, plain] = sides as [Side, Side];
      compare(c, lean, await exchange(lean, c), await exchange(plain, c));
    }), { numRuns: 150 });
  });

  it('when disabled (503), and for the plain cases again once enabled', async () => {
    const c: Case = { method: 'POST', path: '/v1/requests', token: 'client', type: 'application/json', body: '{"request_type":"rename"}', framing: 'length' };
    for (const s of sides) await exchange(s, { ...c, token: 'admin', path: '/v1/disable', body: '' });
    const [lean, plain] = sides as [Side, Side];
    const a = await exchange(lean, c);
    expect(a.status).toBe(503);
    compare(c, lean, a, await exchange(plain, c));
    for (const s of sides) await exchange(s, { ...c, token: 'admin', path: '/v1/enable', body: '' });
    compare(c, lean, await exchange(lean, c), await exchange(plain, c));
  });

  it('counted and logged alike: the response counter, the decision metrics, the refused requests', async () => {
    const series = async (s: Side) => {
      const text = await (await fetch(`${s.srv.url}/metrics`)).text();
      return text.split('\n').filter((l) => (/^kss_http_responses_total/.test(l) && !l.includes('GET /metrics')) || /^kss_decisions_total|^kss_decision_duration_seconds_count/.test(l)).sort();
    };
    const [lean, plain] = sides as [Side, Side];
    await new Promise((r) => setTimeout(r, 300));
    const a = await series(lean);
    expect(a.some((l) => l.includes('route="POST /v1/requests"'))).toBe(true);
    expect(a).toEqual(await series(plain));
    expect(lean.refused.length).toBeGreaterThan(0);
    expect(lean.refused).toEqual(plain.refused);
  });
});
