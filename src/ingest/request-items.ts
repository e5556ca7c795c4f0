// Turns one POST /events body into items: one event (JSON object or a signed JWS), a
// JSON array of events, or NDJSON (one event a line); wherever an event may stand, a
// Caliper envelope may too, and each of its events is an item of its own. What cannot be
// an event becomes a rejected item with its raw text and the reason, so it is stored,
// not lost. Every path that receives events (HTTP, import, queues) goes through here.
import { BadInputError } from '../errors';
import { caliperEnvelopeEvents, toEnvelopedEvent } from './envelope';
import { isCaliperEnvelope } from '../canvas/caliper';
import { IncomingItem } from './event-log';
import { CanvasJwtVerifier, looksLikeJws } from './jwt';
import { parseLossless, stringifyLossless } from '../canvas/lossless-json';
import { ELEMENTS_PER_TURN, mapWithTurns, nextTurn, splitJsonArray } from './json-array';

export interface ParsedRequest {
  /** A batch answers per item; a single event answers with its own status. */
  batch: boolean;
  items: IncomingItem[];
}

const JSON_TYPES = new Set(['application/json', 'text/json']);
const NDJSON_TYPES = new Set([
  'application/x-ndjson',
  'application/ndjson',
  'application/jsonl',
  'application/x-jsonlines',
]);
const JWT_TYPES = new Set(['application/jwt', 'application/jose', 'text/plain', 'application/octet-stream']);

export const ACCEPTED_TYPES = [...JSON_TYPES, ...NDJSON_TYPES, ...JWT_TYPES];

export function mediaType(contentType: string | undefined): string | null {
  if (!contentType) return null;
  return contentType.split(';')[0].trim().toLowerCase() || null;
}

/** True when the media type is one POST /events takes. */
export function isAcceptedType(type: string | null): boolean {
  return (
    type !== null && (JSON_TYPES.has(type) || NDJSON_TYPES.has(type) || JWT_TYPES.has(type) || type.endsWith('+json'))
  );
}

