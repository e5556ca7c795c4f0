// The SQS consumers of a running service: one per queue of SQS_QUEUE_URLS, sharing one
// client (region and credentials from the standard AWS chain; SQS_ENDPOINT for VPC
// endpoints and emulators), started with the HTTP app and stopped by its shutdown.
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Logger } from 'pino';
import type { EventLog } from '../ingest/event-log';
import type { CanvasJwtVerifier } from '../ingest/jwt';
import { SqsConsumer, SqsConsumerMetrics } from './sqs-consumer';

export interface SqsDeliverySettings {
  SQS_QUEUE_URLS: string[];
  SQS_ENDPOINT?: string;
  SQS_VISIBILITY_TIMEOUT: number;
  SQS_WAIT_TIME_SECONDS: number;
  SQS_RECEIVERS_PER_QUEUE: number;
}

export interface SqsDelivery {
  consumers: SqsConsumer[];
  /** Stops receiving, finishes and deletes what is in work; resolves when all is done. */
  stop(): Promise<void>;
}

/** The queue's name (the last part of its URL): the label of its metrics. */
export function queueName(queueUrl: string): string {
  return new URL(queueUrl).pathname.split('/').filter(Boolean).pop() ?? queueUrl;
}

export async function startSqsDelivery(deps: {
  settings: SqsDeliverySettings;
  eventLog: Pick<EventLog, 'append'>;
  verifier: CanvasJwtVerifier | null;
  logger: Logger;
  metricsOf: (queue: string) => SqsConsumerMetrics;
}): Promise<SqsDelivery> {
  const { settings, logger } = deps;
  const client = new SQSClient(settings.SQS_ENDPOINT ? { endpoint: settings.SQS_ENDPOINT } : {});
  try {
    // The one setting the SDK cannot do without; missing, every receive would fail later.
    await client.config.region();
  } catch {
    client.destroy();
    throw new Error('SQS_QUEUE_URLS is set but no AWS region is: set AWS_REGION (or a profile with a region)');
  }
  const consumers = settings.SQS_QUEUE_URLS.map(
    (queueUrl) =>
      new SqsConsumer({
        client,
        queueUrl,
        eventLog: deps.eventLog,
        verifier: deps.verifier,
        logger,
        visibilityTimeoutSeconds: settings.SQS_VISIBILITY_TIMEOUT,
        waitTimeSeconds: settings.SQS_WAIT_TIME_SECONDS,
        receivers: settings.SQS_RECEIVERS_PER_QUEUE,
        metrics: deps.metricsOf(queueName(queueUrl)),
      }),
  );
  for (const consumer of consumers) consumer.start();
  logger.info({ queues: settings.SQS_QUEUE_URLS }, 'receiving Canvas events from SQS');
  return {
    consumers,
    async stop() {
      await Promise.all(consumers.map((c) => c.stop()));
      client.destroy();
    },
  };
}
