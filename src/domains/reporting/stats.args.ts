// Arguments of submissionStats, commentStats and messageStats, and how each filter input
// becomes the engine's StatsFilter: a WHERE fragment over the dataset's aliases
// (s submissions, c submission_comments, m conversation_messages; see
// src/reporting/datasets.ts) with `?` placeholders. Ids are bound as BigInt (compared as
// integers on MySQL), instants in the stored DATETIME(3) text form, so both databases
// select the same rows.
import { ArgsType, Field, Int } from 'type-graphql';
import { optionalIdArgument } from '../../graphql/arguments';
import { sqlDatetime, STATS_DEFAULT_PAGE_SIZE, STATS_MAX_PAGE_SIZE, StatsFilter } from '../../reporting';
import { CheckedSubmissionFilter, checkSubmissionFilter, CommentFilter, SubmissionFilter } from '../submissions';
import { MessageFilter } from '../conversations';
import { CommentGroupBy, MessageGroupBy, SubmissionGroupBy } from './stats.type';

const TIME_ZONE = 'IANA time zone of the DAY, WEEK and MONTH buckets (e.g. America/Chicago); UTC when omitted.';
const GROUP_BY =
  'Dimensions to group by, in the order groups are sorted; at most one of DAY, WEEK and MONTH. ' +
  'Without groupBy the answer is one group: the whole filtered set.';

@ArgsType()
class StatsPageArgs {
  @Field(() => String, { nullable: true, description: TIME_ZONE })
  timeZone?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: `How many groups to return: ${STATS_DEFAULT_PAGE_SIZE} when omitted, at most ${STATS_MAX_PAGE_SIZE}.`,
  })
  first?: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Return the groups after this cursor: the endCursor of a previous page of the same stats query.',
  })
  after?: string | null;
}

@ArgsType()
export class SubmissionStatsArgs extends StatsPageArgs {
  @Field(() => SubmissionFilter, { nullable: true, description: 'Which submissions to count; all when omitted.' })
  filter?: SubmissionFilter | null;

  @Field(() => [SubmissionGroupBy], { nullable: true, description: GROUP_BY })
  groupBy?: SubmissionGroupBy[] | null;
}

@ArgsType()
export class CommentStatsArgs extends StatsPageArgs {
  @Field(() => CommentFilter, { nullable: true, description: 'Which comments to count; all when omitted.' })
  filter?: CommentFilter | null;

  @Field(() => [CommentGroupBy], { nullable: true, description: GROUP_BY })
  groupBy?: CommentGroupBy[] | null;
}

@ArgsType()
export class MessageStatsArgs extends StatsPageArgs {
  @Field(() => MessageFilter, { nullable: true, description: 'Which messages to count; all when omitted.' })
  filter?: MessageFilter | null;

  @Field(() => [MessageGroupBy], { nullable: true, description: GROUP_BY })
  groupBy?: MessageGroupBy[] | null;
}

/**
 * Fails loudly on a filter field this file maps to no condition: a filter input that
 * gains a field (another branch, a later change) must not be ignored in silence, which
 * would answer figures over rows the caller excluded.
 */
function assertMapped(filter: object | null | undefined, mapped: readonly string[], input: string): void {
  for (const [field, value] of Object.entries(filter ?? {})) {
    if (value !== undefined && value !== null && !mapped.includes(field))
      throw new Error(`${input}.${field} has no stats condition in src/domains/reporting/stats.args.ts`);
  }
}

const SUBMISSION_FIELDS = [
  'courseId',
  'assignmentId',
  'userId',
  'workflowStates',
  'late',
  'missing',
  'submittedSince',
  'submittedBefore',
  'updatedSince',
  'scoreAtLeast',
  'scoreAtMost',
  'gradedSince',
  'gradedBefore',
] as const;
const COMMENT_FIELDS = ['courseId', 'submissionId', 'assignmentId', 'authorId', 'createdSince', 'createdBefore'];
const MESSAGE_FIELDS = ['conversationId', 'authorId', 'courseId', 'createdSince', 'createdBefore'];

