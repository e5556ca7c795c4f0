// Arguments of the resource link lists, their order, and how the filter becomes SQL.
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { SelectQueryBuilder } from 'typeorm';
import { optionalIdArgument } from '../../graphql/arguments';
import { ListOrder, PageArgs } from '../../graphql/pagination';
import { ResourceLink } from './resource-link.entity';

@InputType('ResourceLinkFilter', { description: 'Narrows a list of resource links; every condition given must hold.' })
export class ResourceLinkFilter {
  @Field(() => ID, {
    nullable: true,
    description: 'Only links placed directly in this course (contextType Course, contextId this id).',
  })
  courseId?: string | null;

  @Field(() => String, { nullable: true, description: 'Only links in this kind of context: Course or Assignment.' })
  contextType?: string | null;

  @Field(() => String, { nullable: true, description: 'Only links in this workflow state, e.g. active.' })
  workflowState?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only links of this external tool (global id).' })
  toolId?: string | null;
}

/** Every list of resource links (all of them, a course's) runs in ascending id order. */
export const RESOURCE_LINKS_BY_ID: ListOrder = { scope: 'resourceLinks', field: null, direction: 'ASC' };

@ArgsType()
export class ResourceLinksArgs extends PageArgs {
  @Field(() => ResourceLinkFilter, { nullable: true, description: 'Which links to list; all when omitted.' })
  filter?: ResourceLinkFilter | null;
}

/** A filter with its ids checked: the form loaders and queries use. */
export interface CheckedResourceLinkFilter {
  courseId?: string;
  contextType?: string;
  workflowState?: string;
  toolId?: string;
}

export function checkResourceLinkFilter(filter: ResourceLinkFilter | null | undefined): CheckedResourceLinkFilter {
  return {
    courseId: optionalIdArgument(filter?.courseId, 'filter.courseId'),
    contextType: filter?.contextType ?? undefined,
    workflowState: filter?.workflowState ?? undefined,
    toolId: optionalIdArgument(filter?.toolId, 'filter.toolId'),
  };
}

export function applyResourceLinkFilter(qb: SelectQueryBuilder<ResourceLink>, filter: CheckedResourceLinkFilter): void {
  const a = qb.alias;
  if (filter.courseId) {
    qb.andWhere(`${a}.contextType = 'Course' AND ${a}.contextId = :rlCourseId`, {
      rlCourseId: BigInt(filter.courseId),
    });
  }
  if (filter.contextType) qb.andWhere(`${a}.contextType = :rlContextType`, { rlContextType: filter.contextType });
  if (filter.workflowState)
    qb.andWhere(`${a}.workflowState = :rlWorkflowState`, { rlWorkflowState: filter.workflowState });
  if (filter.toolId) qb.andWhere(`${a}.toolId = :rlToolId`, { rlToolId: BigInt(filter.toolId) });
}
