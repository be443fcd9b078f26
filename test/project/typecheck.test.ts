/** The type check is part of `npm test`: a type error fails the run like any failing test. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_DIR } from '../support/shared.js';

const TSC = join(REPO_DIR, 'node_modules', 'typescript', 'bin', 'tsc');

function typecheck(project: string): string {
  try {
    execFileSync(process.execPath, [TSC, '-p', project, '--noEmit'], { cwd: REPO_DIR, encoding: 'utf8', stdio: 'pipe' });
    return '';
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    return `${e.stdout ?? ''}${e.stderr ?? ''}` || e.message;
  }
}

describe('type check', () => {
  it('finds no type errors in the project', () => {
    expect(typecheck('tsconfig.json')).toBe('');
  });

  it('finds no type errors in the web console (browser types, Preact JSX)', () => {
    expect(typecheck(join('console', 'tsconfig.json'))).toBe('');
  });

  it('finds no type errors in the VS Code extension', () => {
    expect(typecheck(join('vscode-extension', 'tsconfig.json'))).toBe('');
  });
});
