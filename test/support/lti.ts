// LTI 1.1 launches for tests: the shared fixture's parameters (varied per test), signed
// with our own signer the way Canvas signs them, posted over HTTP or appended straight
// to the event log in the envelope the launch route stores.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import { buildProjectorRegistry } from '../../src/modules';
import type { ProjectionSettings } from '../../src/projection/domain-module';
import { toEnvelopedEvent } from '../../src/ingest/envelope';
import { EventLog, IncomingItem, ItemOutcome } from '../../src/ingest/event-log';
import { parseLossless } from '../../src/canvas/lossless-json';
import { signLaunch } from '../../src/lti/oauth1';
import { freshLocalId } from './builders';
import type { TestDatabase } from './databases';

export const LTI_FIXTURE = join(__dirname, '../fixtures/lti/basic-launch.params.json');
export const CONSUMER_KEY = 'test-consumer';
export const CONSUMER_SECRET = 'shh-a secret&with=odd chars';
export const LTI_ENV = { LTI_CONSUMERS: `${CONSUMER_KEY}:${CONSUMER_SECRET},other-consumer:other-secret` };
/** The host tests post to (supertest's own port is unknown when signing). */
export const TOOL_HOST = 'tool.example.edu';
export const LAUNCH_URL = `http://${TOOL_HOST}/lti/launch`;

const SENDER_SET = [
  'oauth_timestamp',
  'oauth_nonce',
  'oauth_signature',
  'oauth_consumer_key',
  'oauth_signature_method',
  'oauth_version',
];

/** The fixture's launch parameters (no oauth_* the sender sets), with `patch` applied (undefined removes). */
export function launchParams(patch: Record<string, string | undefined> = {}): Record<string, string> {
  const fixture = JSON.parse(readFileSync(LTI_FIXTURE, 'utf8')) as Record<string, string>;
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...fixture, ...patch })) {
    if (value !== undefined && !SENDER_SET.includes(name)) params[name] = value;
  }
  return params;
}

/** Parameters for a launch in a course and consumer of its own, so tests never collide. */
export function freshLaunchParams(patch: Record<string, string | undefined> = {}): Record<string, string> {
  const n = freshLocalId();
  return launchParams({
    tool_consumer_instance_guid: `guid${n}.oxana.instructure.com`,
    context_id: `ctx${n}`,
    resource_link_id: `link-${n}`,
    user_id: `user${n}`,
    custom_canvas_course_id: n,
    custom_canvas_user_id: String(BigInt(n) + 1n),
    ...patch,
  });
}

export interface SignedLaunchOptions {
  url?: string;
  key?: string;
  secret?: string;
  timestamp?: number;
  nonce?: string;
}

/** `params` signed as a consumer would sign them (oauth_callback as Canvas sends it). */
export function signed(params: Record<string, string>, options: SignedLaunchOptions = {}): Record<string, string> {
  return signLaunch(options.url ?? LAUNCH_URL, params, {
    consumerKey: options.key ?? CONSUMER_KEY,
    consumerSecret: options.secret ?? CONSUMER_SECRET,
    timestamp: options.timestamp,
    nonce: options.nonce ?? `nonce-${freshLocalId()}-${Math.random().toString(36).slice(2)}`,
  });
}

/** POST /lti/launch with a form body (an object, or an already encoded string). */
export function postLaunch(
  app: Express,
  form: Record<string, string> | string,
  options: { path?: string; host?: string; headers?: Record<string, string> } = {},
) {
  const body = typeof form === 'string' ? form : new URLSearchParams(form).toString();
  let req = request(app)
    .post(options.path ?? '/lti/launch')
    .set('Host', options.host ?? TOOL_HOST)
    .set('Content-Type', 'application/x-www-form-urlencoded');
  for (const [name, value] of Object.entries(options.headers ?? {})) req = req.set(name, value);
  return req.send(body);
}

/** The event the launch route stores for a good launch received at `receivedAt`. */
export function launchEvent(params: Record<string, string>, receivedAt: string) {
  const body = {
    ...params,
    oauth_consumer_key: params.oauth_consumer_key ?? CONSUMER_KEY,
    oauth_nonce: `n${freshLocalId()}`,
  };
  return { metadata: { event_name: 'lti_launch', event_time: receivedAt, producer: 'lti' }, body };
}

/** Appends events (live or launch) one delivery each, with projection settings (e.g. a default shard). */
export async function appendWith(
  db: TestDatabase,
  events: unknown[],
  settings: ProjectionSettings = {},
): Promise<ItemOutcome[]> {
  const log = new EventLog(db.dataSource, buildProjectorRegistry(undefined, settings));
  const outcomes: ItemOutcome[] = [];
  for (const event of events) {
    const text = JSON.stringify(event);
    const item: IncomingItem = { kind: 'event', event: toEnvelopedEvent(parseLossless(text), text) };
    outcomes.push(...(await log.append([item], { route: 'test', contentType: 'application/json' })));
  }
  return outcomes;
}
