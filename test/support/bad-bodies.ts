// Generated bad input for fuzz tests, each case saying what it is and what a correct
// service answers: 4xx for what cannot be an event (and the refusal kept), 2xx for a
// well-enveloped event however broken its body (kept, as INVALID when it breaks its
// type's schema), and for GraphQL a 4xx or a 200 with errors — never a 5xx anywhere.
import fc from 'fast-check';
import { CanvasEvent, fixture, FIXTURE_NAMES } from './builders';
import { canvasEventArbitrary } from './corpus';

export interface BadRequest {
  /** What kind of bad input this is (for the failure message). */
  kind: string;
  contentType: string | null;
  body: string | Buffer;
  /** '4xx': cannot be an event; '2xx': a well-enveloped event; 'any': either, never 5xx. */
  expect: '4xx' | '2xx' | 'any';
}

const JSON_TYPE = 'application/json';
const anyEvent = fc.oneof(
  fc.constantFrom(...FIXTURE_NAMES).map((name) => fixture(name)),
  canvasEventArbitrary,
);

/** Values of every JSON type, and the awkward ones: huge and negative numbers, empty things. */
const wrongValue = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, 1e308, '', ' ', [], {}, [1, 2], { id: '1' }),
  fc.constantFrom(
    '9223372036854775808',
    '-5',
    '00012',
    '1e3',
    '0x1F',
    '２０２４',
    '2024-13-45T99:99:99Z',
    'not a date',
  ),
  fc.string({ maxLength: 30 }),
  fc.integer(),
  fc.double(),
);

/** Paths of every field of an event (metadata.*, body.*, one level down in arrays and objects). */
function fieldPaths(event: CanvasEvent): string[][] {
  const paths: string[][] = [];
  for (const part of ['metadata', 'body'] as const) {
    paths.push([part]);
    for (const [key, value] of Object.entries(event[part] ?? {})) {
      paths.push([part, key]);
      if (value && typeof value === 'object') for (const inner of Object.keys(value)) paths.push([part, key, inner]);
    }
  }
  return paths;
}

function setPath(event: CanvasEvent, path: string[], value: unknown): CanvasEvent {
  const copy = JSON.parse(JSON.stringify(event)) as Record<string, unknown>;
  let target = copy;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
  if (value === undefined) delete target[path[path.length - 1]];
  else target[path[path.length - 1]] = value;
  return copy as CanvasEvent;
}

/** True when a changed path touches the envelope (what makes an event an event). */
const touchesEnvelope = (path: string[]) =>
  path[0] === 'metadata' && (path.length === 1 || path[1] === 'event_name' || path[1] === 'event_time');

/** An event with one field (anywhere) replaced by a value of another type, or removed. */
const wrongTypeInAField: fc.Arbitrary<BadRequest> = anyEvent.chain((event) =>
  fc
    .record({ path: fc.constantFrom(...fieldPaths(event)), value: fc.option(wrongValue, { nil: undefined, freq: 8 }) })
    .map(({ path, value }) => {
      const changed = setPath(event, path, value);
      const envelopeStillGood =
        !touchesEnvelope(path) ||
        (path[1] === 'event_name' && typeof value === 'string' && value.trim() !== '' && value.length <= 255);
      return {
        kind: `${String(event.metadata.event_name)} with ${path.join('.')} = ${JSON.stringify(value)?.slice(0, 60)}`,
        contentType: JSON_TYPE,
        body: JSON.stringify(changed),
        // event_time replaced by a string may still parse (e.g. "2024-…Z"): either answer is right then.
        expect: envelopeStillGood ? '2xx' : typeof value === 'string' && path[1] === 'event_time' ? 'any' : '4xx',
      } satisfies BadRequest;
    }),
);

/** Ids as JSON numbers: small ones are ids, big, negative or fractional ones are not (the event is kept as INVALID). */
const numbersWhereIdsGo: fc.Arbitrary<BadRequest> = fc
  .record({
    name: fc.constantFrom(
      'submission_updated',
      'submission_comment_created',
      'conversation_message_created',
      'lti_resource_link_created' as const,
    ),
    number: fc.constantFrom(
      '123',
      '9007199254740993',
      '9223372036854775807',
      '9223372036854775808',
      '-7',
      '1.5',
      '1e5',
      '0',
    ),
  })
  .map(({ name, number }) => {
    const event = fixture(name);
    const idField = Object.keys(event.body).find((k) => k.endsWith('_id'))!;
    const text = JSON.stringify(event).replace(
      `"${idField}":"${String(event.body[idField])}"`,
      `"${idField}":${number}`,
    );
    return { kind: `${name} with ${idField} = ${number}`, contentType: JSON_TYPE, body: text, expect: '2xx' };
  });

