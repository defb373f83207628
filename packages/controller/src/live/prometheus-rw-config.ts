/**
 * Whether a command item pushes to Prometheus, and how: its file's
 * `outputs.prometheusRW`, with `--prometheus-rw URL` over its url (the flag
 * alone turns it on, at the default interval), and the file's labels with
 * `--tag` over them; native histograms when either asks.
 */
import { DEFAULT_INTERVAL_MS, outputsOf } from '../scenario/outputs.js';
import type { RemoteWriter } from './prometheus-rw.js';

/** The command line's part: --prometheus-rw, --prometheus-rw-native and --tag. */
export interface RemoteWriteFlags {
  prometheusRW?: string;
  prometheusRWNative?: boolean;
  tags?: Record<string, string>;
}

/**
 * A writer for `item` (a resolved scenario or run), or null when neither its
 * file nor the flag asks for one. The writer (protobufjs, snappyjs) loads
 * only then, so a run without it does not pay for loading them.
 */
export async function remoteWriterFor(item: object, flags: RemoteWriteFlags, warn: (line: string) => void): Promise<RemoteWriter | null> {
  const file = outputsOf(item).prometheusRW;
  const url = flags.prometheusRW ?? file?.url;
  if (url === undefined) return null;
  const { RemoteWriter } = await import('./prometheus-rw.js');
  return new RemoteWriter(
    { url, intervalMs: file?.intervalMs ?? DEFAULT_INTERVAL_MS, headers: file?.headers ?? {}, labels: { ...file?.labels, ...flags.tags }, nativeHistograms: flags.prometheusRWNative === true || file?.nativeHistograms === true },
    warn,
  );
}
