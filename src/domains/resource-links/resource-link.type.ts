// The ResourceLink type of the API: an LTI tool placement, from lti_resource_link_*
// events (its title from those events and from LTI launches).
import { Field, ID, ObjectType } from 'type-graphql';
import { connectionType } from '../../graphql/pagination';

@ObjectType('ResourceLink', {
  description:
    'An LTI resource link: a place in Canvas (a course or an assignment) where an external tool is launched. ' +
    'Its latest state comes from lti_resource_link_created / lti_resource_link_updated events.',
  simpleResolvers: true,
})
export class ResourceLinkType {
  @Field(() => ID, { description: 'Global Canvas id of the link (body.resource_link_id).' })
  id: string;

  @Field(() => String, {
    nullable: true,
    description: "The link's stable UUID, as tools see it (body.resource_link_uuid).",
  })
  uuid: string | null;

  @Field(() => String, { nullable: true, description: 'UUID Canvas uses to look the link up (body.lookup_uuid).' })
  lookupUuid: string | null;

  @Field(() => ID, { description: 'Global id of the course or assignment the link is placed in (body.context_id).' })
  contextId: string;

  @Field(() => String, { description: 'What contextId names: Course or Assignment (body.context_type).' })
  contextType: string;

  @Field(() => ID, {
    nullable: true,
    description: 'Global id of the external tool the link launches (body.context_external_tool_id).',
  })
  toolId: string | null;

  @Field(() => String, { nullable: true, description: 'The launch URL of the link (body.url).' })
  url: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Canvas workflow state of the link, e.g. active or deleted (body.workflow_state).',
  })
  workflowState: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Title of the link: body.title of its live events (current Canvas sends it) or resource_link_title of its LTI ' +
      'launches, whichever is newer by its own clock; a live event without the field leaves it as it was.',
  })
  title: string | null;

  @Field(() => Date, { nullable: true, description: 'Event time of its lti_resource_link_created event.' })
  createdAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'Event time of the latest event about the link.' })
  updatedAt: Date | null;
}

export const ResourceLinkConnection = connectionType(ResourceLinkType, 'ResourceLink', 'resource links');
