/**
 * Runs a command on a pseudo-terminal (Python's `pty`, as the test run already needs python3) and
 * answers its prompts in order: each answer is typed once the text since the previous one shows
 * its prompt. Resolves with the exit code and everything the terminal showed.
 */
import { spawnSync } from 'node:child_process';

const SCRIPT = `
import json, os, pty, sys
argv, answers = json.loads(sys.argv[1]), json.loads(sys.argv[2])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
shown, pending = b'', b''
while True:
    try:
        data = os.read(fd, 4096)
    except OSError:
        break
    if not data:
        break
    shown += data
    pending += data
    if answers and answers[0][0].encode() in pending:
        os.write(fd, answers.pop(0)[1].encode() + b'\\r')
        pending = b''
_, status = os.waitpid(pid, 0)
sys.stdout.write(json.dumps({'code': os.waitstatus_to_exitcode(status), 'shown': shown.decode('utf-8', 'replace'), 'unanswered': len(answers)}))
`;

export function onTerminal(argv: string[], answers: Array<[prompt: string, reply: string]>, env: NodeJS.ProcessEnv): { code: number; shown: string; unanswered: number } {
  const r = spawnSync('python3', ['-c', SCRIPT, JSON.stringify(argv), JSON.stringify(answers)], { env, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`python3 pty helper failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { code: number; shown: string; unanswered: number };
}
