/**
 * `kss serve --workers N`: the decisions' writes (quota uses and audit entries) of every worker
 * are made by the primary, which each worker asks over node:cluster's IPC channel.
 *
 * Why one writer: a SQLite connection drops its page cache whenever another process has committed,
 * and all writers queue on one write lock. Workers that wrote for themselves re-read the pages
 * they touch at every group commit and waited on each other's transactions, so that 2 workers
 * answered fewer decisions than 1 (bench/README.md). The primary's connection is the only one
 * that writes decisions, so it keeps its cache, and its group commits (the same batchers a single
 * process uses) take the batches of every worker into one transaction.
 *
 * Nothing about a decision changes: each worker still resolves a decision only once the primary
 * answered that the transaction holding its uses and its entry committed, each request is still
 * checked and counted on its own and in order, and one connection appends the one audit chain.
 */
import type { Worker } from 'node:cluster';
import { AuditBatcher } from '../audit/batch.js';
import { ConsumeBatcher } from '../quota/consume-batch.js';
import { StoreError, type AuditEntry, type AuditInput, type AuditLink, type ConsumeRequest, type KssStore } from '../store/types.js';
import type { QuotaWindow, ThrottleUse } from '../quota/types.js';

/** The primary's end of a worker's IPC channel (a node:cluster Worker). */
export type WorkerChannel = Pick<Worker, 'isConnected' | 'send'>;

/** What a worker's decisions write: the part of the store that goes through the primary. */
export type DecisionWrites = Pick<KssStore, 'tryConsume' | 'tryConsumeMany' | 'appendAudit'>;

/**
 * An audit entry as asked for: a decision entry's `data` travels as its canonical text only
 * (AuditInput.dataJson), which is all the store writes and hashes, so it is not sent twice.
 */
type SentInput = Omit<AuditInput, 'data'> & { data?: AuditInput['data'] };

/** Between a worker and the primary (process.send / worker.send). */
export type WriteMessage =
  | { kss: 'write'; id: number; consume: ConsumeRequest[] }
  | { kss: 'write'; id: number; audit: SentInput[] }
  | { kss: 'written'; id: number; consumed?: boolean[]; links?: AuditLink[]; error?: { message: string; code?: StoreError['code'] } };

type Reply = Extract<WriteMessage, { kss: 'written' }>;

/** In a worker: the decision writes, asked of the primary. */
export class WritesThroughPrimary implements DecisionWrites {
  private seq = 0;
  private readonly waiting = new Map<number, { resolve: (r: Reply) => void; reject: (e: unknown) => void }>();
  private readonly onMessage = (m: WriteMessage) => {
    if (m?.kss !== 'written') return;
    const w = this.waiting.get(m.id);
    if (!w) return;
    this.waiting.delete(m.id);
    if (m.error) w.reject(m.error.code ? new StoreError(m.error.code, m.error.message) : new Error(m.error.message));
    else w.resolve(m);
  };

  // Typed as the parts of `process` it uses, so that a test can run it over any IPC channel.
  constructor(private readonly channel: Pick<NodeJS.Process, 'send' | 'on' | 'off' | 'connected'> = process) {
    channel.on('message', this.onMessage);
  }

  async tryConsume(uses: ThrottleUse[], window: QuotaWindow, shared?: string): Promise<boolean> {
    const [ok] = await this.tryConsumeMany([{ uses, window, shared }]);
    return ok!;
  }

  async tryConsumeMany(requests: ConsumeRequest[]): Promise<boolean[]> {
    // Only the request's own fields: a batcher's entries also hold its callbacks, which are no message.
    const consume = requests.map(({ uses, window, shared }) => ({ uses, window, shared }));
    const reply = await this.ask((id) => ({ kss: 'write', id, consume }));
    return reply.consumed!;
  }

  async appendAudit(inputs: AuditInput[]): Promise<AuditEntry[]> {
    const sent = inputs.map(({ data, ...rest }) => (rest.dataJson === undefined ? { ...rest, data } : rest));
    const { links } = await this.ask((id) => ({ kss: 'write', id, audit: sent }));
    // The entry as the store returns it: the input without its text, and its place in the chain.
    return inputs.map(({ dataJson: _text, ...input }, i) => ({ ...input, ...links![i]! }));
  }

  close(): void {
    this.channel.off('message', this.onMessage);
    for (const w of this.waiting.values()) w.reject(new StoreError('unavailable', 'the server is stopping'));
    this.waiting.clear();
  }

  private ask(message: (id: number) => WriteMessage): Promise<Reply> {
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      if (!this.channel.connected || !this.channel.send) {
        reject(new StoreError('unavailable', 'the primary process is gone'));
        return;
      }
      this.waiting.set(id, { resolve, reject });
      this.channel.send(message(id), undefined, undefined, (error: Error | null) => {
        if (!error || !this.waiting.delete(id)) return;
        reject(new StoreError('unavailable', `cannot reach the primary process: ${error.message}`));
      });
    });
  }
}

/** In the primary: makes the workers' decision writes, grouped across workers. */
export class PrimaryWriter {
  private readonly consumes: ConsumeBatcher;
  private readonly audits: AuditBatcher;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(store: KssStore) {
    this.consumes = new ConsumeBatcher(store);
    this.audits = new AuditBatcher((inputs) => store.appendAudit(inputs));
  }

  /** Call for every message a worker sends; true when it was one of these. */
  handle(worker: WorkerChannel, m: WriteMessage): boolean {
    if (m?.kss !== 'write') return false;
    const work: Promise<Omit<Reply, 'kss' | 'id'>> = 'consume' in m
      ? Promise.all(m.consume.map((r) => this.consumes.consume(r.uses, r.window, r.shared))).then((consumed) => ({ consumed }))
      // A decision entry's text is what the store writes and hashes (audit/chain.ts dataText): its
      // object would only be returned to the worker, which has it, so it stands in empty here.
      : Promise.all(m.audit.map((input) => this.audits.add({ data: {}, ...input }))).then((entries) => ({ links: entries.map(linkOf) }));
    const answered = work.then(
      (result) => send(worker, { kss: 'written', id: m.id, ...result }),
      (error: unknown) => send(worker, { kss: 'written', id: m.id, error: { message: (error as Error).message, code: (error as StoreError).code } }),
    );
    this.inFlight.add(answered);
    void answered.finally(() => this.inFlight.delete(answered));
    return true;
  }

  /** Waits until every write asked so far is committed (or failed): before the last checkpoint. */
  async flush(): Promise<void> {
    await Promise.all(this.inFlight);
  }
}

function linkOf(e: AuditEntry): AuditLink {
  return { seq: e.seq, prevHash: e.prevHash, hash: e.hash };
}

function send(worker: WorkerChannel, message: Reply): void {
  // A worker that died meanwhile has nobody to tell; what it asked is committed all the same.
  if (!worker.isConnected()) return;
  worker.send(message, undefined, () => {});
}
