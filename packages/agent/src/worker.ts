/**
 * Worker-thread entry (a piscina task): runs one share and streams its
 * snapshots over a MessagePort. Snapshots and the final `done` travel on the
 * same port, so the controller sees every snapshot before `done`.
 */
import type { MessagePort } from 'node:worker_threads';
import { asToWorker, type FromWorker } from './messages.js';
import { startShare } from './run-share.js';
import { warmUp } from './warm.js';
import type { ShareResult, ShareSpec } from './share.js';

/** What the controller passes to each task. `warm` only prepares the thread (see warm.ts). */
export interface ShareTask {
  spec?: ShareSpec;
  port?: MessagePort;
  warm?: boolean;
}

export default async function runShareTask(task: ShareTask): Promise<ShareResult | null> {
  const { spec, port } = task;
  if (task.warm) await warmUp();
  if (task.warm || !spec || !port) return null;
  const send = (msg: FromWorker): void => port.postMessage(msg);
  try {
    const handle = startShare(spec, (snapshot) => send({ v: 1, type: 'snapshot', snapshot }));
    port.on('message', (msg: unknown) => {
      const m = asToWorker(msg);
      if (m?.type === 'stop') handle.stop(m.now === true);
    });
    const result = await handle.done;
    send({ v: 1, type: 'done', result });
    return result;
  } catch (err) {
    const e = err as { code?: string; message?: string };
    send({ v: 1, type: 'error', code: e.code ?? 'WORKER_ERROR', message: e.message ?? String(err) });
    throw err;
  } finally {
    port.close();
  }
}
