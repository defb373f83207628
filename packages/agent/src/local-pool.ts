/**
 * Local worker threads (piscina) that each run one share of a scenario and
 * stream snapshots back over their own MessagePort. Used by the controller
 * for local runs and by a remote agent for the shares it is given.
 */
import { MessageChannel } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { asFromWorker, type FromWorker } from './messages.js';
import type { ShareResult, ShareSpec } from './share.js';

const workerFile = fileURLToPath(new URL('./worker.js', import.meta.url));

/** A running share: stop it (gracefully, or `now`: skipping gracefulStop), or await its result (after its last snapshot). */
export interface ShareRunHandle {
  stop(now?: boolean): void;
  finished: Promise<ShareResult>;
}

export class LocalPool {
  private constructor(
    private readonly pool: Piscina,
    readonly threads: number,
  ) {}

  /** Start `threads` worker threads and load the engine in each, so a run starts on time. */
  /**
   * `heapMb` caps each thread's old-generation heap. V8 otherwise lets a
   * busy heap grow far past what is live before a full collection (10,000
   * VUs: 550 MB of RSS against ~60 MB live); a cap sized to the load keeps
   * memory flat at no cost in throughput. Undefined leaves V8's default.
   */
  /** `sharesPerThread`: shares a thread runs at once (a run file's workloads share the threads; default 1). */
  static async open(threads: number, heapMb?: number, sharesPerThread = 1): Promise<LocalPool> {
    const pool = new Piscina({
      filename: workerFile,
      minThreads: threads,
      maxThreads: threads,
      concurrentTasksPerWorker: sharesPerThread,
      idleTimeout: 60_000,
      atomics: 'disabled',
      ...(heapMb !== undefined && { resourceLimits: { maxOldGenerationSizeMb: heapMb } }),
    });
    await Promise.all(Array.from({ length: threads }, () => pool.run({ warm: true })));
    return new LocalPool(pool, threads);
  }

  /** Run one share on a thread; `onMessage` sees every snapshot in order. */
  runShare(spec: ShareSpec, onMessage: (msg: FromWorker) => void): ShareRunHandle {
    const { port1, port2 } = new MessageChannel();
    let settle!: { resolve: (r: ShareResult) => void; reject: (e: Error) => void };
    const finished = new Promise<ShareResult>((resolve, reject) => (settle = { resolve, reject }));
    port1.on('message', (raw: unknown) => {
      const msg = asFromWorker(raw);
      if (!msg) return settle.reject(new Error(`share ${spec.share}: malformed message from worker`));
      onMessage(msg);
      if (msg.type === 'done') settle.resolve(msg.result);
      if (msg.type === 'error') settle.reject(Object.assign(new Error(`share ${spec.share}: ${msg.message}`), { code: msg.code }));
      if (msg.type !== 'snapshot') port1.close();
    });
    // The task's own promise only matters when the thread dies without a word.
    this.pool.run({ spec, port: port2 }, { transferList: [port2] }).catch((err: Error) => {
      port1.close();
      settle.reject(err);
    });
    return {
      stop: (now = false) => port1.postMessage({ v: 1, type: 'stop', ...(now && { now: true }) }),
      finished,
    };
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
