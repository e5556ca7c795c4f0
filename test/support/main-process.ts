// src/main.ts in a child process with exactly the environment a test gives it, for the
// start-up and shutdown tests: its output kept line by line, its exit awaited. The child
// leads its own process group (process-group.ts), so nothing it starts outlives the test.
import type { ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { spawnGroup } from './process-group';

const ROOT = join(__dirname, '../..');

export interface MainProcess {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  /** Resolves with the first output line matching `pattern` (already seen, or to come). */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** How the service is started: by default node on the sources, as the tests always did. */
export interface StartCommand {
  command: string;
  args: string[];
}

const NODE_ON_SOURCES: StartCommand = {
  command: process.execPath,
  args: ['-r', 'ts-node/register/transpile-only', 'src/main.ts'],
};

/** Whether anything accepts a TCP connection on the loopback `port` right now. */
export function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export function startMain(env: Record<string, string>, start: StartCommand = NODE_ON_SOURCES): MainProcess {
  const child = spawnGroup(start.command, start.args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      // Never a developer's .env: the test says exactly what is configured.
      DOTENV_CONFIG_PATH: join(ROOT, 'test', '.env.does-not-exist'),
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  const collect = (into: string[]) => {
    let partial = '';
    return (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        into.push(line);
        for (const waiter of [...waiters]) {
          if (waiter.pattern.test(line)) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(line);
          }
        }
      }
    };
  };
  child.stdout!.on('data', collect(stdout));
  child.stderr!.on('data', collect(stderr));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
    // Never started (no such command): no 'exit' comes; say why where waitForLine reports.
    child.on('error', (error) => {
      stderr.push(`could not start ${start.command}: ${error.message}`);
      resolve({ code: null, signal: null });
    });
  });
  return {
    child,
    stdout,
    stderr,
    exited,
    waitForLine(pattern, timeoutMs = 30_000) {
      const seen = [...stdout, ...stderr].find((line) => pattern.test(line));
      if (seen) return Promise.resolve(seen);
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; stderr: ${stderr.join('\n')}`)),
          timeoutMs,
        );
        waiters.push({
          pattern,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
        void exited.then(() => {
          clearTimeout(timer);
          reject(new Error(`the service exited before printing ${pattern}; stderr: ${stderr.join('\n')}`));
        });
      });
    },
  };
}
