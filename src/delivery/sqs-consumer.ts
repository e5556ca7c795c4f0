// Canvas Live Events delivered through Amazon SQS: long-polls one queue and hands each
// message to the same ingest path as POST /events (the same body → items step, the same
// EventLog.append with its group commit). A message is deleted only once its event is
// committed; a body that cannot be an event is kept in rejected_events and deleted too (it
// would come back for ever otherwise). A failed commit (database down) deletes nothing: the
// message becomes visible again when its visibility timeout expires and SQS redelivers it;
// the content hash makes that redelivery a duplicate, never a second event in the log.
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Logger } from 'pino';
import { BadInputError } from '../errors';
import type { EventLog, IncomingItem, IngestSource, ItemOutcome } from '../ingest/event-log';
import type { CanvasJwtVerifier } from '../ingest/jwt';
import { parseEventsRequest } from '../ingest/request-items';

/** What the consumer reports, per queue (observability/metrics.ts implements it). */
export interface SqsConsumerMetrics {
  received(count: number, lagSeconds: readonly number[]): void;
  committed(count: number): void;
  deleted(count: number): void;
  failed(stage: 'commit' | 'delete' | 'extend', count: number): void;
  receiveFailed(): void;
  state(state: SqsConsumerState): void;
  inFlight(delta: number): void;
}

/** receiving: polling normally; backing_off: the last receive or commit failed; stopped. */
export type SqsConsumerState = 'receiving' | 'backing_off' | 'stopped';

export interface SqsConsumerOptions {
  client: SQSClient;
  queueUrl: string;
  eventLog: Pick<EventLog, 'append'>;
  verifier: CanvasJwtVerifier | null;
  logger: Logger;
  /** How long a received message stays invisible; extended while it is being worked on. */
  visibilityTimeoutSeconds: number;
  /** Long-poll wait of one ReceiveMessage (0–20 s). */
  waitTimeSeconds: number;
  /** Concurrent ReceiveMessage loops; their appends meet in the event log's group commit. */
  receivers: number;
  metrics?: SqsConsumerMetrics;
  /** Delay after the first failed receive or commit, doubled each time up to maxMs. */
  backoff?: { initialMs: number; maxMs: number };
}

/** SQS's own limit on MaxNumberOfMessages and on the entries of a batch call. */
const SQS_BATCH = 10;

const DEFAULT_BACKOFF = { initialMs: 1_000, maxMs: 60_000 };

export const SQS_SOURCE: IngestSource = { route: 'sqs', contentType: null, clientAddress: null };

const noMetrics: SqsConsumerMetrics = {
  received: () => undefined,
  committed: () => undefined,
  deleted: () => undefined,
  failed: () => undefined,
  receiveFailed: () => undefined,
  state: () => undefined,
  inFlight: () => undefined,
};

export class SqsConsumer {
  private readonly metrics: SqsConsumerMetrics;
  private readonly backoff: { initialMs: number; maxMs: number };
  /** Cancels long polls and backoff sleeps at shutdown; never the work on received messages. */
  private readonly stopReceiving = new AbortController();
  /** Receipt handles of messages received and not yet deleted or given up on. */
  private readonly working = new Set<string>();
  private loops: Promise<void>[] = [];
  private heartbeat: NodeJS.Timeout | null = null;
  private failures = 0;

  constructor(private readonly options: SqsConsumerOptions) {
    this.metrics = options.metrics ?? noMetrics;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
  }

  get queueUrl(): string {
    return this.options.queueUrl;
  }

  start(): void {
    if (this.loops.length > 0) return;
    this.metrics.state('receiving');
    // Extended at half the timeout, so a message still in work never reappears; a crashed
    // process stops extending, and its messages come back within one timeout.
    this.heartbeat = setInterval(
      () => void this.extendVisibility(),
      (this.options.visibilityTimeoutSeconds * 1000) / 2,
    );
    for (let i = 0; i < this.options.receivers; i++) this.loops.push(this.receiveLoop());
  }

  /** Stops receiving, finishes the messages in work (committing and deleting them), and resolves. */
  async stop(): Promise<void> {
    this.stopReceiving.abort();
    await Promise.all(this.loops);
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    this.metrics.state('stopped');
  }

  private get stopping(): boolean {
    return this.stopReceiving.signal.aborted;
  }

