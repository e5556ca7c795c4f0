// The GraphQL types of the reporting aggregates (submissionStats, commentStats,
// messageStats, Course.stats, Assignment.stats): a group's key, its figures, and a page of
// groups. The figures are computed by src/reporting's GROUP BY engine; these classes only
// describe them.
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PageInfo } from '../../graphql/pagination';
import type { StatsPage } from '../../reporting';

export enum SubmissionGroupBy {
  COURSE = 'COURSE',
  ASSIGNMENT = 'ASSIGNMENT',
  USER = 'USER',
  WORKFLOW_STATE = 'WORKFLOW_STATE',
  SUBMISSION_TYPE = 'SUBMISSION_TYPE',
  LATE = 'LATE',
  MISSING = 'MISSING',
  DAY = 'DAY',
  WEEK = 'WEEK',
  MONTH = 'MONTH',
}

export enum CommentGroupBy {
  COURSE = 'COURSE',
  SUBMISSION = 'SUBMISSION',
  AUTHOR = 'AUTHOR',
  DAY = 'DAY',
  WEEK = 'WEEK',
  MONTH = 'MONTH',
}

export enum MessageGroupBy {
  CONVERSATION = 'CONVERSATION',
  AUTHOR = 'AUTHOR',
  DAY = 'DAY',
  WEEK = 'WEEK',
  MONTH = 'MONTH',
}

const PERIODS = {
  DAY: { description: 'The local day in `timeZone` (from local midnight; 23 or 25 hours across a DST change).' },
  WEEK: { description: 'The local week in `timeZone`, from Monday 00:00.' },
  MONTH: { description: 'The local calendar month in `timeZone`.' },
};

registerEnumType(SubmissionGroupBy, {
  name: 'SubmissionGroupBy',
  description: 'What submissions can be grouped by; DAY, WEEK and MONTH bucket submittedAt (at most one of them).',
  valuesConfig: {
    COURSE: { description: 'The course (key.courseId).' },
    ASSIGNMENT: { description: 'The assignment (key.assignmentId).' },
    USER: { description: 'The student (key.userId).' },
    WORKFLOW_STATE: { description: 'The workflow state (key.workflowState).' },
    SUBMISSION_TYPE: { description: 'How it was submitted (key.submissionType), as Canvas spells it.' },
    LATE: { description: 'The late flag (key.late; unknown is its own group, null).' },
    MISSING: { description: 'The missing flag (key.missing; unknown is its own group, null).' },
    ...PERIODS,
  },
});
registerEnumType(CommentGroupBy, {
  name: 'CommentGroupBy',
  description: 'What submission comments can be grouped by; DAY, WEEK and MONTH bucket createdAt.',
  valuesConfig: {
    COURSE: { description: "The course of the comment's submission (key.courseId)." },
    SUBMISSION: { description: 'The submission commented on (key.submissionId).' },
    AUTHOR: { description: 'Who wrote the comment (key.authorId).' },
    ...PERIODS,
  },
});
registerEnumType(MessageGroupBy, {
  name: 'MessageGroupBy',
  description: 'What conversation messages can be grouped by; DAY, WEEK and MONTH bucket createdAt.',
  valuesConfig: {
    CONVERSATION: { description: 'The conversation (key.conversationId).' },
    AUTHOR: { description: 'Who wrote the message (key.authorId).' },
    ...PERIODS,
  },
});

@ObjectType('StatsKey', {
  description: "A group's values: one per dimension grouped by; a dimension not grouped by is null.",
  simpleResolvers: true,
})
export class StatsKeyType {
  @Field(() => ID, { nullable: true, description: 'The course (COURSE).' }) courseId: string | null;
  @Field(() => ID, { nullable: true, description: 'The assignment (ASSIGNMENT).' }) assignmentId: string | null;
  @Field(() => ID, { nullable: true, description: 'The student (USER).' }) userId: string | null;
  @Field(() => ID, { nullable: true, description: 'The submission commented on (SUBMISSION).' }) submissionId:
    string | null;
  @Field(() => ID, { nullable: true, description: 'The conversation (CONVERSATION).' }) conversationId: string | null;
  @Field(() => ID, { nullable: true, description: 'Who wrote the comment or message (AUTHOR).' }) authorId:
    string | null;
  @Field(() => String, { nullable: true, description: 'The workflow state (WORKFLOW_STATE).' }) workflowState:
    string | null;
  @Field(() => String, { nullable: true, description: 'How it was submitted (SUBMISSION_TYPE).' }) submissionType:
    string | null;
  @Field(() => Boolean, { nullable: true, description: 'The late flag (LATE).' }) late: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'The missing flag (MISSING).' }) missing: boolean | null;

  @Field(() => Date, {
    nullable: true,
    description: 'The instant the DAY, WEEK or MONTH bucket starts (local midnight in `timeZone`, shown in UTC).',
  })
  period: Date | null;
}

