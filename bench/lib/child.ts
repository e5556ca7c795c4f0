// Starts the bench server (./server-process.ts) as a child process and waits until it
// listens; `stop` ends it and waits for it to exit. It cannot outlive the bench: it leads
// its own process group (killed after each test file by test/support/cleanup.ts) and exits
// when its stdin closes, which happens when this process dies however it dies.
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { spawnGroup } from '../../test/support/process-group';

export interface BenchServer {
  url: string;
  pid: number;
  statements(): Promise<number>;
  stop(): Promise<void>;
}

export const TS_NODE = join(__dirname, '../../node_modules/ts-node/dist/bin.js');

export async function startBenchServer(
  databaseUrl: string,
  nodeArgs: string[] = [],
  env: Record<string, string> = {},
): Promise<BenchServer> {
  const child: ChildProcess = spawnGroup(
    process.execPath,
    [...nodeArgs, TS_NODE, '--transpile-only', join(__dirname, 'server-process.ts')],
    // NODE_ENV=production as deployed: graphql-js runs its slower development checks otherwise.
    {
      env: { ...process.env, NODE_ENV: 'production', BENCH_DATABASE_URL: databaseUrl, ...env },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      try {
        resolve((JSON.parse(line) as { port: number }).port);
      } catch {
        reject(new Error(`bench server printed ${line.slice(0, 200)} instead of its port`));
      }
    });
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code} before listening`)));
    child.once('error', (error) => reject(new Error(`bench server could not start: ${error.message}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    pid: child.pid!,
    statements: async () => ((await (await fetch(`${url}/__bench/statements`)).json()) as { count: number }).count,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
