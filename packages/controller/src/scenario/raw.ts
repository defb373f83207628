/**
 * The scenario file as written, typed after schema validation. Every field
 * is optional because values the schema rejected are removed before the
 * semantic checks run (see schema-check.ts), and array items can then be
 * holes: later checks read this shape without crashing on bad input.
 */
import type { CaptureSpec, ExecutorType } from '@novaload/agent';
import type { ThresholdSpec } from '@novaload/report';

/** A duration string as written ("10s"); parsed by the checks, never by the schema. */
export type DurationText = string;

/** Think time as written: a duration or a uniform {min, max}. */
export type RawThinkTime = DurationText | { min?: DurationText; max?: DurationText };

/** One stage of a ramping executor. */
export interface RawStage {
  duration?: DurationText;
  target?: number;
}

/** Checks of one value (a JSONPath's first match or a header), as written. */
export interface RawValueCheck {
  exists?: boolean;
  equals?: unknown;
  matches?: string;
}

/** A request's `expect`: ok statuses and response checks. */
export interface RawExpect {
  status?: number[];
  json?: Record<string, RawValueCheck | undefined>;
  body?: { contains?: string; notContains?: string };
  headers?: Record<string, RawValueCheck | undefined>;
}

/** One entry of `requests`. */
export interface RawRequest {
  name?: string;
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  json?: unknown;
  body?: string;
  weight?: number;
  expect?: RawExpect;
  thinkTime?: RawThinkTime;
  capture?: (CaptureSpec | undefined)[];
}

/** The `http` block. */
export interface RawHttp {
  timeout?: DurationText;
  connectTimeout?: DurationText;
  headers?: Record<string, string>;
  connections?: string | number;
  pipelining?: number;
  version?: '1.1' | '2' | 'auto';
  maxConcurrentStreams?: number;
  resendOnStaleConnection?: boolean;
  cookies?: boolean;
  maxRedirects?: number;
  tls?: RawTls;
}

/** `http.tls` as written: file paths relative to the scenario file. */
export interface RawTls {
  ca?: string;
  cert?: string;
  key?: string;
  servername?: string;
  insecure?: boolean;
}

/** The `data` block. */
export interface RawData {
  file?: string;
  mode?: 'per-vu' | 'sequential' | 'random';
  onExhausted?: 'recycle' | 'stop';
}

/** The whole file. */
export interface RawScenario {
  $schema?: string;
  name?: string;
  description?: string;
  target?: string;
  allowHosts?: (string | undefined)[];
  executor?: ExecutorType;
  vus?: number;
  duration?: DurationText;
  startVUs?: number;
  stages?: (RawStage | undefined)[];
  rate?: number;
  startRate?: number;
  maxVUs?: number;
  maxQueue?: number;
  arrivalWindow?: DurationText;
  iterations?: number;
  maxDuration?: DurationText;
  gracefulStop?: DurationText;
  thinkTime?: RawThinkTime;
  flow?: 'random' | 'sequence';
  requests?: (RawRequest | undefined)[];
  http?: RawHttp;
  thresholds?: Record<string, ThresholdSpec | undefined>;
  data?: RawData;
  /** Requests sent once before the load (`setup`) and after it (`teardown`). */
  setup?: { requests?: (RawRequest | undefined)[] };
  teardown?: { requests?: (RawRequest | undefined)[] };
  /** Live outputs (outputs.ts). */
  outputs?: { prometheusRW?: { url?: string; interval?: DurationText; headers?: Record<string, string>; labels?: Record<string, string>; nativeHistograms?: boolean } };
  /** Only in an entry of a run file: the delay of its start. */
  startTime?: DurationText;
  /** Makes the file a run file (run-file.ts): workload name → its scenario. */
  scenarios?: Record<string, unknown>;
}
