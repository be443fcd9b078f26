#!/usr/bin/env node
/**
 * The floor under the server benchmark (issue 15): the CPU per request of an HTTP server that
 * decides, audits and signs nothing, under the same load as bench/server.bench.mjs (autocannon,
 * 32 connections, the same 1,000 POST bodies and headers). Each variant answers every request with
 * the same fixed JSON, the size and shape of a signed decision, so what it costs per request is
 * what the HTTP stack alone costs on this machine (parsing, routing, the response write on
 * loopback TCP), and `server_cpu_us_per_decision` minus it is what kss adds.
 *
 *   node bench/http-floor.mjs [--seconds 8] [--connections 32] [--variants raw-tcp,node-http,fastify,fastify-kss]
 *
 * Variants: `raw-tcp`, node:net answering without an HTTP stack (rawTcp below); `node-http`,
 * node:http reading the body and answering with `res.end`; `fastify`, a bare fastify 5 route
 * with the body read as a Buffer (as kss reads it) and the answer returned as an object;
 * `fastify-kss`, the same plus what kss's app adds before its handler runs: an async
 * onRequest hook, an async onResponse hook, the request's JSON parsed and its schema validated
 * (schemas/request.schema.json with the project's ajv). No SQLite, no signature, no audit.
 * Each variant runs in a process of its own (this script with `--serve VARIANT`); the CPU is read
 * from /proc (Linux). Writes bench/out/http-floor.json.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { createInterface } from 'node:readline';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { option } from './args.mjs';
import { autocannonLoad, cpuSeconds } from './load.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SECONDS = Number(option('--seconds', 8));
const CONNECTIONS = Number(option('--connections', 32));
const VARIANTS = option('--variants', 'raw-tcp,node-http,fastify,fastify-kss').split(',');

/** A decision answer's fields and sizes (a Merkle path of 4 hashes, as a batch of ~10 gives). */
const hex64 = 'ab'.repeat(32);
const ANSWER = {
  approved: true, rule_set: 0, rule_ids: [], decision_id: '6f1c2a44-93b1-4c55-9a7e-3f0e4d1b2c3d', request_sha256: hex64,
  decided_at: '2026-12-03T10:00:00.000Z', policy_version: 1, policy_sha256: hex64, nonce: null,
  signature: 'A'.repeat(86) + '==', batch: { index: 3, size: 11, path: [hex64, hex64, hex64, hex64] },
};

/**
 * `raw-tcp`: no HTTP stack at all, node:net and a fixed answer per request found in the bytes (the
 * end of its headers, then its content-length). Not a server anyone should run (it parses nothing
 * else and trusts the client); it measures what the loopback socket's reads and writes cost in
 * node, the floor under any HTTP stack on this host.
 */
function rawTcp() {
  const body = JSON.stringify(ANSWER);
  const answer = `HTTP/1.1 200 OK\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: keep-alive\r\n\r\n${body}`;
  return createNetServer((socket) => {
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      const out = [];
      for (;;) {
        const end = pending.indexOf('\r\n\r\n');
        if (end < 0) break;
        const head = pending.subarray(0, end).toString('latin1');
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (pending.length < end + 4 + length) break;
        pending = pending.subarray(end + 4 + length);
        out.push(answer);
      }
      if (out.length > 0) socket.write(out.join(''));
    });
    socket.on('error', () => socket.destroy());
  });
}

async function serve(variant) {
  if (variant === 'raw-tcp') {
    const server = rawTcp();
    await new Promise((res) => server.listen(0, '127.0.0.1', res));
    return `http://127.0.0.1:${server.address().port}`;
  }
  if (variant === 'node-http') {
    const text = JSON.stringify(ANSWER);
    const server = createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        Buffer.concat(chunks);
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.end(text);
      });
    });
    server.keepAliveTimeout = 5000;
    await new Promise((res) => server.listen(0, '127.0.0.1', res));
    return `http://127.0.0.1:${server.address().port}`;
  }
  const { fastify } = await import('fastify');
  const app = fastify({ logger: false, bodyLimit: 1024 * 1024, keepAliveTimeout: 5000, return503OnClosing: false });
  app.removeAllContentTypeParsers();
  const kss = variant === 'fastify-kss';
  let validate = null;
  const schema = JSON.parse(readFileSync(join(REPO, 'schemas', 'request.schema.json'), 'utf8'));
  if (kss) {
    const { Ajv2020 } = await import('ajv/dist/2020.js');
    validate = new Ajv2020({ allErrors: false, strict: false }).compile(schema);
    app.setValidatorCompiler(() => validate);
  }
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, kss ? JSON.parse(body.toString('utf8')) : body));
  if (kss) app.addHook('onResponse', async () => {});
  app.route({
    method: 'POST', url: '/v1/requests',
    ...(kss ? { schema: { body: schema }, onRequest: async () => {} } : {}),
    handler: async () => ANSWER,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${app.server.address().port}`;
}

async function measure(variant) {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--serve', variant], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((res) => createInterface({ input: child.stdout }).once('line', (l) => res(l.trim())));
  // Any bearer token of a real one's length: no variant checks it.
  const load = (seconds) => autocannonLoad({ url, token: 'x'.repeat(43), seconds, connections: CONNECTIONS });
  await load(1); // warm-up
  const cpu0 = cpuSeconds(child.pid);
  const r = await load(SECONDS);
  const cpu1 = cpuSeconds(child.pid);
  child.kill('SIGTERM');
  await new Promise((res) => child.on('exit', res));
  return {
    variant, requests_per_s: Math.round(r.rate),
    p50_ms: r.p50_ms, p90_ms: r.p90_ms, p99_ms: r.p99_ms, p99_9_ms: r.p99_9_ms, mean_ms: r.mean_ms, errors: r.errors,
    server_cpu_us_per_request: cpu0 === null ? null : Math.round(((cpu1 - cpu0) * 1e6) / r.total),
    server_cpu_share: cpu0 === null ? null : Number(((cpu1 - cpu0) / SECONDS).toFixed(2)),
    total: r.total,
  };
}

const serveVariant = option('--serve', null);
if (serveVariant !== null) {
  console.log(await serve(serveVariant));
} else {
  const results = [];
  for (const v of VARIANTS) results.push(await measure(v));
  console.table(results);
  mkdirSync(join(REPO, 'bench', 'out'), { recursive: true });
  writeFileSync(join(REPO, 'bench', 'out', 'http-floor.json'), `${JSON.stringify({ seconds: SECONDS, connections: CONNECTIONS, results }, null, 2)}\n`);
}
