// What launches said about one LTI context, resource link or user of one tool consumer
// (keyed by the consumer's guid and the LTI id), kept whether or not its Canvas id is
// known yet. Courses, resource links and users are recomputed from these rows, so a
// launch that arrives before its root account is known is joined to its course later,
// and the result is the same in any arrival order.
import { Entity, Index, PrimaryColumn } from 'typeorm';
import { IdColumn, StringColumn, TextColumn, TimeColumn } from '../../db/columns';

export type LtiFactKind = 'context' | 'link' | 'user';

/** One fact: the value of the newest launch (by stateVersion) that carried it. */
export interface VersionedValue {
  value: string;
  version: string;
}

@Entity({ name: 'lti_facts' })
@Index('idx_lti_facts_consumer', ['consumerGuid', 'kind'])
@Index('idx_lti_facts_context', ['consumerGuid', 'contextId'])
@Index('idx_lti_facts_applied', ['kind', 'appliedId'])
export class LtiFact {
  @PrimaryColumn('varchar', { length: 16 })
  kind: LtiFactKind;

  /** context_id, resource_link_id or user_id as launched. */
  @PrimaryColumn('varchar', { name: 'lti_id', length: 255 })
  ltiId: string;

  /** tool_consumer_instance_guid (or `key:<oauth_consumer_key>` when a consumer sends none). */
  @PrimaryColumn('varchar', { name: 'consumer_guid', length: 255 })
  consumerGuid: string;

  /** The LTI context the link or context belongs to (links are shown in its course). */
  @StringColumn(255, { name: 'context_id' })
  contextId: string | null;

  /** custom_canvas_course_id / custom_canvas_user_id as launched: local or global. */
  @IdColumn({ name: 'canvas_ref' })
  canvasRef: string | null;

  @StringColumn(160, { name: 'canvas_ref_version' })
  canvasRefVersion: string | null;

  /** JSON object, keys sorted: fact name → VersionedValue. */
  @TextColumn({ nullable: false })
  facts: string;

  @TimeColumn({ name: 'first_launched_at', nullable: false })
  firstLaunchedAt: Date;

  @TimeColumn({ name: 'last_launched_at', nullable: false })
  lastLaunchedAt: Date;

  /** The course, resource link or user these facts are applied to; null while unknown. */
  @IdColumn({ name: 'applied_id' })
  appliedId: string | null;
}
