import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ThrottleUse } from '../../runtime/evaluator/types.js';

export function tempDir(prefix = 'kss-store-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function use(ruleId: string, profileId: string, perHour: number | null, perDay: number | null, persistent = true): ThrottleUse {
  return { ruleId, profileId, perHour, perDay, persistent };
}

export const W1 = { hour: '2026-01-05T10', day: '2026-01-05' };
export const W2 = { hour: '2026-01-05T11', day: '2026-01-05' };
export const W3 = { hour: '2026-01-06T00', day: '2026-01-06' };