/** Conditions joined by AND, with their parameters in order and the joins they need. */
class Conditions {
  private readonly parts: string[] = [];
  private readonly params: unknown[] = [];
  private readonly joins = new Set<string>();

  add(sql: string, params: unknown[] = [], join?: string): void {
    this.parts.push(sql);
    this.params.push(...params);
    if (join) this.joins.add(join);
  }

  id(column: string, id: string | undefined, join?: string): void {
    if (id !== undefined) this.add(`${column} = ?`, [BigInt(id)], join);
  }

  since(column: string, at: Date | null | undefined): void {
    if (at) this.add(`${column} >= ?`, [sqlDatetime(at.getTime())]);
  }

  before(column: string, at: Date | null | undefined): void {
    if (at) this.add(`${column} < ?`, [sqlDatetime(at.getTime())]);
  }

  get filter(): StatsFilter {
    return { where: this.parts.join(' AND '), params: this.params, joins: [...this.joins] };
  }
}

export function submissionStatsFilter(f: CheckedSubmissionFilter): StatsFilter {
  assertMapped(f, SUBMISSION_FIELDS, 'SubmissionFilter');
  const c = new Conditions();
  c.id('s.course_id', f.courseId);
  c.id('s.assignment_id', f.assignmentId);
  c.id('s.user_id', f.userId);
  if (f.workflowStates) {
    const marks = f.workflowStates.map(() => '?').join(', ');
    c.add(f.workflowStates.length ? `s.workflow_state IN (${marks})` : '1 = 0', f.workflowStates);
  }
  if (f.late !== undefined) c.add('s.late = ?', [f.late ? 1 : 0]);
  if (f.missing !== undefined) c.add('s.missing = ?', [f.missing ? 1 : 0]);
  c.since('s.submitted_at', f.submittedSince);
  c.before('s.submitted_at', f.submittedBefore);
  c.since('s.updated_at', f.updatedSince);
  if (f.scoreAtLeast !== undefined) c.add('s.score >= ?', [f.scoreAtLeast]);
  if (f.scoreAtMost !== undefined) c.add('s.score <= ?', [f.scoreAtMost]);
  c.since('s.graded_at', f.gradedSince);
  c.before('s.graded_at', f.gradedBefore);
  return c.filter;
}

/** The filter input of submissionStats, checked (ids, list sizes) as the submission lists check it. */
export function submissionStatsFilterOf(filter: SubmissionFilter | null | undefined): StatsFilter {
  return submissionStatsFilter(checkSubmissionFilter(filter));
}

export function commentStatsFilter(f: CommentFilter | null | undefined): StatsFilter {
  assertMapped(f, COMMENT_FIELDS, 'CommentFilter');
  const c = new Conditions();
  // The comments table has no course or assignment: they are its submission's (join s).
  c.id('s.course_id', optionalIdArgument(f?.courseId, 'filter.courseId'), 's');
  c.id('c.submission_id', optionalIdArgument(f?.submissionId, 'filter.submissionId'));
  c.id('s.assignment_id', optionalIdArgument(f?.assignmentId, 'filter.assignmentId'), 's');
  c.id('c.author_id', optionalIdArgument(f?.authorId, 'filter.authorId'));
  c.since('c.created_at', f?.createdSince);
  c.before('c.created_at', f?.createdBefore);
  return c.filter;
}

export function messageStatsFilter(f: MessageFilter | null | undefined): StatsFilter {
  assertMapped(f, MESSAGE_FIELDS, 'MessageFilter');
  const c = new Conditions();
  c.id('m.conversation_id', optionalIdArgument(f?.conversationId, 'filter.conversationId'));
  c.id('m.author_id', optionalIdArgument(f?.authorId, 'filter.authorId'));
  // A message's course is its conversation's (as in the messages list: not copied onto messages).
  const courseId = optionalIdArgument(f?.courseId, 'filter.courseId');
  if (courseId !== undefined) {
    c.add('m.conversation_id IN (SELECT cv.id FROM conversations cv WHERE cv.course_id = ?)', [BigInt(courseId)]);
  }
  c.since('m.created_at', f?.createdSince);
  c.before('m.created_at', f?.createdBefore);
  return c.filter;
}
