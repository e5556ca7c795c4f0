// Nonces of accepted launches, per consumer key, kept in the database so a replayed
// launch is refused across restarts and across instances. A nonce need only be kept while
// its timestamp is inside the accepted window (expires_at); later ones are pruned.
// On MySQL both key columns are VARBINARY (migration 1764000000200): compared byte for
// byte, as SQLite does, where utf8mb4_bin would take `pad` and `pad ` as one nonce.
// Written and looked up as strings; never read back.
import { Entity, PrimaryColumn } from 'typeorm';
import { TimeColumn } from '../db/columns';

@Entity({ name: 'lti_nonces' })
export class LtiNonce {
  @PrimaryColumn('varchar', { name: 'consumer_key', length: 191 })
  consumerKey: string;

  @PrimaryColumn('varchar', { length: 128 })
  nonce: string;

  @TimeColumn({ name: 'expires_at', nullable: false })
  expiresAt: Date;
}
