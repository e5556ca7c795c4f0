// Start-up refusals of the SQS settings: a bad value stops the service before it listens,
// with one line naming the variable (exit 2); a queue with no AWS region to reach it by
// stops it too (exit 1), instead of a consumer failing every receive later.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startMain } from '../support/main-process';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sqs-startup-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function refusal(env: Record<string, string>): Promise<{ code: number | null; line: string }> {
  const service = startMain({
    DATABASE_URL: `sqlite:${join(dir, 'events.sqlite')}`,
    PORT: String(await freePort()),
    // No ~/.aws of the developer's: the test says exactly what is configured.
    HOME: dir,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...env,
  });
  const { code } = await service.exited;
  const lines = service.stderr.filter((l) => l.trim() !== '');
  expect(lines).toHaveLength(1);
  expect(service.stdout.join('\n')).not.toMatch(/listening on/);
  return { code, line: lines[0] };
}

const QUEUE = 'https://sqs.us-east-1.amazonaws.com/123456789012/canvas-live-events';

describe('starting the service with SQS settings', () => {
  it.each<{ what: string; env: Record<string, string> }>([
    { what: 'a queue URL without account and name', env: { SQS_QUEUE_URLS: 'https://sqs.us-east-1.amazonaws.com/' } },
    { what: 'a queue name instead of its URL', env: { SQS_QUEUE_URLS: 'canvas-live-events' } },
    { what: 'a visibility timeout of one second', env: { SQS_QUEUE_URLS: QUEUE, SQS_VISIBILITY_TIMEOUT: '1' } },
    { what: 'a wait time over 20 s', env: { SQS_QUEUE_URLS: QUEUE, SQS_WAIT_TIME_SECONDS: '21' } },
    { what: 'an SQS_ENDPOINT that is no URL', env: { SQS_QUEUE_URLS: QUEUE, SQS_ENDPOINT: 'vpce-123' } },
  ])('refuses $what, naming the variable', async ({ env }) => {
    const { code, line } = await refusal(env);
    expect(code).toBe(2);
    const variable = Object.keys(env).at(-1)!;
    expect(line).toContain(`${variable}:`);
  });

  it('refuses queues with no AWS region to reach them by', async () => {
    const { code, line } = await refusal({ SQS_QUEUE_URLS: QUEUE });
    expect(code).toBe(1);
    expect(line).toMatch(/SQS_QUEUE_URLS is set but no AWS region is: set AWS_REGION/);
  });
});