/** Any JSON at all: almost never an event. */
const randomJson: fc.Arbitrary<BadRequest> = fc.jsonValue({ maxDepth: 4 }).map((value) => {
  const text = JSON.stringify(value);
  return { kind: `random JSON ${text.slice(0, 60)}`, contentType: JSON_TYPE, body: text, expect: 'any' };
});

/** A good event cut short anywhere. */
const truncatedJson: fc.Arbitrary<BadRequest> = fc
  .tuple(anyEvent, fc.double({ min: 0, max: 0.999, noNaN: true }), fc.boolean())
  .map(([event, at, asArray]) => {
    const text = JSON.stringify(asArray ? [event, event] : event);
    const cut = text.slice(0, Math.floor(text.length * at));
    return { kind: `truncated at ${cut.length}/${text.length}`, contentType: JSON_TYPE, body: cut, expect: '4xx' };
  });

/** Nesting far deeper than any event: as the whole body, and inside an otherwise good event. */
const deepNesting: fc.Arbitrary<BadRequest> = fc
  .record({
    depth: fc.constantFrom(100, 300, 1_000, 5_000, 20_000, 200_000),
    open: fc.constantFrom('[', '{"a":'),
    inEvent: fc.boolean(),
  })
  .map(({ depth, open, inEvent }) => {
    const close = open === '[' ? ']' : '}';
    const nested = `${open.repeat(depth)}1${close.repeat(depth)}`;
    // Nested arrays are a batch whose one item is no event (200, the item refused) or,
    // too deep to read, an unparseable body (400); nested objects are never an event.
    if (!inEvent)
      return {
        kind: `nesting ${depth} × ${open}`,
        contentType: JSON_TYPE,
        body: nested,
        expect: open === '[' ? 'any' : '4xx',
      };
    const event = JSON.stringify(fixture('submission_updated'));
    const body = event.replace('"body":{', `"body":{"extra":${nested},`);
    // Kept when it is no deeper than an event could be, refused (and kept as refused) when deeper.
    return {
      kind: `event with nesting ${depth} × ${open} in its body`,
      contentType: JSON_TYPE,
      body,
      expect: depth <= 100 ? '2xx' : '4xx',
    };
  });

/** Strings of up to a few MB, in a field of a good event, or as (invalid) JSON on their own. */
const hugeStrings: fc.Arbitrary<BadRequest> = fc
  .record({
    size: fc.constantFrom(70_000, 300_000, 1_500_000),
    char: fc.constantFrom('x', 'é', '😀', '"'),
    where: fc.constantFrom('body.body', 'body.unknown', 'metadata.user_agent', 'metadata.event_name', 'bare'),
  })
  .map(({ size, char, where }) => {
    const huge = char.repeat(Math.ceil(size / Buffer.byteLength(char)));
    if (where === 'bare')
      return { kind: `bare ${size}-byte string`, contentType: JSON_TYPE, body: huge, expect: '4xx' };
    const [part, key] = where.split('.') as ['metadata' | 'body', string];
    const event = fixture('submission_updated');
    event[part][key] = huge;
    return {
      kind: `${size} bytes of ${char} in ${where}`,
      contentType: JSON_TYPE,
      body: JSON.stringify(event),
      // An event name longer than 255 characters is no event name.
      expect: where === 'metadata.event_name' ? '4xx' : '2xx',
    };
  });

/** Bytes that are not UTF-8, inside an otherwise good event. */
const invalidUtf8: fc.Arbitrary<BadRequest> = fc
  .record({
    event: anyEvent,
    bytes: fc.constantFrom([0xff], [0xc3, 0x28], [0xe2, 0x82], [0xf0, 0x28, 0x8c, 0xbc], [0xed, 0xa0, 0x80]),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ event, bytes, at }) => {
    const text = Buffer.from(JSON.stringify(event));
    const i = Math.floor(text.length * at);
    return {
      kind: `invalid UTF-8 ${bytes.map((b) => b.toString(16)).join(' ')} at ${i}`,
      contentType: JSON_TYPE,
      body: Buffer.concat([text.subarray(0, i), Buffer.from(bytes), text.subarray(i)]),
      expect: '4xx',
    };
  });

