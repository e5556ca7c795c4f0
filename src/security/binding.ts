// Where the server may listen. With no tokens configured every caller is an admin, which
// is only acceptable when nobody else can connect: the loopback interface.
import { isIP } from 'node:net';

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (bare === '::1' || bare === '0:0:0:0:0:0:0:1') return true;
  const v4 = bare.startsWith('::ffff:') ? bare.slice('::ffff:'.length) : bare;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/** Why the server must not start on `host` in open mode, or null when it may. */
export function openModeBindingProblem(host: string, open: boolean): string | null {
  if (!open || isLoopbackHost(host)) return null;
  return (
    `HOST=${host} is not a loopback address and no READ_TOKENS, ADMIN_TOKENS or INGEST_TOKENS are set, ` +
    'so anyone who can reach it would be an admin: set tokens, or bind to 127.0.0.1'
  );
}
