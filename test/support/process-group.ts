// Child processes that cannot outlive their test. Each is started as the leader of its own
// process group, so stopping the group stops everything it started (npm → sh → node, an
// orphan re-parented to PID 1 included: it keeps its group), and test/support/cleanup.ts
// kills every group still running when a test file ends, passed or failed. Spawn failures
// and broken pipes are reported, never left as an unhandled 'error' event that kills Jest.
import { ChildProcess, spawn, SpawnOptions } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const groups = new Set<number>();

/** `spawn`, as the leader of a new process group that cleanup kills if the test does not. */
export function spawnGroup(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn(command, args, { ...options, detached: true });
  const pgid = child.pid;
  if (pgid !== undefined) {
    groups.add(pgid);
    // Forgotten once it is empty: its number may then be reused by a group that is not ours.
    child.once('exit', () => {
      if (groupMembers(pgid).length === 0) groups.delete(pgid);
    });
  }
  // Without a listener a failed spawn (ENOENT) throws from an event; callers see it as an exit.
  child.on('error', () => undefined);
  for (const stream of [child.stdin, child.stdout, child.stderr]) stream?.on('error', () => undefined);
  return child;
}

/** Live processes of group `pgid` (zombies waiting for a parent to reap them do not count). */
export function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid pgrp …; comm may contain spaces and parentheses.
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z') members.push(Number(entry));
    } catch {
      /* gone meanwhile */
    }
  }
  return members;
}

/** Sends `signal` to the whole group and waits until none of it is left (or `timeoutMs` passes). */
export async function killGroup(pgid: number, signal: NodeJS.Signals = 'SIGKILL', timeoutMs = 10_000): Promise<void> {
  try {
    process.kill(-pgid, signal);
  } catch {
    /* no such group: already gone */
  }
  const deadline = Date.now() + timeoutMs;
  while (groupMembers(pgid).length > 0) {
    if (Date.now() > deadline) throw new Error(`process group ${pgid} still running ${timeoutMs} ms after ${signal}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  groups.delete(pgid);
}

/** SIGKILL to every group this module started that still has a process (cleanup's afterAll). */
export async function killAllGroups(): Promise<void> {
  await Promise.all([...groups].map((pgid) => (groupMembers(pgid).length > 0 ? killGroup(pgid) : groups.delete(pgid))));
}
