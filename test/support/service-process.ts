// The real server (src/main.ts) as a child process, the way it runs in production: for
// crash tests that kill it with SIGKILL and start it again on the same database.
// Built on startMain (main-process.ts), which owns spawning and reading its output.
import type { ChildProcess } from 'node:child_process';
import { startMain } from './main-process';
import { killGroup } from './process-group';

export interface ServiceProcess {
  url: string;
  child: ChildProcess;
  /** SIGKILL: no shutdown hook, no flush, in-flight requests cut. Resolves once it is gone. */
  kill(): Promise<void>;
  /** SIGTERM and wait (graceful shutdown). */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();

/** Starts src/main.ts on `databaseUrl` with an ephemeral port; resolves when it listens. */
export async function startService(
  databaseUrl: string,
  env: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<ServiceProcess> {
  const main = startMain({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', DATABASE_URL: databaseUrl, ...env });
  running.add(main.child);
  void main.exited.then(() => running.delete(main.child));
  const listening = await main.waitForLine(/"msg":"listening/, timeoutMs);
  const url = /"url":"(http:\/\/[^"]+)"/.exec(listening)?.[1];
  if (!url) throw new Error(`no url in the listening line: ${listening}`);
  const signal = async (name: NodeJS.Signals) => {
    if (main.child.exitCode === null && main.child.signalCode === null) main.child.kill(name);
    await main.exited;
  };
  return { url, child: main.child, kill: () => signal('SIGKILL'), stop: () => signal('SIGTERM') };
}

/** Kills every child this module started, with anything it started, and waits until they are gone. */
export async function killAllServices(): Promise<void> {
  await Promise.all([...running].map((child) => killGroup(child.pid!)));
}
