// Which root account an LTI tool consumer guid belongs to, learnt from live events
// (metadata.root_account_id + root_account_lti_guid). Every pair seen is kept, so the set
// (and every launch resolved through it) does not depend on the order events arrived in.
import { Entity, Index, PrimaryColumn } from 'typeorm';
import { IdPrimaryColumn } from '../../db/columns';

@Entity({ name: 'root_accounts' })
@Index('idx_root_accounts_lti_guid', ['ltiGuid', 'id'])
export class RootAccount {
  @IdPrimaryColumn()
  id: string;

  @PrimaryColumn('varchar', { name: 'lti_guid', length: 255 })
  ltiGuid: string;
}
