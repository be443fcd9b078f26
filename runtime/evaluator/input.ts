/** One decision's inputs, each read from the request (or computed from the clock) at most once. */
import { localMoment, type LocalMoment } from '../time/index.js';
import { authMetaOf, profileIdOf, profileWordsOf } from './request.js';
import { metaSubject } from './semantics.js';
import type { AuthMeta, EvalContext, KssRequest } from './types.js';

const UNSET = Symbol('unset');

export class DecisionInput {
  private pid: string | null | typeof UNSET = UNSET;
  private words: string[] | null | typeof UNSET = UNSET;
  private metas: AuthMeta[] | null | typeof UNSET = UNSET;
  private local: LocalMoment | null = null;
  /** The entries' subjects, case-sensitive and lower-cased (SPEC §4.1). */
  private readonly subjects: [string[] | null, string[] | null] = [null, null];

  constructor(
    readonly req: KssRequest,
    readonly ctx: EvalContext,
  ) {}

  profileId(): string | null {
    if (this.pid === UNSET) this.pid = profileIdOf(this.req);
    return this.pid;
  }

  profileWords(): string[] | null {
    if (this.words === UNSET) this.words = profileWordsOf(this.req);
    return this.words;
  }

  authMeta(): AuthMeta[] | null {
    if (this.metas === UNSET) this.metas = authMetaOf(this.req);
    return this.metas;
  }

  /** Each auth_meta entry's metaSubject, computed once per decision (null when auth_meta is unusable). */
  metaSubjects(caseSensitive: boolean): string[] | null {
    const k = caseSensitive ? 0 : 1;
    let s = this.subjects[k];
    if (s === null) {
      const metas = this.authMeta();
      if (metas === null) return null;
      s = this.subjects[k] = metas.map((entry) => metaSubject(entry, caseSensitive));
    }
    return s;
  }

  moment(): LocalMoment {
    if (this.local === null) this.local = localMoment(this.ctx.at, this.ctx.zone);
    return this.local;
  }
}
