/** `keyserver policy --load FILE --shadow`, `policy --promote`, `policy --drop-shadow` (runtime/admin/shadow.ts). */
import { readFileSync } from 'node:fs';
import { CliError, UsageError } from '../../errors.js';
import { describeLoad, refused, serverZone } from '../../../runtime/admin/policy.js';
import { dropShadow, promoteShadow, ShadowError, startShadow } from '../../../runtime/admin/shadow.js';
import { policyText } from '../../../runtime/datadir/policy-file.js';
import { zoneProblem } from '../../../runtime/time/index.js';
import { actor, printDiagnostics, withOpenStore, type StoreOpts } from './common.js';

export interface ShadowActions {
  shadow?: boolean;
  promote?: boolean;
  dropShadow?: boolean;
  tz?: string;
}

/** Runs --shadow (with --load FILE), --promote or --drop-shadow; false when none was given. */
export async function shadowAction(o: StoreOpts & ShadowActions, load: string | true | undefined): Promise<boolean> {
  if (!o.shadow && !o.promote && !o.dropShadow) return false;
  if ([o.shadow, o.promote, o.dropShadow].filter(Boolean).length > 1) throw new UsageError('give one of --shadow, --promote and --drop-shadow');
  const problem = o.tz === undefined ? null : zoneProblem(o.tz);
  if (problem) throw new UsageError(problem);
  const zone = serverZone(o.tz);
  const run = async <T>(fn: Parameters<typeof withOpenStore<T>>[1]): Promise<T> =>
    withOpenStore(o, (s) => fn(s).catch((e: unknown) => {
      throw e instanceof ShadowError ? new CliError(e.message, 1) : e;
    }));
  if (o.shadow) {
    if (typeof load !== 'string') throw new UsageError('--shadow goes with --load FILE: the candidate policy to run beside the active one');
    let bytes: Buffer;
    try {
      bytes = readFileSync(load);
    } catch (e) {
      throw new CliError(`cannot read \`${load}\` (${(e as NodeJS.ErrnoException).code ?? 'error'})`, 1);
    }
    const r = await run((s) => startShadow(s, bytes, load, actor(), zone));
    printDiagnostics(load, policyText(load, bytes).text, r.diagnostics);
    if (!r.entry) throw new CliError(`\`${load}\` has errors; no shadow was started`, 1);
    process.stdout.write(`shadow policy running (sha256 ${(r.entry.data as { sha256: string }).sha256}): servers decide with it beside the active policy within a second, without quota effects; disagreements are counted in /metrics (kss_shadow_decisions_total) and recorded in the audit\n`);
  } else if (o.promote) {
    const r = await run((s) => promoteShadow(s, actor(), zone));
    if (refused(r)) throw new CliError('the shadow policy no longer loads; nothing changed', 1);
    process.stdout.write(`shadow policy promoted\n${describeLoad(r)}`);
  } else {
    const shadow = await run((s) => dropShadow(s, actor()));
    process.stdout.write(`shadow policy dropped (it ran since ${shadow.at})\n`);
  }
  return true;
}
