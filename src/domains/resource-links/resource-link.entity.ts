// An LTI resource link: a placement of an external tool in a course or assignment.
import { Entity } from 'typeorm';
import { ChangedSeqColumn, IdColumn, IdPrimaryColumn, StringColumn, TextColumn, TimeColumn } from '../../db/columns';

@Entity({ name: 'resource_links' })
export class ResourceLink {
  @IdPrimaryColumn()
  id: string;

  @StringColumn(255)
  uuid: string | null;

  @StringColumn(255, { name: 'lookup_uuid' })
  lookupUuid: string | null;

  @IdColumn({ name: 'context_id', nullable: false })
  contextId: string;

  @StringColumn(32, { name: 'context_type', nullable: false })
  contextType: string;

  @IdColumn({ name: 'tool_id' })
  toolId: string | null;

  @TextColumn()
  url: string | null;

  @StringColumn(32, { name: 'workflow_state' })
  workflowState: string | null;

  /** The newer of liveTitle and launchTitle, each by the version that set it. */
  @TextColumn()
  title: string | null;

  /** body.title of the newest lti_resource_link_* event that carried it (null: cleared). */
  @TextColumn({ name: 'live_title' })
  liveTitle: string | null;

  @StringColumn(160, { name: 'live_title_version' })
  liveTitleVersion: string | null;

  /** resource_link_title of the newest launch applied to the link that carried it. */
  @TextColumn({ name: 'launch_title' })
  launchTitle: string | null;

  @StringColumn(160, { name: 'launch_title_version' })
  launchTitleVersion: string | null;

  /** From LTI launches (resource_link_description). */
  @TextColumn()
  description: string | null;

  @TimeColumn({ name: 'created_at' })
  createdAt: Date | null;

  @TimeColumn({ name: 'updated_at' })
  updatedAt: Date | null;

  @StringColumn(160, { name: 'state_version' })
  stateVersion: string | null;

  /** Exports' change tracking: the log sequence of the last event that wrote this row (see db/columns.ts). */
  @ChangedSeqColumn()
  changedSeq: string | null;
}
