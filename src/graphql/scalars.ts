// The two custom scalars of the API: DateTime (an instant, always written back in UTC
// with milliseconds) and JSON (raw event payloads). DateTime inputs go through the same
// parser as ingest, so any ISO-8601 offset is accepted and compared as an instant.
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { formatInstant, instantProblem, parseInstant } from '../canvas/time';

function toInstant(value: unknown): Date {
  if (typeof value !== 'string') throw new GraphQLError(`DateTime must be an ISO-8601 string, got ${typeof value}`);
  const problem = instantProblem(value);
  if (problem) throw new GraphQLError(`DateTime "${value.slice(0, 40)}" ${problem}`);
  return parseInstant(value);
}

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description:
    'An instant in time. Always answered as ISO-8601 in UTC with milliseconds (2019-11-01T19:11:01.676Z); ' +
    'accepted with any UTC offset (2020-03-30T11:18:51-06:00) and compared as an instant, never as text.',
  serialize(value) {
    if (value instanceof Date && !Number.isNaN(value.getTime())) return formatInstant(value);
    if (typeof value === 'string') return formatInstant(toInstant(value));
    throw new GraphQLError('DateTime cannot represent a value that is not an instant');
  },
  parseValue: toInstant,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime must be written as a string', { nodes: ast });
    return toInstant(ast.value);
  },
});

export const JSONScalar = new GraphQLScalarType({
  ...GraphQLJSON.toConfig(),
  description:
    'Any JSON value, passed through as it is. Used for raw event payloads, where numbers too large for a ' +
    'double (64-bit Canvas ids sent as numbers) are given as strings of their digits so no digit is lost.',
});
