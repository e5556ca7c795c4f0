// Starts the bench server (./server-process.ts) as a child process and waits until it
// listens; `stop` ends it and waits for it to exit.
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface BenchServer {
  url: string;
  pid: number;
  statements(): Promise<number>;
  stop(): Promise<void>;
}

export const TS_NODE = join(__dirname, '../../node_modules/ts-node/dist/bin.js');

export async function startBenchServer(databaseUrl: string, nodeArgs: string[] = []): Promise<BenchServer> {
  const child: ChildProcess = spawn(
    process.execPath,
    [...nodeArgs, TS_NODE, '--transpile-only', join(__dirname, 'server-process.ts')],
    // NODE_ENV=production as deployed: graphql-js runs its slower development checks otherwise.
    {
      env: { ...process.env, NODE_ENV: 'production', BENCH_DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve((JSON.parse(line) as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code} before listening`)));
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    pid: child.pid!,
    statements: async () => ((await (await fetch(`${url}/__bench/statements`)).json()) as { count: number }).count,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