  private async receiveLoop(): Promise<void> {
    const { client, queueUrl, visibilityTimeoutSeconds, waitTimeSeconds } = this.options;
    while (!this.stopping) {
      let messages: Message[];
      try {
        const answer = await client.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: SQS_BATCH,
            WaitTimeSeconds: waitTimeSeconds,
            VisibilityTimeout: visibilityTimeoutSeconds,
            MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount'],
          }),
          { abortSignal: this.stopReceiving.signal },
        );
        messages = answer.Messages ?? [];
      } catch (error) {
        if (this.stopping) break;
        this.metrics.receiveFailed();
        this.options.logger.warn({ err: error, queueUrl }, 'receiving from SQS failed; backing off');
        await this.backOff();
        continue;
      }
      if (messages.length === 0) {
        this.recovered();
        continue;
      }
      const committedAll = await this.handle(messages);
      if (committedAll) this.recovered();
      else await this.backOff();
    }
  }

  /** Ingests a batch of messages and deletes those committed; true when every one was. */
  private async handle(messages: Message[]): Promise<boolean> {
    const now = Date.now();
    this.metrics.received(
      messages.length,
      messages.flatMap((m) => {
        const sent = Number(m.Attributes?.SentTimestamp);
        return Number.isFinite(sent) && sent > 0 ? [Math.max(0, now - sent) / 1000] : [];
      }),
    );
    const handles = messages.map((m) => m.ReceiptHandle).filter((h): h is string => Boolean(h));
    for (const handle of handles) this.working.add(handle);
    this.metrics.inFlight(handles.length);
    try {
      // One append per message: the event log's group commit joins them in one
      // transaction, and a message whose part fails alone does not fail the others.
      const results = await Promise.allSettled(messages.map((m) => this.ingest(m)));
      const committed = messages.filter((_, i) => results[i].status === 'fulfilled');
      const failed = messages.length - committed.length;
      if (committed.length > 0) this.metrics.committed(committed.length);
      if (failed > 0) {
        this.metrics.failed('commit', failed);
        const firstError = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')?.reason;
        this.options.logger.warn(
          {
            err: firstError,
            queueUrl: this.options.queueUrl,
            failed,
            receiveCounts: messages.map((m) => m.Attributes?.ApproximateReceiveCount ?? null),
          },
          'SQS messages could not be committed; left in the queue for redelivery',
        );
      }
      await this.delete(committed);
      return failed === 0;
    } finally {
      for (const handle of handles) this.working.delete(handle);
      this.metrics.inFlight(-handles.length);
    }
  }

  /** One message through the ingest path; throws when nothing could be committed. */
  private async ingest(message: Message): Promise<ItemOutcome[]> {
    const items = await itemsOfMessage(message.Body ?? '', this.options.verifier);
    return this.options.eventLog.append(items, SQS_SOURCE);
  }

  private async delete(messages: Message[]): Promise<void> {
    for (let start = 0; start < messages.length; start += SQS_BATCH) {
      const chunk = messages.slice(start, start + SQS_BATCH);
      try {
        const answer = await this.options.client.send(
          new DeleteMessageBatchCommand({
            QueueUrl: this.options.queueUrl,
            Entries: chunk.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
          }),
        );
        const failed = answer.Failed?.length ?? 0;
        this.metrics.deleted(chunk.length - failed);
        if (failed > 0) this.deleteFailed(failed, answer.Failed);
      } catch (error) {
        this.deleteFailed(chunk.length, error);
      }
    }
  }

  /** Harmless but counted: the message comes back and is stored as a duplicate, then deleted. */
  private deleteFailed(count: number, error: unknown): void {
    this.metrics.failed('delete', count);
    this.options.logger.warn(
      { err: error, queueUrl: this.options.queueUrl, count },
      'committed SQS messages could not be deleted; their redelivery will be a duplicate',
    );
  }

  private async extendVisibility(): Promise<void> {
    const handles = [...this.working];
    for (let start = 0; start < handles.length; start += SQS_BATCH) {
      const chunk = handles.slice(start, start + SQS_BATCH);
      try {
        const answer = await this.options.client.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: this.options.queueUrl,
            Entries: chunk.map((handle, i) => ({
              Id: String(i),
              ReceiptHandle: handle,
              VisibilityTimeout: this.options.visibilityTimeoutSeconds,
            })),
          }),
        );
        if (answer.Failed?.length) this.metrics.failed('extend', answer.Failed.length);
      } catch (error) {
        this.metrics.failed('extend', chunk.length);
        this.options.logger.warn({ err: error, queueUrl: this.options.queueUrl }, 'extending SQS visibility failed');
      }
    }
  }

  private recovered(): void {
    if (this.failures === 0) return;
    this.failures = 0;
    this.metrics.state('receiving');
  }

  /** Exponential backoff with jitter, shared by the receivers of this queue; cut short by stop(). */
  private async backOff(): Promise<void> {
    this.failures++;
    this.metrics.state('backing_off');
    const ceiling = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** Math.min(this.failures - 1, 20));
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, delay);
      const signal = this.stopReceiving.signal;
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
    // A successful receive alone does not mean the database is back; the next commit says so.
    if (!this.stopping) this.metrics.state('receiving');
  }
}

/**
 * A message body as items, by the step POST /events uses (one event, an array, or a
 * compact JWS; SQS carries no content type, so JSON is assumed). A body that cannot be
 * an event at all becomes one rejected item, kept in rejected_events.
 */
export async function itemsOfMessage(body: string, verifier: CanvasJwtVerifier | null): Promise<IncomingItem[]> {
  try {
    return (await parseEventsRequest(body, 'application/json', verifier)).items;
  } catch (error) {
    if (!(error instanceof BadInputError)) throw error;
    return [{ kind: 'rejected', raw: body, reason: error.message, status: error.status }];
  }
}
