// The hardening soak: a real service process takes mixed hostile traffic (every kind the
// hardening work closed, each bounded) while a well-behaved Canvas sends distinct events
// and a reporting client queries. Afterwards: every acknowledged event is in the log
// exactly once, /healthz stayed responsive, memory came back, and the hostile part grew
// the database by little. `npm run soak` runs the full 60 s version; the reliability
// suite runs a short one on both databases.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { DataSource } from 'typeorm';
import { openDataSource } from '../../src/db/data-source';
import { entities, migrations } from '../../src/modules';
import { submissionEvent, withMetadata, ndjson, CanvasEvent, globalIdOf, freshLocalId } from './builders';
import { CanvasSender, sleep } from './canvas-sender';
import { send } from './live-server';
import { CONSUMER_KEY, LTI_ENV } from './lti';
import { startService, ServiceProcess } from './service-process';
import { TOKEN_ENV, TOKENS } from './security';

export interface SoakOptions {
  databaseUrl: string;
  /** How long the hostile traffic runs. */
  durationMs: number;
  /** Distinct events the well-behaved client sends (all must be acknowledged). */
  goodEvents: number;
  /** Largest hostile body, in bytes (an 8 MB JWS-shaped body in the full run). */
  largestBody: number;
  /** Requests each authenticated hostile kind may send (what a token holder may store is theirs to pay for). */
  authenticatedRequests: number;
}

export interface SoakReport {
  acknowledged: number;
  goodEvents: number;
  /** Good events found in the log, by marker: must equal acknowledged, each once. */
  inLog: number;
  duplicatesInLog: number;
  healthz: { count: number; p99Ms: number; maxMs: number; failures: number };
  rss: { startKb: number; peakKb: number; endKb: number };
  /** Bytes the hostile traffic added: rejected records plus the authenticated hostile events. */
  hostileBytes: number;
  /** Hostile requests sent, and their answers' statuses, per kind. */
  hostile: Record<string, Record<number, number>>;
  unexpected: string[];
}

const ISSUER = 'https://live-events.canvas.instructure.com';
const GOOD_MARKER = 'soak-good-';
const HOSTILE_MARKER = 'soak-hostile-';

