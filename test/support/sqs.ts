// A real SQS-compatible server for tests (fauxqs, in a child process on 127.0.0.1), a
// client for it, and what tests ask of a queue: send bodies, count what is left.
import { createInterface } from 'node:readline';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { join } from 'node:path';
import { killGroup, spawnGroup } from './process-group';

/** What the service's AWS chain reads in tests (fauxqs checks no credentials). */
export const AWS_TEST_ENV = { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };

export interface SqsServer {
  endpoint: string;
  client: SQSClient;
  /** A client for `endpoint` (a proxy in front of the server, say). */
  clientFor(endpoint: string): SQSClient;
  createQueue(name: string, visibilityTimeoutSeconds?: number): Promise<string>;
  send(queueUrl: string, bodies: string[]): Promise<void>;
  /** Messages waiting (visible) and received but not deleted (in flight). */
  counts(queueUrl: string): Promise<{ visible: number; inFlight: number }>;
  stop(): Promise<void>;
}

export async function startSqsServer(): Promise<SqsServer> {
  const child = spawnGroup(process.execPath, [join(__dirname, 'fauxqs-server.mjs')], {
    cwd: join(__dirname, '../..'),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('fauxqs did not start within 30 s')), 30_000);
    child.once('exit', (code) => reject(new Error(`fauxqs exited with ${code} before listening`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { endpoint: string }).endpoint);
    });
  });
  const clientFor = (url: string) =>
    new SQSClient({
      endpoint: url,
      region: AWS_TEST_ENV.AWS_REGION,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
  const client = clientFor(endpoint);
  return {
    endpoint,
    client,
    clientFor,
    async createQueue(name, visibilityTimeoutSeconds = 30) {
      const answer = await client.send(
        new CreateQueueCommand({
          QueueName: name,
          Attributes: { VisibilityTimeout: String(visibilityTimeoutSeconds) },
        }),
      );
      return answer.QueueUrl!;
    },
    async send(queueUrl, bodies) {
      for (let start = 0; start < bodies.length; start += 10) {
        const answer = await client.send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: bodies.slice(start, start + 10).map((body, i) => ({ Id: String(i), MessageBody: body })),
          }),
        );
        if (answer.Failed?.length) throw new Error(`sending failed: ${JSON.stringify(answer.Failed)}`);
      }
    },
    async counts(queueUrl) {
      const answer = await client.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      return {
        visible: Number(answer.Attributes?.ApproximateNumberOfMessages),
        inFlight: Number(answer.Attributes?.ApproximateNumberOfMessagesNotVisible),
      };
    },
    async stop() {
      client.destroy();
      await killGroup(child.pid!, 'SIGTERM');
    },
  };
}
