// The nonces of accepted launches (OAuth 1.0a replay protection), kept in the database so
// a replayed launch is refused across restarts and across instances.
import type { DataSource } from 'typeorm';
import { inTransaction } from '../db/transaction';
import { LtiNonce } from './lti-nonce.entity';

/** The longest nonce kept (the column's length). */
export const MAX_NONCE_LENGTH = 128;

export class NonceStore {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records the nonce, or says it was used. Expired nonces are pruned first: their
   * timestamps are outside the window, so a launch reusing one is refused as stale anyway.
   * Two instances inserting the same nonce at once: one gets a duplicate key, and its
   * retried transaction then finds the nonce used.
   */
  consume(consumerKey: string, nonce: string, at: Date, expiresAt: Date): Promise<boolean> {
    return inTransaction(this.dataSource, async (tx) => {
      await tx.createQueryBuilder().delete().from(LtiNonce).where('expires_at < :at', { at }).execute();
      if (await tx.existsBy(LtiNonce, { consumerKey, nonce })) return false;
      await tx.insert(LtiNonce, { consumerKey, nonce, expiresAt });
      return true;
    });
  }
}
