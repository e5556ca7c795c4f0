// Bearer tokens and the roles they grant. Configured tokens are kept only as SHA-256
// digests (an entry may already be `sha256:<hex>`, so the secret need not sit in the
// environment in plain text); a presented token is hashed and compared digest to digest
// with crypto.timingSafeEqual against every entry, so neither the answer's timing nor an
// early exit tells a caller how close a guess was or which list it matched.
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * What a caller may do. `admin` includes `read`; `ingest` (POST /events) and `metrics`
 * (GET /metrics) are separate grants, so a leaked Canvas subscription URL reads nothing.
 */
export type Role = 'read' | 'admin' | 'ingest' | 'metrics';

export const SHA256_ENTRY = /^sha256:([0-9a-f]{64})$/i;

/** A configured entry (plain token or `sha256:<hex>`) as the digest to compare against. */
export function entryDigest(entry: string): Buffer {
  const hashed = SHA256_ENTRY.exec(entry);
  return hashed ? Buffer.from(hashed[1], 'hex') : sha256(entry);
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

export interface TokenLists {
  READ_TOKENS: readonly string[];
  ADMIN_TOKENS: readonly string[];
  INGEST_TOKENS: readonly string[];
  METRICS_TOKEN?: string | undefined;
}

export class TokenStore {
  private readonly entries: Array<{ digest: Buffer; roles: readonly Role[] }>;

  constructor(lists: TokenLists) {
    this.entries = [
      ...lists.READ_TOKENS.map((t) => ({ digest: entryDigest(t), roles: ['read'] as const })),
      ...lists.ADMIN_TOKENS.map((t) => ({ digest: entryDigest(t), roles: ['admin', 'read'] as const })),
      ...lists.INGEST_TOKENS.map((t) => ({ digest: entryDigest(t), roles: ['ingest'] as const })),
      ...(lists.METRICS_TOKEN ? [{ digest: entryDigest(lists.METRICS_TOKEN), roles: ['metrics'] as const }] : []),
    ];
    this.open = lists.READ_TOKENS.length + lists.ADMIN_TOKENS.length + lists.INGEST_TOKENS.length === 0;
  }

  /**
   * No READ, ADMIN or INGEST token is configured: every caller is an admin (and may
   * ingest). Only allowed on a loopback address; METRICS_TOKEN alone does not close it.
   */
  readonly open: boolean;

  /** The roles a presented token grants; empty for an unknown token. */
  rolesOf(token: string): Set<Role> {
    const presented = sha256(token);
    const roles = new Set<Role>();
    // No early exit: every entry is compared whatever matched before.
    for (const entry of this.entries) {
      if (timingSafeEqual(presented, entry.digest)) for (const role of entry.roles) roles.add(role);
    }
    return roles;
  }
}
