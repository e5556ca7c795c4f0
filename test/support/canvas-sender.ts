// Sends a stream of events the way Canvas does: several concurrent clients, singles and
// batches, and a retry of whatever was not acknowledged (a 503, a reset connection, a
// dead server) until it is, or until the deadline. Records every acknowledgement, so a
// test can check that each acknowledged event is in the log exactly once.
import type { CanvasEvent } from './builders';
import { postJson } from './live-server';

export interface SenderOptions {
  /** The service's base URL; null while it is down (requests wait instead). */
  baseUrl: () => string | null;
  events: CanvasEvent[];
  clients?: number;
  /** Request sizes, cycled: 1 is a single event, more is a JSON array. */
  batchSizes?: number[];
  /** Give up (and fail) after this many ms. */
  deadlineMs?: number;
  /** Pause between retries of a refused request. */
  retryDelayMs?: number;
  /** Sent with every request (e.g. an ingest token). */
  headers?: Record<string, string>;
}

export interface SendReport {
  /** Event index → the event id its acknowledgement named. */
  acked: Map<number, string>;
  /** How many requests got each HTTP status (0: no answer: refused, reset or timed out). */
  statuses: Map<number, number>;
  /** 503 answers that had no Retry-After header. */
  retryAfterMissing: number;
  /** Anything that is neither an acknowledgement nor a 503 / lost connection. */
  unexpected: string[];
}

const ACKNOWLEDGED = new Set(['stored', 'duplicate', 'invalid', 'unprojected']);

export class CanvasSender {
  readonly report: SendReport = { acked: new Map(), statuses: new Map(), retryAfterMissing: 0, unexpected: [] };
  private readonly pending: number[];
  private stopped = false;

  constructor(private readonly options: SenderOptions) {
    this.pending = options.events.map((_, i) => i);
  }

  get ackCount(): number {
    return this.report.acked.size;
  }

  /** Runs until every event is acknowledged (resolves) or the deadline passes (rejects). */
  async run(): Promise<SendReport> {
    const deadline = Date.now() + (this.options.deadlineMs ?? 60_000);
    const sizes = this.options.batchSizes ?? [1, 3, 1, 5];
    const inFlight = new Set<number>();
    let turn = 0;
    const client = async () => {
      while (!this.stopped && this.report.acked.size < this.options.events.length) {
        if (Date.now() > deadline)
          throw new Error(`deadline: ${this.report.acked.size}/${this.options.events.length} acknowledged`);
        const base = this.options.baseUrl();
        const chunk = base ? this.pending.splice(0, sizes[turn++ % sizes.length]) : [];
        if (chunk.length === 0) {
          // Nothing to take (others hold the rest in flight) or the service is down.
          await sleep(inFlight.size > 0 || !base ? 20 : 5);
          continue;
        }
        chunk.forEach((i) => inFlight.add(i));
        const retry = await this.post(base!, chunk);
        chunk.forEach((i) => inFlight.delete(i));
        if (retry.length) {
          this.pending.push(...retry);
          await sleep(this.options.retryDelayMs ?? 25);
        }
      }
    };
    await Promise.all(Array.from({ length: this.options.clients ?? 4 }, client));
    return this.report;
  }

  stop(): void {
    this.stopped = true;
  }

  /** Posts `chunk`; returns the indices to send again. */
  private async post(base: string, chunk: number[]): Promise<number[]> {
    const events = chunk.map((i) => this.options.events[i]);
    let answer;
    try {
      answer = await postJson(`${base}/events`, chunk.length === 1 ? events[0] : events, this.options.headers, 10_000);
    } catch {
      this.count(0);
      return chunk;
    }
    this.count(answer.status);
    if (answer.status === 503) {
      if (!answer.headers.get('retry-after')) this.report.retryAfterMissing++;
      return chunk;
    }
    if (answer.status !== 200) {
      this.report.unexpected.push(`${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
      return [];
    }
    const items: Array<{ status: string; id: string }> = chunk.length === 1 ? [answer.body] : answer.body.items;
    for (const [k, item] of items.entries()) {
      if (!ACKNOWLEDGED.has(item.status)) this.report.unexpected.push(`item ${chunk[k]}: ${JSON.stringify(item)}`);
      else this.report.acked.set(chunk[k], item.id);
    }
    return [];
  }

  private count(status: number) {
    this.report.statuses.set(status, (this.report.statuses.get(status) ?? 0) + 1);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every 10 ms until it holds or `timeoutMs` passes. */
export async function until(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}