export async function runHostileSoak(options: SoakOptions): Promise<SoakReport> {
  const dir = mkdtempSync(join(tmpdir(), 'hostile-soak-'));
  const keys = await signingKeys(join(dir, 'jwks.json'));
  const service = await startService(options.databaseUrl, {
    ...TOKEN_ENV,
    ...LTI_ENV,
    CANVAS_JWKS: join(dir, 'jwks.json'),
    LOG_LEVEL: 'info',
  });
  const direct = await openDataSource({ url: options.databaseUrl, entities, migrations, migrate: false });
  try {
    const before = await hostileBytes(direct);
    // RSS is compared with a warmed-up process: the first requests of each kind compile
    // code and grow the heap for good, which is not what the soak looks for.
    await warmUp(service.url, options, keys);
    const rssStart = await settledRss(service);
    let rssPeak = rssStart;
    const stop = { now: false };
    const health = pollHealth(service.url, stop);
    const rssWatch = (async () => {
      while (!stop.now) {
        rssPeak = Math.max(rssPeak, rssKb(service));
        await sleep(250);
      }
    })();

    const good = goodEvents(options.goodEvents);
    const sender = new CanvasSender({
      baseUrl: () => service.url,
      events: good,
      clients: 4,
      batchSizes: [1, 5, 1, 10],
      deadlineMs: options.durationMs + 120_000,
      headers: { authorization: `Bearer ${TOKENS.ingest}` },
    });
    const sending = sender.run();
    const reader = readerLoop(service.url, stop);
    const hostile: Record<string, Record<number, number>> = {};
    const deadline = Date.now() + options.durationMs;
    const attacks = hostileKinds(service.url, options, keys).map(async ([kind, attack, limit]) => {
      const statuses: Record<number, number> = (hostile[kind] = {});
      for (let n = 0; Date.now() < deadline && n < limit; n++) {
        const status = await attack(n).catch(() => 0);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    });
    await Promise.all(attacks);
    const report = await sending;
    stop.now = true;
    const [healthz] = await Promise.all([health, reader, rssWatch]);
    const rssEnd = await settledRss(service);

    const counts = await goodCounts(direct);
    return {
      acknowledged: report.acked.size,
      goodEvents: good.length,
      inLog: counts.distinct,
      duplicatesInLog: counts.rows - counts.distinct,
      healthz,
      rss: { startKb: rssStart, peakKb: rssPeak, endKb: rssEnd },
      hostileBytes: (await hostileBytes(direct)) - before,
      hostile,
      unexpected: report.unexpected,
    };
  } finally {
    await direct.destroy();
    await service.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

type Attack = (n: number) => Promise<number>;

/** A little of everything: well-behaved events and queries, and each attack a few times. */
async function warmUp(base: string, options: SoakOptions, keys: { known: SigningKey; unknown: SigningKey }) {
  const stop = { now: false };
  const reader = readerLoop(base, stop);
  await new CanvasSender({
    baseUrl: () => base,
    events: Array.from({ length: 100 }, () => submissionEvent()),
    clients: 4,
    headers: { authorization: `Bearer ${TOKENS.ingest}` },
  }).run();
  for (let round = 0; round < 3; round++) {
    await Promise.all(hostileKinds(base, options, keys).map(([, attack]) => attack(round).catch(() => 0)));
  }
  stop.now = true;
  await reader;
}

function hostileKinds(
  base: string,
  options: SoakOptions,
  keys: { known: SigningKey; unknown: SigningKey },
): [string, Attack, number][] {
  const read = { authorization: `Bearer ${TOKENS.read}` };
  const ingest = { authorization: `Bearer ${TOKENS.ingest}` };
  const post = async (path: string, body: string, headers: Record<string, string>) =>
    (await send(`${base}${path}`, { method: 'POST', body, headers, timeoutMs: 20_000 })).status;
  const json = { 'content-type': 'application/json' };
  const unbounded = Number.MAX_SAFE_INTEGER;
  const authenticated = options.authenticatedRequests;
  return [
    // 1. fragments spreading the previous one twice: 2^15 selections from ~750 bytes
    [
      'fragment bomb',
      () => post('/graphql', JSON.stringify({ query: fragmentBomb() }), { ...read, ...json }),
      unbounded,
    ],
    // 2. many aliases of long plain lists
    ['list aliases', () => post('/graphql', JSON.stringify({ query: listAliases() }), { ...read, ...json }), unbounded],
    // 3. strangers: a huge JWS-shaped body and an NDJSON of fake signatures, no token
    [
      'large fake JWS',
      () => post('/events', `a.${'x'.repeat(options.largestBody - 4)}.c`, { 'content-type': 'application/jwt' }),
      unbounded,
    ],
    [
      'NDJSON of fake JWS',
      () => post('/events', 'a.b.c\n'.repeat(50_000), { 'content-type': 'application/x-ndjson' }),
      unbounded,
    ],
    [
      'forged LTI form',
      () => post('/lti/launch', forgedLaunch(), { 'content-type': 'application/x-www-form-urlencoded' }),
      unbounded,
    ],
    [
      'JWT by an unknown key',
      async () =>
        post('/events', await signed(keys.unknown, hostileEvent(), 300), { 'content-type': 'application/jwt' }),
      unbounded,
    ],
    // 4–6, 8, 9: authenticated senders with poison values, far-future clocks, __proto__ keys, tokens without exp
    [
      'poison values',
      () => post('/events', poisonBatch(), { ...ingest, 'content-type': 'application/x-ndjson' }),
      authenticated,
    ],
    ['far-future clock', () => post('/events', JSON.stringify(farFuture()), { ...ingest, ...json }), authenticated],
    ['__proto__ keys', () => post('/events', protoEvent(), { ...ingest, ...json }), authenticated],
    [
      'JWT without exp',
      async () =>
        post('/events', await signed(keys.known, hostileEvent(), null), { 'content-type': 'application/jwt' }),
      authenticated,
    ],
  ];
}

function fragmentBomb(): string {
  const fragments = ['fragment F0 on SubmissionComment { id submission { id comments { nodes { id } } } }'];
  for (let i = 1; i < 15; i++) fragments.push(`fragment F${i} on SubmissionComment { ...F${i - 1} ...F${i - 1} }`);
  return `{ submissions(first: 50) { nodes { comments { nodes { ...F14 } } } } } ${fragments.join(' ')}`;
}

function listAliases(): string {
  const aliases = Array.from({ length: 25 }, (_, i) => `h${i}: history { workflowState }`).join(' ');
  return `{ submissions(first: 50) { nodes { ${aliases} } } }`;
}

function forgedLaunch(): string {
  const params = new URLSearchParams({
    oauth_consumer_key: `${CONSUMER_KEY}-not-configured`,
    oauth_signature: 'forged',
    custom_payload: 'y'.repeat(60_000),
  });
  return params.toString();
}

function hostileEvent(patch: Record<string, unknown> = {}): CanvasEvent {
  return submissionEvent({ metadata: { request_id: `${HOSTILE_MARKER}${freshLocalId()}`, ...patch } });
}

/** NDJSON: good events around values MySQL would refuse (a score of 1e400 is only expressible as text). */
function poisonBatch(): string {
  const overflow = submissionEvent({
    body: { score: 'OVERFLOW' },
    metadata: { request_id: `${HOSTILE_MARKER}${freshLocalId()}` },
  });
  return ndjson([
    hostileEvent(),
    hostileEvent({ user_login: 'l'.repeat(300) }),
    overflow,
    hostileEvent({ user_sis_id: 's'.repeat(300) }),
  ]).replace('"OVERFLOW"', '1e400');
}

function farFuture(): CanvasEvent {
  return submissionEvent({
    updatedAt: '9999-12-31T23:59:59Z',
    eventTime: '9999-12-31T23:59:59Z',
    metadata: { request_id: `${HOSTILE_MARKER}${freshLocalId()}` },
  });
}

/** Two copies of an event that differ only in a `__proto__` key (the text, not an object: JSON.stringify would drop it). */
function protoEvent(): string {
  const text = JSON.stringify(hostileEvent());
  return text.replace('"body":{', `"body":{"__proto__":{"n":"${freshLocalId()}"},`);
}

function goodEvents(n: number): CanvasEvent[] {
  return Array.from({ length: n }, (_, i) =>
    withMetadata(submissionEvent({ submissionId: globalIdOf(freshLocalId()) }), { request_id: `${GOOD_MARKER}${i}` }),
  );
}

async function readerLoop(base: string, stop: { now: boolean }): Promise<void> {
  const query = '{ submissions(first: 20) { totalCount nodes { id workflowState score course { id } } } }';
  while (!stop.now) {
    await send(`${base}/graphql`, {
      method: 'POST',
      body: JSON.stringify({ query }),
      headers: { authorization: `Bearer ${TOKENS.read}`, 'content-type': 'application/json' },
      timeoutMs: 20_000,
    }).catch(() => undefined);
    await sleep(100);
  }
}

async function pollHealth(base: string, stop: { now: boolean }): Promise<SoakReport['healthz']> {
  const times: number[] = [];
  let failures = 0;
  while (!stop.now) {
    const started = performance.now();
    const ok = await send(`${base}/healthz`, { timeoutMs: 5_000 }).then(
      (a) => a.status === 200,
      () => false,
    );
    times.push(performance.now() - started);
    if (!ok) failures++;
    await sleep(50);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
  return { count: times.length, p99Ms: Math.round(at(0.99)), maxMs: Math.round(at(1)), failures };
}

function rssKb(service: ServiceProcess): number {
  const status = readFileSync(`/proc/${service.child.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

/** RSS once the process has been idle a moment (the collector runs on idle ticks). */
async function settledRss(service: ServiceProcess): Promise<number> {
  await sleep(3_000);
  return rssKb(service);
}

async function goodCounts(ds: DataSource): Promise<{ rows: number; distinct: number }> {
  const rows = await ds.query(`SELECT payload FROM events WHERE payload LIKE '%${GOOD_MARKER}%'`);
  const markers = rows.map((r: { payload: string }) => new RegExp(`${GOOD_MARKER}(\\d+)`).exec(r.payload)?.[1]);
  return { rows: rows.length, distinct: new Set(markers).size };
}

/** What the hostile part can have written: every refusal kept, and the authenticated hostile events. */
async function hostileBytes(ds: DataSource): Promise<number> {
  const rejected = await ds.query(`SELECT COALESCE(SUM(stored_bytes), 0) AS n FROM rejected_events`);
  const events = await ds.query(
    `SELECT COALESCE(SUM(LENGTH(payload)), 0) AS n FROM events WHERE payload LIKE '%${HOSTILE_MARKER}%' OR payload LIKE '%9999-12-31%'`,
  );
  return Number(rejected[0].n) + Number(events[0].n);
}

interface SigningKey {
  kid: string;
  privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
}

async function signingKeys(jwksPath: string): Promise<{ known: SigningKey; unknown: SigningKey }> {
  const known = { ...(await generateKeyPair('RS256')), kid: 'soak-known' };
  const unknown = { ...(await generateKeyPair('RS256')), kid: 'soak-unknown' };
  const jwk = { ...(await exportJWK(known.publicKey)), kid: known.kid, alg: 'RS256', use: 'sig' };
  writeFileSync(jwksPath, JSON.stringify({ keys: [jwk] }));
  return { known, unknown };
}

/** A compact JWS of `event`; `expiresIn` null leaves `exp` out. */
function signed(key: SigningKey, event: CanvasEvent, expiresIn: number | null): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT(event as never)
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
    .setIssuer(ISSUER)
    .setIssuedAt(now);
  if (expiresIn !== null) jwt.setExpirationTime(now + expiresIn);
  return jwt.sign(key.privateKey);
}

/** `npm run soak`: the full version (60 s, 2,000 events, an 8 MB body) on DATABASE_URL or a fresh SQLite file. */
if (require.main === module) {
  const url = process.env.DATABASE_URL ?? `sqlite:${join(mkdtempSync(join(tmpdir(), 'soak-db-')), 'events.sqlite')}`;
  runHostileSoak({
    databaseUrl: url,
    durationMs: Number(process.env.SOAK_SECONDS ?? 60) * 1000,
    goodEvents: Number(process.env.SOAK_EVENTS ?? 2000),
    largestBody: 8 * 1024 * 1024 - 1024,
    authenticatedRequests: 20,
  }).then(
    (report) => {
      console.log(JSON.stringify(report, null, 2));
      const problems = soakProblems(report);
      for (const problem of problems) console.error(`FAIL ${problem}`);
      process.exit(problems.length ? 1 : 0);
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}

/** What the acceptance criteria say, as sentences naming what broke them. */
export function soakProblems(
  report: SoakReport,
  limits: { healthzP99Ms: number; rssGrowth?: number } = { healthzP99Ms: 250 },
): string[] {
  const rssGrowth = limits.rssGrowth ?? 0.2;
  const problems: string[] = [];
  if (report.acknowledged !== report.goodEvents)
    problems.push(`${report.acknowledged} of ${report.goodEvents} good events acknowledged`);
  if (report.inLog !== report.acknowledged)
    problems.push(`${report.inLog} good events in the log, ${report.acknowledged} acknowledged`);
  if (report.duplicatesInLog !== 0) problems.push(`${report.duplicatesInLog} good events stored twice`);
  if (report.healthz.p99Ms >= limits.healthzP99Ms)
    problems.push(`/healthz p99 ${report.healthz.p99Ms} ms (limit ${limits.healthzP99Ms})`);
  if (report.healthz.failures > 0) problems.push(`/healthz failed ${report.healthz.failures} times`);
  if (report.rss.endKb > report.rss.startKb * (1 + rssGrowth))
    problems.push(
      `RSS ${report.rss.startKb} kB → ${report.rss.endKb} kB (more than ${Math.round(rssGrowth * 100)}% above the start)`,
    );
  if (report.hostileBytes >= 1024 * 1024)
    problems.push(`the hostile part stored ${report.hostileBytes} bytes (limit 1 MB)`);
  if (report.unexpected.length) problems.push(`unexpected answers: ${report.unexpected.slice(0, 3).join('; ')}`);
  return problems;
}
