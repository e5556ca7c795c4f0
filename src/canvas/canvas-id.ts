// Canvas ids: 64-bit decimal strings. Global id = shard_id * 10^13 + local_id.
// This module is the only place that does arithmetic on ids; everything else treats
// them as opaque strings so no digit is ever lost to a JS number.

const SHARD_FACTOR = 10n ** 13n;
/** Largest value a signed BIGINT (MySQL) / INTEGER (SQLite) column can hold. */
const MAX_ID = 2n ** 63n - 1n;
const DIGITS = /^[0-9]{1,20}$/;

/** Why `value` is not a usable id, or null when it is one. */
export function idProblem(value: string): string | null {
  if (!DIGITS.test(value)) return 'must be a decimal id of 1 to 20 digits';
  if (BigInt(value) > MAX_ID) return 'is larger than a 64-bit signed id (9223372036854775807)';
  return null;
}

/** Normal form: no leading zeros ("007" → "7"). */
export function normalizeId(value: string): string {
  return BigInt(value).toString();
}

export function isLocalId(id: string): boolean {
  return BigInt(id) < SHARD_FACTOR;
}

/** Shard of a global id ("21070000000000001" → 2107n); 0n for a local id. */
export function shardOf(globalId: string): bigint {
  return BigInt(globalId) / SHARD_FACTOR;
}

/** The local part of an id ("21070000000000565" → "565"). */
export function localIdOf(id: string): string {
  return (BigInt(id) % SHARD_FACTOR).toString();
}

/**
 * Widens a body id to a global id with the shard of `shardSource` (a global id, usually
 * metadata.root_account_id). Ids that are already global, and ids with no shard to widen
 * them by, are returned as they are.
 */
export function toGlobalId(id: string, shardSource: string | null | undefined): string {
  const value = BigInt(id);
  if (value >= SHARD_FACTOR || !shardSource) return value.toString();
  return (shardOf(shardSource) * SHARD_FACTOR + value).toString();
}

/** Global id of local `localId` on `shard`. */
export function globalIdOnShard(localId: string, shard: bigint): string {
  return (shard * SHARD_FACTOR + BigInt(localId)).toString();
}

/**
 * Ids this service makes up for things Canvas named without an id (a resource link known
 * only from LTI launches) live in shards 900000 and above, which Canvas does not use:
 * the same `hashHex` always gives the same id, never a Canvas one.
 */
const RESERVED_BASE = 900_000n * SHARD_FACTOR;

export function reservedIdFromHash(hashHex: string): string {
  return (RESERVED_BASE + (BigInt(`0x${hashHex}`) % (MAX_ID - RESERVED_BASE + 1n))).toString();
}

export function isReservedId(id: string): boolean {
  return BigInt(id) >= RESERVED_BASE;
}
