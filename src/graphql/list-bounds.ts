// Bounds of the plain lists of the API (lists that are not connections), so each is
// charged by the most items it can return (./limits.ts) and none can be arbitrarily long.
// Lists that can grow long take `first` (ListArgs: a default and a maximum, in the order
// the field describes); short ones are capped at a declared bound, documented in the
// field's description. A list with neither stops the server at start.
import { ArgsType, Field, Int } from 'type-graphql';
import { BadInputError } from '../errors';
import { MAX_NODE_IDS } from './node';

/** `first` of a plain list when omitted, and the most it may ask for. */
export const DEFAULT_LIST_SIZE = 100;
export const MAX_LIST_SIZE = 1000;
/**
 * Submission.history's default is a page's: a nested page of 50 submissions times 10
 * courses, each with its history, must stay within the default cost limit.
 */
export const DEFAULT_HISTORY_SIZE = 20;

/** At most this many ids in SubmissionComment.attachmentIds (Canvas attaches a handful). */
export const MAX_ATTACHMENT_IDS = 100;

/** At most this many roles in User.roles (a launch sends a few LIS roles). */
export const MAX_USER_ROLES = 50;

/** At most this many types in Assignment.submissionTypes (Canvas has about a dozen). */
export const MAX_SUBMISSION_TYPES = 50;

/** Plain lists without `first`, by schema coordinate: the most items their resolvers return. */
export const DECLARED_LIST_BOUNDS: Readonly<Record<string, number>> = {
  'SubmissionComment.attachmentIds': MAX_ATTACHMENT_IDS,
  'User.roles': MAX_USER_ROLES,
  'Assignment.submissionTypes': MAX_SUBMISSION_TYPES,
};

/**
 * Lists as long as one of their arguments (schema coordinate → argument and its maximum):
 * charged by the length asked for, or by the maximum where the length is not known.
 */
export const ARGUMENT_LIST_BOUNDS: Readonly<Record<string, { argument: string; max: number }>> = {
  'Query.nodes': { argument: 'nodeIds', max: MAX_NODE_IDS },
};

function listArgs(defaultSize: number) {
  @ArgsType()
  class ListArgs {
    @Field(() => Int, {
      nullable: true,
      defaultValue: defaultSize,
      description: `How many items to return at most: ${defaultSize} when omitted, at most ${MAX_LIST_SIZE}.`,
    })
    first?: number | null;
  }
  return ListArgs;
}

/** `first` of a plain list that can be long (participants). */
export const ListArgs = listArgs(DEFAULT_LIST_SIZE);
export type ListArgs = InstanceType<typeof ListArgs>;
/** `first` of Submission.history. */
export const HistoryArgs = listArgs(DEFAULT_HISTORY_SIZE);
export type HistoryArgs = InstanceType<typeof HistoryArgs>;

/** The checked `first` of a plain list; throws BadInputError naming the argument. */
export function listSize(args: { first?: number | null }, defaultSize = DEFAULT_LIST_SIZE): number {
  const first = args.first ?? defaultSize;
  if (first < 0 || first > MAX_LIST_SIZE) {
    throw new BadInputError(`must be between 0 and ${MAX_LIST_SIZE}, got ${first}`, 'first');
  }
  return first;
}