/** A good event with no content type, or one that is not ours. */
const wrongContentType: fc.Arbitrary<BadRequest> = fc
  .record({
    event: anyEvent,
    type: fc.constantFrom(
      null,
      '',
      'text/html',
      'multipart/form-data',
      'application/x-www-form-urlencoded',
      'image/png',
      ';;;',
      'application/json; charset=latin1',
    ),
  })
  .map(({ event, type }) => ({
    kind: `content type ${JSON.stringify(type)}`,
    contentType: type,
    body: JSON.stringify(event),
    // A charset parameter does not change the media type: that one is still JSON.
    expect: type === 'application/json; charset=latin1' ? '2xx' : '4xx',
  }));

/** NDJSON and arrays mixing good, broken and non-events: answered per item with 200. */
const mixedBatch: fc.Arbitrary<BadRequest> = fc
  .array(
    fc.oneof(
      anyEvent.map((e) => JSON.stringify(e)),
      fc.constantFrom(
        '{',
        '[]',
        '"x"',
        '{"metadata":{}}',
        'null',
        '{"metadata":{"event_name":"x","event_time":"yesterday"}}',
      ),
    ),
    { minLength: 1, maxLength: 12 },
  )
  .chain((lines) =>
    fc.constantFrom<BadRequest>(
      { kind: `NDJSON of ${lines.length}`, contentType: 'application/x-ndjson', body: lines.join('\n'), expect: '2xx' },
      {
        kind: `array of ${lines.length}`,
        contentType: JSON_TYPE,
        body: `[${lines.join(',')}]`,
        // A broken line breaks the whole array's JSON: then it is one unparseable body.
        expect: lines.every((l) => l !== '{') ? '2xx' : '4xx',
      },
    ),
  );

/** Every kind of bad /events body. */
export const badEventsRequest: fc.Arbitrary<BadRequest> = fc.oneof(
  { arbitrary: wrongTypeInAField, weight: 6 },
  { arbitrary: numbersWhereIdsGo, weight: 2 },
  { arbitrary: randomJson, weight: 3 },
  { arbitrary: truncatedJson, weight: 3 },
  { arbitrary: deepNesting, weight: 1 },
  { arbitrary: hugeStrings, weight: 1 },
  { arbitrary: invalidUtf8, weight: 2 },
  { arbitrary: wrongContentType, weight: 2 },
  { arbitrary: mixedBatch, weight: 2 },
);

// ---- LTI launches ----------------------------------------------------------------

export interface LaunchRequest {
  kind: string;
  contentType: string | null;
  /** Form parameters, or raw bytes. */
  form: Record<string, string> | Buffer | string;
  /** Sign the form with the test consumer (a valid signature over garbage values). */
  sign: boolean;
}

const launchValue = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', '0', '-1', '9223372036854775808', 'Learner,Instructor', '😀', '%00', 'a'.repeat(5000)),
);

/** Launch posts: garbage forms, bad encodings, wrong types, and signed launches with garbage values. */
export const badLaunchRequest: fc.Arbitrary<LaunchRequest> = fc.oneof(
  fc
    .dictionary(
      fc.constantFrom(
        'lti_message_type',
        'lti_version',
        'resource_link_id',
        'context_id',
        'user_id',
        'roles',
        'oauth_consumer_key',
        'oauth_nonce',
        'oauth_timestamp',
        'oauth_signature',
        'custom_canvas_course_id',
        'lis_person_contact_email_primary',
      ),
      launchValue,
    )
    .chain((form) =>
      fc.boolean().map((sign) => ({
        kind: `form ${JSON.stringify(form).slice(0, 80)}`,
        contentType: 'application/x-www-form-urlencoded',
        form,
        sign,
      })),
    ),
  fc.string({ maxLength: 300 }).map((text) => ({
    kind: `raw ${JSON.stringify(text.slice(0, 40))}`,
    contentType: 'application/x-www-form-urlencoded',
    form: text,
    sign: false,
  })),
  fc.constantFrom('%', '%zz=1', 'a=%E0%A4%A', '&&&=&', 'a'.repeat(300_000)).map((text) => ({
    kind: `bad encoding ${text.slice(0, 20)}`,
    contentType: 'application/x-www-form-urlencoded',
    form: text,
    sign: false,
  })),
  fc.constantFrom(null, 'application/json', 'text/plain').map((type) => ({
    kind: `content type ${String(type)}`,
    contentType: type,
    form: '{"lti_message_type":"basic-lti-launch-request"}',
    sign: false,
  })),
  fc.constant({
    kind: 'invalid UTF-8',
    contentType: 'application/x-www-form-urlencoded',
    form: Buffer.from([0x61, 0x3d, 0xff, 0xfe]),
    sign: false,
  }),
);

