// Everything the API resolves on Enrollment: the `enrollment` and `enrollments` queries,
// its local id, section, course and user (through the courses and users domains'
// loaders), and the enrolled user's name — personal data, null unless the caller is an admin.
import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { idArgument } from '../../graphql/arguments';
import { GraphQLContext } from '../../graphql/context';
import { WithNode } from '../../graphql/node';
import { listPage, TopLevelList } from '../../graphql/pagination';
import { courseLoaders, CourseType } from '../courses';
import { PERSONAL_DATA, personal, userLoaders, UserType } from '../users';
import { applyEnrollmentFilter, checkEnrollmentFilter, ENROLLMENTS_BY_ID, EnrollmentsArgs } from './enrollment.args';
import { Enrollment } from './enrollment.entity';
import { enrollmentLoaders } from './enrollment.loaders';
import { EnrollmentConnection, EnrollmentType } from './enrollment.type';

const ENROLLMENTS: TopLevelList<Enrollment, EnrollmentsArgs> = {
  entity: Enrollment,
  order: ENROLLMENTS_BY_ID,
  filter: (qb, args) => applyEnrollmentFilter(qb, checkEnrollmentFilter(args.filter)),
  loaders: enrollmentLoaders,
};

@Resolver(() => EnrollmentType)
export class EnrollmentResolver extends WithNode(EnrollmentType, {
  load: (ctx) => ctx.loaders.of(enrollmentLoaders).byId,
}) {
  @Query(() => EnrollmentType, { nullable: true, description: 'One enrollment by its global id; null when unknown.' })
  enrollment(
    @Arg('id', () => ID, { description: 'Global Canvas id of the enrollment.' }) id: string,
    @Ctx() ctx: GraphQLContext,
  ) {
    return ctx.loaders.of(enrollmentLoaders).byId.load(idArgument(id, 'id'));
  }

  @Query(() => EnrollmentConnection, {
    description: 'Enrollments in every course, filtered as asked, in ascending id order.',
  })
  enrollments(@Args() args: EnrollmentsArgs, @Ctx() ctx: GraphQLContext) {
    return listPage(ENROLLMENTS, args, ctx);
  }

  @FieldResolver(() => ID, { nullable: true, description: 'Global id of the course section (body.course_section_id).' })
  sectionId(@Root() enrollment: Enrollment): string | null {
    return enrollment.courseSectionId;
  }

  @FieldResolver(() => CourseType, { nullable: true, description: 'The course (courseId).' })
  course(@Root() enrollment: Enrollment, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.of(courseLoaders).byId.load(enrollment.courseId);
  }

  @FieldResolver(() => UserType, { nullable: true, description: 'The enrolled user (userId).' })
  user(@Root() enrollment: Enrollment, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.of(userLoaders).byId.load(enrollment.userId);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: `The enrolled user's name as Canvas sent it with the enrollment (body.user_name). ${PERSONAL_DATA}`,
  })
  userName(@Root() enrollment: Enrollment, @Ctx() ctx: GraphQLContext) {
    return personal(ctx, enrollment.userName);
  }
}
