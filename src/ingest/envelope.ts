// The envelope check: what must hold for a received item to be an event at all
// (an object with metadata, a metadata.event_name and a parseable metadata.event_time).
// Anything that fails here is refused; anything that passes is kept, whatever its body.
import { BadInputError } from '../errors';
import { canonicalJson, isLosslessNumber, sha256Hex, stringifyLossless } from '../canvas/lossless-json';
import { instantProblem, parseInstant } from '../canvas/time';
import { describe } from '../canvas/fields';

export interface EnvelopedEvent {
  name: string;
  time: Date;
  metadata: Record<string, unknown>;
  body: unknown;
  /** The event as received (lossless JSON). */
  payloadText: string;
  /** sha256 of the canonical JSON of {metadata, body}: the same event twice, one hash. */
  contentHash: string;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isLosslessNumber(value);
}

/** Checks the envelope of one parsed item; throws BadInputError with the field path. */
export function toEnvelopedEvent(item: unknown, payloadText?: string): EnvelopedEvent {
  if (!isPlainObject(item)) throw new BadInputError(`an event must be a JSON object, got ${describe(item)}`);
  const metadata = item.metadata;
  if (!isPlainObject(metadata)) {
    throw new BadInputError(
      metadata === undefined ? 'is missing' : `must be an object, got ${describe(metadata)}`,
      'metadata',
    );
  }
  const name = metadata.event_name;
  if (typeof name !== 'string' || name.trim() === '') {
    throw new BadInputError(
      name === undefined ? 'is missing' : `must be a non-empty string, got ${describe(name)}`,
      'metadata.event_name',
    );
  }
  if (name.length > 255) throw new BadInputError('is longer than 255 characters', 'metadata.event_name');
  const time = metadata.event_time;
  if (typeof time !== 'string') {
    throw new BadInputError(
      time === undefined ? 'is missing' : `must be an ISO-8601 string, got ${describe(time)}`,
      'metadata.event_time',
    );
  }
  const problem = instantProblem(time);
  if (problem) throw new BadInputError(`${problem}, got "${time.slice(0, 40)}"`, 'metadata.event_time');
  return {
    name,
    time: parseInstant(time),
    metadata,
    body: item.body,
    payloadText: payloadText ?? stringifyLossless(item),
    contentHash: sha256Hex(canonicalJson({ metadata, body: item.body })),
  };
}