// ---- GraphQL ---------------------------------------------------------------------

export interface GraphQLRequest {
  kind: string;
  contentType: string | null;
  body: string;
}

const validQueries = [
  '{ courses(first: 3) { nodes { id localId } } }',
  'query($id: ID!) { course(id: $id) { id } }',
  '{ submissions(first: 2) { nodes { id grade } } }',
  '{ conversations(first: 2) { nodes { id } } }',
];

/** Syntax errors, unknown fields, wrong variables, huge and deep documents, wrong envelopes. */
export const badGraphQLRequest: fc.Arbitrary<GraphQLRequest> = fc.oneof(
  fc.tuple(fc.constantFrom(...validQueries), fc.double({ min: 0.05, max: 0.95, noNaN: true })).map(([q, at]) => ({
    kind: 'truncated query',
    contentType: JSON_TYPE,
    body: JSON.stringify({ query: q.slice(0, Math.floor(q.length * at)) }),
  })),
  fc.string({ maxLength: 200 }).map((q) => ({
    kind: `random query ${JSON.stringify(q.slice(0, 40))}`,
    contentType: JSON_TYPE,
    body: JSON.stringify({ query: q }),
  })),
  fc
    .constantFrom(
      'nope',
      'courses { nodes { bogus } }',
      '__typename { x }',
      'courses(first: "x") { nodes { id } }',
      'course(id: 1) { id }',
      'courses(first: -1) { nodes { id } }',
      'courses(first: 100000) { nodes { id } }',
      'courses(after: "garbage") { nodes { id } }',
    )
    .map((f) => ({ kind: `field ${f}`, contentType: JSON_TYPE, body: JSON.stringify({ query: `{ ${f} }` }) })),
  fc.tuple(fc.constant(validQueries[1]), wrongValue).map(([query, id]) => ({
    kind: `variable id = ${JSON.stringify(id)?.slice(0, 40)}`,
    contentType: JSON_TYPE,
    body: JSON.stringify({ query, variables: { id } }),
  })),
  fc
    .constantFrom(
      '{"query":',
      '[]',
      '[{"query":"{ __typename }"},{"query":"{ __typename }"}]',
      '{"query":42}',
      '{"query":"{ __typename }","variables":"x"}',
      '{"query":"{ __typename }","operationName":7}',
      'null',
      '"{ __typename }"',
    )
    .map((body) => ({ kind: `envelope ${body}`, contentType: JSON_TYPE, body })),
  fc.constantFrom(10, 100, 1_000, 20_000).map((depth) => ({
    kind: `nesting ${depth}`,
    contentType: JSON_TYPE,
    body: JSON.stringify({ query: `{ ${'courses { nodes { '.repeat(depth)} id ${'} } '.repeat(depth)} }` }),
  })),
  fc.constantFrom(1_000, 20_000).map((n) => ({
    kind: `${n} aliases`,
    contentType: JSON_TYPE,
    body: JSON.stringify({ query: `{ ${Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(' ')} }` }),
  })),
  fc.constantFrom(900_000, 2_000_000).map((size) => ({
    kind: `${size}-byte document`,
    contentType: JSON_TYPE,
    body: JSON.stringify({ query: `{ __typename } # ${'x'.repeat(size)}` }),
  })),
  fc.constantFrom(null, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data').map((type) => ({
    kind: `content type ${String(type)}`,
    contentType: type,
    body: JSON.stringify({ query: '{ __typename }' }),
  })),
);