/** True when every event in the body is a compact JWS: the whole body, or each NDJSON line. */
export function isSignedBody(text: string, contentType: string | null): boolean {
  const type = mediaType(contentType ?? undefined);
  if (type !== null && NDJSON_TYPES.has(type)) {
    const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
    return lines.length > 0 && lines.every(looksLikeJws);
  }
  return looksLikeJws(text);
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Decodes UTF-8 strictly: invalid bytes are refused, not replaced. */
export function decodeUtf8(raw: Buffer): string {
  try {
    return decoder.decode(raw);
  } catch {
    throw new BadInputError('the body is not valid UTF-8', 'body');
  }
}

/**
 * A body refused whole because a sender with no token failed to prove itself: the first
 * signature that fails ends it, unread past that line.
 */
export class UnverifiedBodyError extends BadInputError {
  constructor(
    cause: BadInputError,
    /** Items the body held (NDJSON lines), for the refusal record. */
    readonly items: number,
  ) {
    super(cause.detail, cause.path, cause.status);
  }
}

export interface ParseOptions {
  /**
   * The sender has no token: its signatures are its only proof, so the first that fails
   * refuses the whole body (UnverifiedBodyError) instead of becoming one rejected item.
   */
  signatureRequired?: boolean;
}

export async function parseEventsRequest(
  text: string,
  type: string,
  verifier: CanvasJwtVerifier | null,
  options: ParseOptions = {},
): Promise<ParsedRequest> {
  const strict = options.signatureRequired === true;
  if (NDJSON_TYPES.has(type)) {
    const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
    if (lines.length === 0) throw new BadInputError('no events: the NDJSON body is empty', 'body');
    const items: IncomingItem[] = [];
    for (const [index, line] of lines.entries()) {
      if (index > 0 && index % ELEMENTS_PER_TURN === 0) await nextTurn();
      items.push(...(await toItems(line, `[${index}]`, verifier, strict ? lines.length : undefined)));
    }
    return { batch: true, items };
  }
  if (looksLikeJws(text)) {
    const { items, perEvent } = await itemsOfText(text, null, verifier, strict ? 1 : undefined);
    return { batch: perEvent, items };
  }
  if (!JSON_TYPES.has(type) && !type.endsWith('+json')) {
    throw new BadInputError(`a ${type} body must be a signed payload (compact JWS)`, 'body', 415);
  }
  const elements = splitJsonArray(text);
  if (elements) {
    checkNesting(text);
    const items = await mapWithTurns(elements, (element, index) => {
      let value: unknown;
      try {
        value = parseLossless(element);
      } catch {
        return null; // the whole-body parse below says what is wrong, and where
      }
      return envelopeItems(value, `[${index}]`).items;
    });
    if (!items.includes(null)) return { batch: true, items: (items as IncomingItem[][]).flat() };
  }
  const parsed = parseJson(text);
  if (Array.isArray(parsed)) {
    if (parsed.length === 0) throw new BadInputError('no events: the array is empty', 'body');
    return { batch: true, items: parsed.flatMap((item, index) => envelopeItems(item, `[${index}]`).items) };
  }
  const { items, perEvent } = envelopeItems(parsed, null, text);
  return { batch: perEvent, items };
}

/**
 * One event's text (JSON, or a JWS whose claims are the event) as items: one, or one per
 * event of a Caliper envelope.
 */
export async function toItems(
  text: string,
  where: string | null,
  verifier: CanvasJwtVerifier | null,
  /** Set when the sender has no token: the body's item count, and a failed signature throws. */
  unverifiedBodyItems?: number,
): Promise<IncomingItem[]> {
  return (await itemsOfText(text, where, verifier, unverifiedBodyItems)).items;
}

/** toItems, and whether they are a Caliper envelope's events (answered per event, as a batch is). */
async function itemsOfText(
  text: string,
  where: string | null,
  verifier: CanvasJwtVerifier | null,
  unverifiedBodyItems?: number,
): Promise<{ items: IncomingItem[]; perEvent: boolean }> {
  try {
    if (!looksLikeJws(text)) return envelopeItems(parseJson(text), where, text);
    if (!verifier) throw new BadInputError('a signed payload was sent but CANVAS_JWKS is not configured', 'jwt', 401);
    let claims: string;
    try {
      claims = await verifier.verify(text);
    } catch (error) {
      if (unverifiedBodyItems !== undefined && error instanceof BadInputError) {
        throw new UnverifiedBodyError(error.within(where), unverifiedBodyItems);
      }
      throw error;
    }
    return envelopeItems(parseJson(claims), where, claims);
  } catch (error) {
    if (!(error instanceof BadInputError) || error instanceof UnverifiedBodyError) throw error;
    const located = error.within(where);
    return {
      items: [{ kind: 'rejected', raw: text, reason: located.message, status: located.status }],
      perEvent: false,
    };
  }
}

/**
 * A parsed item as items: a Canvas-format event, or each event of a Caliper envelope
 * (`perEvent`: answered one by one, as a batch is). An envelope without events is one
 * rejected item, refused with its 400 like any item that cannot be an event.
 */
function envelopeItems(
  value: unknown,
  where: string | null,
  rawText?: string,
): { items: IncomingItem[]; perEvent: boolean } {
  const rejected = (error: BadInputError, raw: string | undefined): IncomingItem => ({
    kind: 'rejected',
    raw: raw ?? stringifyLossless(value),
    reason: error.within(where).message,
    status: error.status,
  });
  try {
    if (!isCaliperEnvelope(value))
      return { items: [{ kind: 'event', event: toEnvelopedEvent(value, rawText) }], perEvent: false };
    const data = value.data as unknown[];
    const items = caliperEnvelopeEvents(value).map((event, index): IncomingItem =>
      event instanceof BadInputError ? rejected(event, stringifyLossless(data[index])) : { kind: 'event', event },
    );
    return { items, perEvent: true };
  } catch (error) {
    if (!(error instanceof BadInputError)) throw error;
    return { items: [rejected(error, rawText)], perEvent: false };
  }
}

function parseJson(text: string): unknown {
  checkNesting(text);
  try {
    return parseLossless(text);
  } catch (error) {
    throw new BadInputError(`not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * Canvas events nest a few levels. Parsing, hashing and storing all recurse once per
 * level, and a few thousand levels overflowed the stack after the envelope check: the
 * request was answered 503 and Canvas would have retried it for ever. Deeper than this
 * is refused (and kept) like any other body that cannot be an event.
 */
export const MAX_JSON_NESTING = 256;

function checkNesting(text: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_JSON_NESTING) throw new BadInputError(`JSON nested deeper than ${MAX_JSON_NESTING} levels`);
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
}
