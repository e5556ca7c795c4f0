// What the README says to run, run the way a supervisor runs it: `npm start`, and
// `npm run build` then `npm run start:prod`. SIGTERM to exactly that process must stop the
// service: a graceful shutdown, the port closed, and no process it started left behind
// (through the ts-node wrapper under `sh -c`, node once kept serving, re-parented to PID 1).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { canConnect, freePort, startMain } from '../support/main-process';
import { groupMembers } from '../support/process-group';

const ROOT = join(__dirname, '../..');
const START_TIMEOUT_MS = 120_000;

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'production-start-'));
  // The build the README's production start runs from (dist/ is not committed).
  await promisify(execFile)('npm', ['run', '--silent', 'build'], { cwd: ROOT, timeout: 300_000 });
}, 320_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Polls until `check` holds or `timeoutMs` passes; returns its last answer. */
async function eventually<T>(check: () => T | Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  let value = await check();
  while (!done(value) && Date.now() < deadline) {
    await sleep(100);
    value = await check();
  }
  return value;
}

describe.each([
  { readme: 'npm start', args: ['start'] },
  { readme: 'npm run start:prod', args: ['run', 'start:prod'] },
])('$readme under a supervisor', ({ args }) => {
  it('serves, and SIGTERM to the npm process stops it and everything it started', async () => {
    const port = await freePort();
    const service = startMain(
      { PORT: String(port), DATABASE_URL: `sqlite:${join(dir, `${args.join('-')}.sqlite`)}` },
      { command: 'npm', args },
    );
    await service.waitForLine(/listening on/, START_TIMEOUT_MS);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    const group = service.child.pid!;
    // npm and the node serving (npm execs it in place of sh, so nothing in between).
    expect(groupMembers(group).length).toBeGreaterThanOrEqual(2);

    service.child.kill('SIGTERM');
    const { code } = await service.exited;

    expect(code).toBe(0);
    expect(service.stdout.some((line) => /"msg":"stopped"/.test(line))).toBe(true);
    expect(await eventually(() => groupMembers(group), (left) => left.length === 0)).toEqual([]);
    expect(await eventually(() => canConnect(port), (open) => !open)).toBe(false);
  });
});
