/**
 * Live progress on stderr: a line redrawn once a second on a TTY, a plain
 * line every few seconds otherwise (CI logs), nothing with --quiet.
 */
import type { LiveFigures } from '@novaload/report';
import type { OutStream } from '../io.js';

export interface Progress {
  start(name: string, plannedMs: number, read: () => LiveFigures): void;
  end(): void;
}

/** Pick the progress style for a stream. */
export function createProgress(out: OutStream, opts: { quiet: boolean; plainEverySeconds?: number }): Progress {
  if (opts.quiet) return { start() {}, end() {} };
  return new LineProgress(out, out.isTTY === true, out.isTTY ? 1 : (opts.plainEverySeconds ?? 5));
}

class LineProgress implements Progress {
  private timer: NodeJS.Timeout | null = null;
  private startedAt = 0;

  constructor(
    private readonly out: OutStream,
    private readonly tty: boolean,
    private readonly everySeconds: number,
  ) {}

  start(name: string, plannedMs: number, read: () => LiveFigures): void {
    this.startedAt = Date.now();
    const planned = Math.round(plannedMs / 1000);
    this.out.write(`running ${name}: ${planned}s planned\n`);
    this.timer = setInterval(() => this.draw(name, planned, read()), this.everySeconds * 1000);
    this.timer.unref();
  }

  private draw(name: string, planned: number, f: LiveFigures): void {
    const elapsed = Math.round((Date.now() - this.startedAt) / 1000);
    const line = `${name} ${elapsed}s/${planned}s  VUs ${f.vus}  RPS ${f.rps.toFixed(1)}  p99 ${f.p99.toFixed(2)} ms  requests ${f.requests}  errors ${f.errors}`;
    this.out.write(this.tty ? `\r\x1b[K${line}` : `${line}\n`);
  }

  end(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.tty) this.out.write('\r\x1b[K');
  }
}
