/**
 * Runs a markdown guide as a transcript test, so that every command it shows is known to work.
 *
 * - A ```console block is a session: `$ command` lines (a command continues on `> ` lines, for
 *   here-documents and long commands), each followed by the output it must print (stdout and
 *   stderr as a terminal shows them). In an output line `…` stands for any text; a line that is
 *   only `…` for any number of lines. A last line `[N]` is the exit status (0 when absent).
 * - A fenced block right after `<!-- file: PATH -->` is written to PATH (relative to the working
 *   directory of the session at that point), as the reader would save it.
 * - Any other fenced block fails the test: a guide's commands are all run, or it does not pass.
 *
 * All commands run in order in one bash process (variables, `cd` and background jobs carry over).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Command {
  section: string;
  /** 1-based line of the `$` in the guide. */
  line: number;
  text: string;
  expected: string[];
  status: number;
}

export type Step = Command | { section: string; line: number; file: string; content: string };

export function isCommand(step: Step): step is Command {
  return 'text' in step;
}

export function parseGuide(markdown: string): Step[] {
  const lines = markdown.split('\n');
  const steps: Step[] = [];
  let section = '(top)';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heading = /^#{2,3} (.*)$/.exec(line);
    if (heading) section = heading[1]!;
    const fence = /^```(\S*)$/.exec(line);
    if (!fence) continue;
    const end = lines.findIndex((l, j) => j > i && l === '```');
    if (end < 0) throw new Error(`line ${i + 1}: the block is never closed`);
    const body = lines.slice(i + 1, end);
    const file = /^<!-- file: (\S+) -->$/.exec(lines[i - 1] ?? '');
    if (file) steps.push({ section, line: i + 1, file: file[1]!, content: body.join('\n') + '\n' });
    else if (fence[1] === 'console') steps.push(...parseSession(body, i + 2, section));
    else throw new Error(`line ${i + 1}: a \`${fence[1] || 'plain'}\` block is neither a console session nor a file to write, so no test runs it`);
    i = end;
  }
  return steps;
}

function parseSession(body: string[], firstLine: number, section: string): Command[] {
  const out: Command[] = [];
  for (let j = 0; j < body.length; j++) {
    const l = body[j]!;
    if (l.startsWith('$ ')) {
      out.push({ section, line: firstLine + j, text: l.slice(2), expected: [], status: 0 });
      continue;
    }
    const current = out[out.length - 1];
    if (!current) throw new Error(`line ${firstLine + j}: a console block starts with \`$ \``);
    if (l.startsWith('> ') && current.expected.length === 0) current.text += `\n${l.slice(2)}`;
    else if (/^\[\d+\]$/.test(l) && (j === body.length - 1 || body[j + 1]!.startsWith('$ '))) current.status = Number(l.slice(1, -1));
    else current.expected.push(l);
  }
  return out;
}

/** A regular expression for the whole output: `…` any text in a line, a `…` line any lines. */
export function outputPattern(expected: string[]): RegExp {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const parts = expected.map((l) => (l === '…' ? '(?:[^\\n]*\\n)*?' : `${l.split('…').map(escape).join('[^\\n]*')}\\n`));
  return new RegExp(`^${parts.join('')}$`);
}

export interface Outcome {
  output: string;
  status: number | null;
}

/**
 * Runs every step in `cwd` with bash; resolves with each command's outcome (null status: not
 * reached) and the background jobs still running at the end (the guide should stop its own).
 */
export function runSession(
  steps: Step[],
  o: { cwd: string; scriptDir: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<{ outcomes: Outcome[]; leftRunning: string; stderr: string }> {
  const dir = o.scriptDir;
  mkdirSync(dir, { recursive: true });
  const script: string[] = ['exec < /dev/null'];
  steps.forEach((step, i) => {
    if (!isCommand(step)) {
      writeFileSync(join(dir, `${i}.file`), step.content);
      script.push(`mkdir -p "$(dirname '${step.file}')" && cp '${dir}/${i}.file' '${step.file}'`);
      return;
    }
    script.push(`{ ${step.text}\n} > '${dir}/${i}.out' 2>&1`, `echo $? > '${dir}/${i}.status'`);
  });
  script.push(`jobs -p > '${dir}/jobs'`, 'kill $(jobs -p) 2>/dev/null; wait');
  writeFileSync(join(dir, 'session.sh'), script.join('\n') + '\n');
  return new Promise((resolve) => {
    const bash = spawn('bash', [join(dir, 'session.sh')], { cwd: o.cwd, env: o.env, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    bash.stderr.on('data', (d) => (stderr += d));
    // The session and everything it started share one process group: stop them all on a hang.
    const timer = setTimeout(() => process.kill(-bash.pid!, 'SIGKILL'), o.timeoutMs);
    bash.on('close', () => {
      clearTimeout(timer);
      const read = (f: string) => {
        try {
          return readFileSync(join(dir, f), 'utf8');
        } catch {
          return null;
        }
      };
      const outcomes = steps.map((_, i) => {
        const status = read(`${i}.status`);
        return { output: read(`${i}.out`) ?? '', status: status === null ? null : Number(status) };
      });
      resolve({ outcomes, leftRunning: read('jobs') ?? '', stderr });
    });
  });
}
