// Everything the API resolves on Assignment: the `assignment` and `assignments` queries,
// its local id, its submission types as a list, its course (through the courses domain's
// loaders), its submissions (the submissions domain's loaders) and its unsubmitted
// students (enrollments), each batched over every assignment of a response.
import { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from 'type-graphql';
import { idArgument } from '../../graphql/arguments';
import { GraphQLContext } from '../../graphql/context';
import { MAX_SUBMISSION_TYPES } from '../../graphql/list-bounds';
import { WithNode } from '../../graphql/node';
import { ListOrder, listPage, PageArgs, pageRequest, TopLevelList } from '../../graphql/pagination';
import { courseLoaders, CourseType } from '../courses';
import { EnrollmentConnection } from '../enrollments';
import { assignmentStats, SubmissionStatsType } from '../reporting';
import {
  checkSubmissionFilter,
  SubmissionConnection,
  submissionLoaders,
  submissionOrder,
  SubmissionsArgs,
} from '../submissions';
import { applyAssignmentFilter, assignmentOrder, AssignmentsArgs, checkAssignmentFilter } from './assignment.args';
import { Assignment } from './assignment.entity';
import { assignmentLoaders } from './assignment.loaders';
import { AssignmentConnection, AssignmentType } from './assignment.type';

const ASSIGNMENTS: TopLevelList<Assignment, AssignmentsArgs> = {
  entity: Assignment,
  order: (args) => assignmentOrder(args.orderBy),
  filter: (qb, args) => applyAssignmentFilter(qb, checkAssignmentFilter(args.filter)),
  loaders: assignmentLoaders,
};

/** Unsubmitted students run in enrollment id order (oldest enrollment first). */
const UNSUBMITTED_BY_ID: ListOrder = { scope: 'unsubmittedStudents', field: null, direction: 'ASC' };

@Resolver(() => AssignmentType)
export class AssignmentResolver extends WithNode(AssignmentType, {
  load: (ctx) => ctx.loaders.of(assignmentLoaders).byId,
  localId: 'The local part of the id, as Canvas shows it in assignment URLs (/courses/565/assignments/371).',
}) {
  @Query(() => AssignmentType, { nullable: true, description: 'One assignment by its global id; null when unknown.' })
  assignment(
    @Arg('id', () => ID, { description: 'Global Canvas id of the assignment.' }) id: string,
    @Ctx() ctx: GraphQLContext,
  ) {
    return ctx.loaders.of(assignmentLoaders).byId.load(idArgument(id, 'id'));
  }

  @Query(() => AssignmentConnection, {
    description: 'Assignments in every course, filtered and sorted as asked (ascending id by default).',
  })
  assignments(@Args() args: AssignmentsArgs, @Ctx() ctx: GraphQLContext) {
    return listPage(ASSIGNMENTS, args, ctx);
  }

  @FieldResolver(() => [String], {
    description: `How students may submit (body.submission_types, split at commas and trimmed), e.g. online_upload; empty when unknown. The first ${MAX_SUBMISSION_TYPES}.`,
  })
  submissionTypes(@Root() assignment: Assignment): string[] {
    return (assignment.submissionTypes ?? '')
      .split(',')
      .map((type) => type.trim())
      .filter(Boolean)
      .slice(0, MAX_SUBMISSION_TYPES);
  }

  @FieldResolver(() => CourseType, { nullable: true, description: 'The course it belongs to (courseId).' })
  course(@Root() assignment: Assignment, @Ctx() ctx: GraphQLContext) {
    return assignment.courseId ? ctx.loaders.of(courseLoaders).byId.load(assignment.courseId) : null;
  }

  // Other domains' types are named in thunks: those domains import this one too.
  @FieldResolver(() => SubmissionConnection, {
    description: 'Submissions to this assignment, filtered and sorted as asked (ascending id by default).',
  })
  submissions(
    @Root() assignment: Assignment,
    @Args(() => SubmissionsArgs) args: SubmissionsArgs,
    @Ctx() ctx: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    const request = pageRequest(args, submissionOrder(args.orderBy));
    const filter = checkSubmissionFilter(args.filter);
    return ctx.loaders.of(submissionLoaders).pageByAssignment.load({ parentId: assignment.id, request, filter }, info);
  }

  @FieldResolver(() => EnrollmentConnection, {
    description:
      'Active student enrollments (StudentEnrollment, workflow state active) of its course whose user has no ' +
      'submission to it with submittedAt, or none at all (a missing submission auto-graded 0 counts as ' +
      'unsubmitted); in enrollment id order. A student enrolled in two sections appears once per enrollment.',
  })
  unsubmittedStudents(
    @Root() assignment: Assignment,
    @Args() args: PageArgs,
    @Ctx() ctx: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    const request = pageRequest(args, UNSUBMITTED_BY_ID);
    return ctx.loaders
      .of(assignmentLoaders)
      .unsubmittedPage.load({ parentId: assignment.id, request, filter: null }, info);
  }

  @FieldResolver(() => SubmissionStatsType, {
    description:
      'The same figures as submissionStats, for this assignment (key.assignmentId set); one statement for ' +
      'every assignment of a response level.',
  })
  stats(@Root() assignment: Assignment, @Ctx() ctx: GraphQLContext) {
    return assignmentStats(ctx, assignment.id);
  }
}
