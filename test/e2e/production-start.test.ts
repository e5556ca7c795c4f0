// What the README says to run, run the way a supervisor runs it: `npm start`, and
// `npm run build` then `npm run start:prod`. SIGTERM to exactly that process must stop the
// service: a graceful shutdown, the port closed, and no process it started left behind
// (through the ts-node wrapper under `sh -c`, node once kept serving, re-parented to PID 1).
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { loadConfig } from '../../src/config';
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
    expect(
      await eventually(
        () => groupMembers(group),
        (left) => left.length === 0,
      ),
    ).toEqual([]);
    expect(
      await eventually(
        () => canConnect(port),
        (open) => !open,
      ),
    ).toBe(false);
  });
});

describe('the systemd unit (deploy/systemd/canvas-events.service)', () => {
  const unitPath = join(ROOT, 'deploy/systemd/canvas-events.service');
  const unit = readFileSync(unitPath, 'utf8');
  const setting = (name: string) => new RegExp(`^${name}=(.*)$`, 'm').exec(unit)?.[1];

  it('runs what npm run start:prod runs, and waits longer than the service takes to stop', () => {
    const startProd = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts['start:prod'] as string;
    expect(setting('ExecStart')).toBe(`/usr/bin/${startProd.replace(/^exec /, '')}`);
    expect(setting('KillSignal')).toBe('SIGTERM');
    // main.ts: in-flight requests get SHUTDOWN_TIMEOUT_MS, closing the pool 5 s more.
    const shutdownBoundSeconds = loadConfig({}).SHUTDOWN_TIMEOUT_MS / 1000 + 5;
    expect(Number(setting('TimeoutStopSec')?.replace(/s$/, ''))).toBeGreaterThan(shutdownBoundSeconds);
  });

  const verify = existsSync('/usr/bin/systemd-analyze') ? it : it.skip;
  verify('is a unit systemd accepts (systemd-analyze verify)', () => {
    // verify reports every directive it cannot parse and exits 0 all the same: silence is the pass.
    const { stdout, stderr } = spawnSync('/usr/bin/systemd-analyze', ['verify', unitPath], { encoding: 'utf8' });
    expect(stdout + stderr).toBe('');
  });
});
