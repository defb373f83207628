/**
 * `--dashboard`: the live view of a command's runs. It listens before any
 * load (a taken port stops the command with nothing sent), prints the page's
 * URL, and once a second recomputes the report of each open run
 * (`aggregator.current()`) and sends the page what changed. After the runs
 * it keeps the final state up for `--dashboard-linger`, or until Ctrl-C.
 */
import { formatDuration, renderHtml, type Report } from '@novaload/report';
import type { Io } from '../io.js';
import { LiveFeed } from './feed.js';
import { LiveMetrics, type MetricsSource } from './metrics.js';
import type { DashboardOptions } from './options.js';
import { dashboardPage } from './page.js';
import { pageData, type PageData, type PageView } from './page-data.js';
import { DashboardServer } from './server.js';
import type { LiveSink, LiveSource, LiveView } from './sink.js';

/** The command's dashboard: the views of its runs in order (the page shows the latest), the server, and the once-a-second tick. */
export class Dashboard implements LiveSink {
  readonly #views: PageView[] = [];
  readonly #metrics: LiveMetrics;
  readonly #page: string;
  #server!: DashboardServer;
  #timer: NodeJS.Timeout | undefined;
  /** Seconds of the latest view already sent to the open pages. */
  #sent = 0;
  #finalHtml: string | null = null;

  private constructor(tags: Record<string, string>) {
    this.#metrics = new LiveMetrics(tags);
    this.#page = dashboardPage();
  }

  /** Listen and print the URL (the token is never printed: the page asks for it as ?token=). */
  static async open(opts: DashboardOptions, io: Io): Promise<Dashboard> {
    const d = new Dashboard(opts.tags);
    d.#server = await DashboardServer.listen(opts.host, opts.port, opts.token, {
      page: () => d.#page,
      hello: () => d.#message(0),
      report: () => d.#finalHtml,
      metrics: async () => ({ contentType: d.#metrics.contentType, text: await d.#metrics.text(d.#metricsSources()) }),
    });
    io.stderr.write(`dashboard: ${d.url}${opts.token ? '?token=<your token>' : ''} (live, every second; Prometheus metrics at ${d.url}metrics)\n`);
    d.#timer = setInterval(() => d.tick(), 1000);
    d.#timer.unref();
    return d;
  }

  get url(): string {
    return this.#server.url;
  }

  open(source: LiveSource): LiveView {
    const feed = new LiveFeed(source);
    const latest = this.#views.at(-1);
    // A workload's section goes to its run's view, which the run opens before its workloads start.
    if (source.parent !== undefined && latest?.feed.source.name === source.parent && !latest.feed.done) latest.sections.push(feed);
    else {
      this.#add(feed);
      // /report.html is the report of the run that ended last, and none while the next one goes.
      this.#finalHtml = null;
    }
    return {
      close: (report: Report) => {
        feed.close(report);
        if (source.parent === undefined) this.#finalHtml = renderHtml(report);
        this.tick();
      },
    };
  }

  /** Refresh every open report once and send the latest view's news to the pages. */
  tick(): void {
    const view = this.#views.at(-1);
    if (!view) return;
    // Closed feeds answer with their final report; only the open ones are recomputed.
    for (const f of [view.feed, ...view.sections]) f.refresh();
    const message = this.#message(this.#sent);
    if (message !== null) this.#server.broadcast(message);
    this.#sent = view.feed.points.length;
  }

  /** After the runs: stay up for the linger, or until a signal, saying so. */
  async linger(lingerMs: number, io: Io): Promise<void> {
    if (lingerMs <= 0) return;
    io.stderr.write(`dashboard: the final state stays at ${this.url} for ${formatDuration(lingerMs)}; Ctrl-C closes it sooner\n`);
    let unsubscribe = (): void => {};
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, lingerMs);
      unsubscribe = io.onSignal(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    unsubscribe();
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#server.close();
  }

  #add(feed: LiveFeed): PageView {
    const view = { id: this.#views.length, feed, sections: [] };
    this.#views.push(view);
    this.#sent = 0;
    return view;
  }

  #message(from: number): string | null {
    const view = this.#views.at(-1);
    if (!view) return null;
    const earlier: PageData['earlier'] = this.#views.slice(0, -1).map((v) => ({ name: v.feed.source.name, verdict: v.feed.report().verdict, requests: v.feed.report().totals.requests }));
    return JSON.stringify(pageData(view, earlier, from, Date.now()));
  }

  /** /metrics reads each scenario once: a run file's workloads rather than the run (their sum). */
  #metricsSources(): MetricsSource[] {
    return this.#views.flatMap((v) => (v.sections.length > 0 ? v.sections : [v.feed])).map((f) => ({ scenario: f.source.name, report: f.report() }));
  }
}

/** Run `body` with a dashboard open (closed after it, once the linger is over). */
export async function withDashboard<T>(opts: DashboardOptions, io: Io, body: (live: LiveSink) => Promise<T>): Promise<T> {
  const dashboard = await Dashboard.open(opts, io);
  try {
    const result = await body(dashboard);
    await dashboard.linger(opts.lingerMs, io);
    return result;
  } finally {
    await dashboard.close();
  }
}
