// The envelope check: what must hold for a received item to be an event at all
// (an object with metadata, a metadata.event_name and a parseable metadata.event_time;
// for each event of a Caliper envelope, an id, a type and a parseable eventTime).
// Anything that fails here is refused; anything that passes is kept, whatever its body.
import { BadInputError } from '../errors';
import { canonicalJson, isLosslessNumber, sha256Hex, stringifyLossless } from '../canvas/lossless-json';
import { instantProblem, parseInstant } from '../canvas/time';
import { describe } from '../canvas/fields';
import { caliperEventName, caliperMetadata, isCaliperEventName, MAX_CALIPER_EVENTS } from '../canvas/caliper';

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
  if (isCaliperEventName(name)) {
    // The log's names of Caliper events; a Canvas-format event under one would be read back as Caliper.
    throw new BadInputError(
      `must not start with "caliper:" (the log's prefix for Caliper events)`,
      'metadata.event_name',
    );
  }
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

/** Bytes of a Caliper envelope's own fields (sensor, sendTime, …: about 150 from Canvas) copied to each of several events. */
export const MAX_SHARED_ENVELOPE_BYTES = 4096;

/**
 * The events of a Caliper envelope, each enveloped as its own log entry (or refused on
 * its own, at `data[i]`). An envelope without a `data` array of events is refused whole.
 */
export function caliperEnvelopeEvents(envelope: Record<string, unknown>): (EnvelopedEvent | BadInputError)[] {
  const data = envelope.data;
  if (!Array.isArray(data)) {
    throw new BadInputError(
      data === undefined
        ? 'is missing: a Caliper envelope carries its events in data[]'
        : `must be an array of Caliper events, got ${describe(data)}`,
      'data',
    );
  }
  if (data.length === 0) throw new BadInputError('no events: the Caliper envelope has none', 'data');
  if (data.length > MAX_CALIPER_EVENTS) {
    throw new BadInputError(
      `holds ${data.length} events; a Caliper envelope may hold at most ${MAX_CALIPER_EVENTS}`,
      'data',
    );
  }
  // Each event is kept with a copy of the envelope's own fields: bounded when there are several.
  const { data: _data, ...fields } = envelope;
  const fieldsBytes = Buffer.byteLength(stringifyLossless(fields));
  if (data.length > 1 && fieldsBytes > MAX_SHARED_ENVELOPE_BYTES) {
    throw new BadInputError(
      `the envelope's fields besides data take ${fieldsBytes} bytes; at most ${MAX_SHARED_ENVELOPE_BYTES} when data holds several events (each is kept with them)`,
      'data',
    );
  }
  // And never more bytes of copies than the events themselves take: an envelope of many
  // tiny events would otherwise be stored tens of times its size.
  const copiesBytes = fieldsBytes * (data.length - 1);
  const eventsBytes = Buffer.byteLength(stringifyLossless(data));
  if (copiesBytes > eventsBytes) {
    const n = (bytes: number) => bytes.toLocaleString('en-US');
    throw new BadInputError(
      `the envelope's fields besides data (${fieldsBytes} bytes) would be kept with each of its ${data.length} events, ` +
        `${n(copiesBytes)} bytes of copies for ${n(eventsBytes)} bytes of events: send fewer events per envelope, or smaller fields`,
      'data',
    );
  }
  return data.map((event: unknown, index) => {
    try {
      return toCaliperEvent(event, envelope);
    } catch (error) {
      if (!(error instanceof BadInputError)) throw error;
      return error.within(`data[${index}]`);
    }
  });
}

/**
 * Checks one Caliper event: an object with an `id` (its dedupe key), a `type` and a
 * parseable `eventTime`. It is kept as the envelope it came in with only itself in
 * `data` (sensor and sendTime are not lost), and deduplicated by its id: the same event
 * sent again, in another envelope or at another sendTime, is one entry.
 */
export function toCaliperEvent(event: unknown, envelope: Record<string, unknown>): EnvelopedEvent {
  if (!isPlainObject(event)) throw new BadInputError(`a Caliper event must be a JSON object, got ${describe(event)}`);
  const id = event.id;
  if (typeof id !== 'string' || id.trim() === '' || id.length > 255) {
    throw new BadInputError(
      id === undefined ? 'is missing' : `must be a non-empty string of at most 255 characters, got ${describe(id)}`,
      'id',
    );
  }
  if (typeof event.type !== 'string' || event.type.trim() === '') {
    throw new BadInputError(
      event.type === undefined ? 'is missing' : `must be a non-empty string, got ${describe(event.type)}`,
      'type',
    );
  }
  const name = caliperEventName(event);
  if (name.length > 255)
    throw new BadInputError('type, action and object.type are longer than 255 characters together', 'type');
  const time = event.eventTime;
  if (typeof time !== 'string') {
    throw new BadInputError(
      time === undefined ? 'is missing' : `must be an ISO-8601 string, got ${describe(time)}`,
      'eventTime',
    );
  }
  const problem = instantProblem(time);
  if (problem) throw new BadInputError(`${problem}, got "${time.slice(0, 40)}"`, 'eventTime');
  return {
    name,
    time: parseInstant(time),
    metadata: caliperMetadata(event),
    body: event,
    payloadText: stringifyLossless({ ...envelope, data: [event] }),
    contentHash: sha256Hex(canonicalJson({ caliper_id: id })),
  };
}

/**
 * The metadata and body projections see of a logged event (replay): a Canvas event's
 * own; a Caliper event's derived again from the event, as ingest derived them.
 */
export function loggedEventParts(name: string, payload: unknown): { metadata: unknown; body: unknown } {
  if (isCaliperEventName(name)) {
    const event = isPlainObject(payload) && Array.isArray(payload.data) ? payload.data[0] : undefined;
    return isPlainObject(event) ? { metadata: caliperMetadata(event), body: event } : { metadata: {}, body: undefined };
  }
  const metadata = isPlainObject(payload) && isPlainObject(payload.metadata) ? payload.metadata : {};
  return { metadata, body: isPlainObject(payload) ? payload.body : undefined };
}
