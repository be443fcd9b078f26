#!/usr/bin/env node
// `npm start`: runs the keyserver with its data in ./.kss, as an administrator would. On the first
// run it copies the policy (KSS_POLICY, default examples/keyserver.yml) into the data directory's
// keyserver.yml, creates the keyserver (which loads that file and enables it), and prints a client
// token, an admin token and a curl command to paste. Later runs reuse ./.kss: `kss serve` loads
// keyserver.yml again only when it was edited (tokens are stored hashed, so they are shown only
// once). Stops with Ctrl-C (SIGINT) or SIGTERM.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const kssBin = join(root, 'bin', 'kss.js');
const dataDir = process.env.KSS_DATA_DIR ?? '.kss';
const policy = process.env.KSS_POLICY ?? join(root, 'examples', 'keyserver.yml');
const port = process.env.PORT ?? '8443';

if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) {
  const b = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}
if (!existsSync(policy)) {
  process.stderr.write(`npm start: the policy ${policy} (KSS_POLICY) is missing\n`);
  process.exit(1);
}

function kss(args, { quiet = false } = {}) {
  const r = spawnSync(process.execPath, [kssBin, ...args, '--data-dir', dataDir], { encoding: 'utf8' });
  if (r.status !== 0) {
    process.stderr.write(r.stderr || r.stdout);
    process.stderr.write(`npm start: \`kss ${args.join(' ')}\` failed\n`);
    process.exit(r.status ?? 1);
  }
  if (!quiet && r.stdout) process.stdout.write(r.stdout);
  return r.stdout.trim();
}

let tokens = null;
if (!existsSync(join(dataDir, 'kss.db'))) {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // A keyserver.yml the administrator put there already is theirs to keep.
  if (!existsSync(join(dataDir, 'keyserver.yml'))) copyFileSync(policy, join(dataDir, 'keyserver.yml'));
  kss(['keyserver', 'create']);
  tokens = {
    client: kss(['keyserver', 'token', 'create', '--role', 'client', '--label', 'npm start'], { quiet: true }),
    admin: kss(['keyserver', 'token', 'create', '--role', 'admin', '--label', 'npm start'], { quiet: true }),
  };
}

const server = spawn(process.execPath, [kssBin, 'serve', '--data-dir', dataDir, '--port', port], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
let announced = false;
server.stdout.setEncoding('utf8');
server.stdout.on('data', (chunk) => {
  if (announced) return process.stdout.write(chunk);
  const line = chunk.split('\n')[0];
  let url = `http://127.0.0.1:${port}`;
  try {
    url = JSON.parse(line).listening ?? url;
  } catch {
    /* keep the default */
  }
  announced = true;
  const client = tokens?.client ?? '<client token>';
  process.stdout.write(`\nkss keyserver listening on ${url} (data in ${dataDir})\n`);
  process.stdout.write(`web console: ${url}/console/ (sign in with the admin token)\n`);
  if (tokens) {
    process.stdout.write(`\nclient token: ${tokens.client}\nadmin token:  ${tokens.admin}\n(shown once; keep them)\n`);
  } else {
    process.stdout.write(`\ntokens were printed on the first run; make a new one with:\n  node bin/kss.js keyserver token create --role client --data-dir ${dataDir}\n`);
  }
  const body = JSON.stringify({
    request_type: 'decrypt',
    profile: { profile_id: '00112233445566778899aabbccddeeff', profile_words: ['correct', 'horse', 'battery', 'staple'] },
    auth_meta: [{ meta: 'public/handbook.pdf', complete: true }],
  });
  process.stdout.write(`\ntry it:\n  curl -s -H 'Authorization: Bearer ${client}' -H 'Content-Type: application/json' \\\n    -d '${body}' ${url}/v1/requests\n\nstatus: curl -s ${url}/v1/status   metrics: curl -s ${url}/metrics\n\n`);
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.kill('SIGTERM'));
server.on('exit', (code) => process.exit(code ?? 0));