@ObjectType('NumberStats', {
  description: 'Figures over a set of numbers; over no numbers count is 0 and every other field null.',
  simpleResolvers: true,
})
export class NumberStatsType {
  @Field(() => Int, { description: 'How many values.' }) count: number;
  @Field(() => Float, { nullable: true, description: 'Sum of the values.' }) sum: number | null;
  @Field(() => Float, { nullable: true, description: 'Mean of the values.' }) avg: number | null;
  @Field(() => Float, { nullable: true, description: 'Smallest value.' }) min: number | null;
  @Field(() => Float, { nullable: true, description: 'Largest value.' }) max: number | null;
  @Field(() => Float, { nullable: true, description: 'Population standard deviation.' }) stddev: number | null;
}

@ObjectType('SubmissionStats', { description: 'Figures over one group of submissions.', simpleResolvers: true })
export class SubmissionStatsType {
  @Field(() => StatsKeyType, { description: "The group's values; a dimension not grouped by is null." })
  key: StatsKeyType;

  @Field(() => Int, { description: 'Submissions in the group.' }) count: number;
  @Field(() => Int, { description: 'Those with submittedAt set.' }) submittedCount: number;
  @Field(() => Int, { description: 'Those with gradedAt set or workflowState graded.' }) gradedCount: number;
  @Field(() => Int, { description: 'Those Canvas counts as late.' }) lateCount: number;
  @Field(() => Int, { description: 'Those Canvas counts as missing.' }) missingCount: number;
  @Field(() => NumberStatsType, { description: 'Scores, over the submissions that have one.' }) score: NumberStatsType;
  @Field(() => Date, { nullable: true, description: 'Earliest submittedAt.' }) firstSubmittedAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'Latest submittedAt.' }) lastSubmittedAt: Date | null;
}

@ObjectType('ActivityStats', {
  description: 'Counts over one group of comments or messages.',
  simpleResolvers: true,
})
export class ActivityStatsType {
  @Field(() => StatsKeyType, { description: "The group's values; a dimension not grouped by is null." })
  key: StatsKeyType;

  @Field(() => Int, { description: 'Items in the group.' }) count: number;
  @Field(() => Date, { nullable: true, description: 'Earliest createdAt.' }) first: Date | null;
  @Field(() => Date, { nullable: true, description: 'Latest createdAt.' }) last: Date | null;
}

/** A page of groups as the API answers it; totalCount runs its statement only when asked for. */
export class StatsConnection<Stats> {
  readonly nodes: Stats[];
  readonly pageInfo: PageInfo;
  private counted?: Promise<number>;

  constructor(private readonly page: StatsPage<Stats>) {
    this.nodes = page.nodes;
    this.pageInfo = {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      startCursor: page.startCursor,
      endCursor: page.endCursor,
    };
  }

  get totalCount(): Promise<number> {
    return (this.counted ??= this.page.totalCount());
  }
}

@ObjectType('SubmissionStatsConnection', {
  description: 'A page of submission groups, in key order.',
  simpleResolvers: true,
})
export class SubmissionStatsConnection {
  @Field(() => [SubmissionStatsType], { description: 'The groups of this page.' }) nodes: SubmissionStatsType[];
  @Field(() => PageInfo, { description: 'Whether more groups follow, and the cursor to continue from.' })
  pageInfo: PageInfo;
  @Field(() => Int, { description: 'How many groups there are (with the filter), across all pages.' })
  totalCount: number;
}

@ObjectType('ActivityStatsConnection', {
  description: 'A page of comment or message groups, in key order.',
  simpleResolvers: true,
})
export class ActivityStatsConnection {
  @Field(() => [ActivityStatsType], { description: 'The groups of this page.' }) nodes: ActivityStatsType[];
  @Field(() => PageInfo, { description: 'Whether more groups follow, and the cursor to continue from.' })
  pageInfo: PageInfo;
  @Field(() => Int, { description: 'How many groups there are (with the filter), across all pages.' })
  totalCount: number;
}
