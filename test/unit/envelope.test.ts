// The envelope check: what makes a received item an event, and the reason (with its
// path) for each thing that does not.
import { BadInputError } from '../../src/errors';
import { toEnvelopedEvent } from '../../src/ingest/envelope';
import { parseLossless } from '../../src/canvas/lossless-json';
import { fixture, fixtureText, withBody, withMetadata } from '../support/builders';

function refusal(item: unknown): BadInputError {
  try {
    toEnvelopedEvent(item);
  } catch (error) {
    if (error instanceof BadInputError) return error;
    throw error;
  }
  throw new Error('the item was taken as an event');
}

describe('toEnvelopedEvent', () => {
  it('takes a fixture as an event with its name, instant, payload and hash', () => {
    const text = fixtureText('submission_updated');
    const event = toEnvelopedEvent(parseLossless(text), text);
    expect(event.name).toBe('submission_updated');
    expect(event.time.toISOString()).toBe(fixture('submission_updated').metadata.event_time);
    expect(event.payloadText).toBe(text);
    expect(event.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps an event whose body is missing or not an object: that is for its type to judge', () => {
    const noBody = { metadata: fixture('submission_updated').metadata };
    expect(toEnvelopedEvent(noBody).body).toBeUndefined();
    expect(toEnvelopedEvent({ ...noBody, body: 'a string' }).body).toBe('a string');
  });

  it('hashes only metadata and body: the same event in other words has the same hash', () => {
    const event = fixture('submission_updated');
    const reordered = { body: event.body, metadata: Object.fromEntries(Object.entries(event.metadata).reverse()) };
    expect(toEnvelopedEvent(reordered).contentHash).toBe(toEnvelopedEvent(event).contentHash);
    expect(toEnvelopedEvent(withBody(event, { grade: 'B' })).contentHash).not.toBe(toEnvelopedEvent(event).contentHash);
  });

  it.each([
    ['an array', [fixture('submission_updated')], /^an event must be a JSON object, got an array$/],
    ['a string', 'submission_updated', /^an event must be a JSON object, got "submission_updated"$/],
    ['null', null, /^an event must be a JSON object, got null$/],
    ['a number', 42, /^an event must be a JSON object, got number 42$/],
  ])('refuses %s, which is not an object', (_what, item, message) => {
    const error = refusal(item);
    expect(error.message).toMatch(message);
    expect(error.status).toBe(400);
  });

  it('refuses an item without metadata, naming the field', () => {
    const error = refusal({ body: fixture('submission_updated').body });
    expect(error.path).toBe('metadata');
    expect(error.message).toBe('metadata: is missing');
  });

  it('refuses metadata that is not an object', () => {
    expect(refusal({ metadata: 'x', body: {} }).message).toBe('metadata: must be an object, got "x"');
    expect(refusal({ metadata: [], body: {} }).message).toBe('metadata: must be an object, got an array');
  });

  it('refuses a missing, empty or non-string event_name with its path', () => {
    const event = fixture('submission_updated');
    expect(refusal(withMetadata(event, { event_name: undefined })).message).toBe('metadata.event_name: is missing');
    expect(refusal(withMetadata(event, { event_name: ' ' })).path).toBe('metadata.event_name');
    expect(refusal(withMetadata(event, { event_name: 7 })).message).toBe(
      'metadata.event_name: must be a non-empty string, got number 7',
    );
    expect(refusal(withMetadata(event, { event_name: 'x'.repeat(256) })).message).toMatch(/longer than 255/);
  });

  it('refuses a missing, non-string or unparseable event_time with its path', () => {
    const event = fixture('submission_updated');
    expect(refusal(withMetadata(event, { event_time: undefined })).message).toBe('metadata.event_time: is missing');
    expect(refusal(withMetadata(event, { event_time: 1572635481419 })).message).toMatch(
      /^metadata\.event_time: must be an ISO-8601 string, got number 1572635481419$/,
    );
    expect(refusal(withMetadata(event, { event_time: 'soon' })).message).toBe(
      'metadata.event_time: is not an ISO-8601 timestamp with a UTC offset, got "soon"',
    );
    expect(refusal(withMetadata(event, { event_time: '2019-11-01T19:11:11.325' })).path).toBe('metadata.event_time');
    expect(refusal(withMetadata(event, { event_time: '2019-02-30T00:00:00Z' })).message).toMatch(
      /not a real calendar date/,
    );
  });
});
