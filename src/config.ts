// Typed configuration from the environment (and `.env` when present), validated once at
// start. A bad value stops the start with one line naming the variable and the problem.
import 'dotenv/config';
import { z } from 'zod';
import { entryDigest, SHA256_ENTRY } from './security/tokens';

/** A guessable token is no secret: shorter plain tokens are refused at start. */
export const MIN_TOKEN_LENGTH = 16;

const tokenList = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
  )
  .superRefine((tokens, ctx) => {
    // The entry itself is never echoed: it is a secret.
    tokens.forEach((token, i) => {
      if (/^sha256:/i.test(token) && !/^sha256:[0-9a-f]{64}$/i.test(token)) {
        ctx.addIssue({
          code: 'custom',
          message: `entry ${i + 1} starts with sha256: but is not followed by 64 hex digits`,
        });
      } else if (!SHA256_ENTRY.test(token) && token.length < MIN_TOKEN_LENGTH) {
        ctx.addIssue({
          code: 'custom',
          message: `entry ${i + 1} is shorter than ${MIN_TOKEN_LENGTH} characters (use a long random token)`,
        });
      }
    });
  });

const corsOrigins = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const origins = (v ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean);
    for (const origin of origins) {
      if (origin === '*') continue;
      let parsed: URL | null = null;
      try {
        parsed = new URL(origin);
      } catch {
        // reported below
      }
      if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin) {
        ctx.addIssue({
          code: 'custom',
          message: `"${origin.slice(0, 80)}" is not an origin such as https://app.example.edu (scheme, host, optional port; no path or trailing slash) or *`,
        });
        return z.NEVER;
      }
    }
    return origins;
  });

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], { message: 'must be true or false' })
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

const positiveInt = z.coerce.number().int().positive();

const byteSize = z
  .string()
  .regex(/^\d+(\.\d+)?\s*(b|kb|mb|gb)?$/i, 'must be a size such as 16mb or 500kb')
  .transform((v) => {
    const m = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(v)!;
    const unit = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[(m[2] ?? 'b').toLowerCase() as 'b'];
    return Math.floor(Number(m[1]) * unit);
  });

const databaseUrl = z.string().refine((v) => /^sqlite:/.test(v) || /^mysql:\/\/[^/]+\/[^/?]+/.test(v), {
  message: 'must be sqlite:<path> or mysql://user:pass@host:port/database',
});

const replicaUrls = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const urls = (v ?? '')
      .split(',')
      .map((u) => u.trim())
      .filter(Boolean);
    urls.forEach((url, i) => {
      if (!/^mysql:\/\/[^/]+\/[^/?]+/.test(url)) {
        ctx.addIssue({ code: 'custom', message: `entry ${i + 1} is not mysql://user:pass@host:port/database` });
      }
    });
    return urls;
  });

const ltiConsumers = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const consumers = new Map<string, string>();
    for (const entry of (v ?? '')
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean)) {
      const at = entry.indexOf(':');
      if (at <= 0 || at === entry.length - 1) {
        ctx.addIssue({ code: 'custom', message: `entry "${entry.slice(0, 40)}" is not key:secret` });
        return z.NEVER;
      }
      consumers.set(entry.slice(0, at), entry.slice(at + 1));
    }
    return consumers;
  });

/** Comma-separated SQS queue URLs (https://sqs.<region>.amazonaws.com/<account>/<name>, or an emulator's). */
const queueUrls = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const urls = [
      ...new Set(
        (v ?? '')
          .split(',')
          .map((u) => u.trim())
          .filter(Boolean),
      ),
    ];
    for (const url of urls) {
      let parsed: URL | null = null;
      try {
        parsed = new URL(url);
      } catch {
        // reported below
      }
      if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.pathname.split('/').filter(Boolean).length !== 2) {
        ctx.addIssue({
          code: 'custom',
          message: `"${url.slice(0, 120)}" is not a queue URL such as https://sqs.us-east-1.amazonaws.com/123456789012/canvas-events`,
        });
        return z.NEVER;
      }
    }
    return urls;
  });

/** A Canvas shard id: the part of a global id above 10^13 (21070000000000565 → 2107). */
const shardNumber = z
  .string()
  .regex(/^\d{1,6}$/, 'must be a Canvas shard number such as 2107 (a global id divided by 10^13)')
  .transform((v) => BigInt(v))
  .refine((v) => v < 900_000n, 'must be below 900000 (shards from 900000 up hold ids this service makes up)');

const schema = z.object({
  // Error details (stack traces in answers) are opt-in: only an explicit development shows them.
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: databaseUrl.default('sqlite:./data/events.sqlite'),
  // Read replicas (MySQL/MariaDB): GraphQL answers read from one of them; see README "Scaling out".
  DATABASE_REPLICA_URLS: replicaUrls,
  REPLICA_MAX_LAG_SECONDS: z.coerce.number().int().min(0).max(86_400).default(30),
  REPLICA_CHECK_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  READ_TOKENS: tokenList,
  ADMIN_TOKENS: tokenList,
  INGEST_TOKENS: tokenList,
  CANVAS_JWKS: z.string().min(1).optional(),
  CANVAS_JWT_ISSUER: z.string().min(1).default('https://live-events.canvas.instructure.com'),
  LTI_CONSUMERS: ltiConsumers,
  LTI_TIMESTAMP_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  LTI_DEFAULT_SHARD: shardNumber.optional(),
  TRUST_PROXY: booleanFlag.default(false),
  // An event clock further ahead of its arrival than this is kept but never wins latest state.
  CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(31_536_000).default(86_400),
  // 8 MiB: a 1,000-event batch fits many times over, and a refused body stored whole still
  // fits MariaDB's default 16 MiB max_allowed_packet (and a MEDIUMTEXT column).
  INGEST_BODY_LIMIT: byteSize.default(8 * 1024 * 1024),
  METRICS_TOKEN: z
    .string()
    .trim()
    .min(1)
    .refine(
      (v) => !/^sha256:/i.test(v) || /^sha256:[0-9a-f]{64}$/i.test(v),
      'starts with sha256: but is not followed by 64 hex digits',
    )
    .refine(
      (v) => /^sha256:/i.test(v) || v.length >= MIN_TOKEN_LENGTH,
      `is shorter than ${MIN_TOKEN_LENGTH} characters (use a long random token)`,
    )
    .optional(),
  CORS_ORIGINS: corsOrigins,
  GRAPHQL_MAX_DEPTH: positiveInt.default(12),
  GRAPHQL_MAX_COST: positiveInt.default(50_000),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(0).default(30),
  // Wall-clock budget of one GraphQL execution; past it the answer is a 503 QUERY_TIMEOUT.
  GRAPHQL_TIMEOUT_MS: positiveInt.default(5_000),
  GRAPHQL_INTROSPECTION: booleanFlag.default(true),
  REQUEST_TIMEOUT_MS: positiveInt.default(30_000),
  KEEP_ALIVE_TIMEOUT_MS: positiveInt.default(5_000),
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(10_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Limits on what strangers (no valid token, no verified signature) can make us do.
  // Canvas's own service JWTs live one hour; a signed payload valid longer is refused.
  CANVAS_JWT_MAX_AGE_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 86_400)
    .default(3600),
  CLIENT_REFUSALS_PER_MINUTE: positiveInt.default(30),
  REFUSAL_RECORDS_PER_MINUTE: positiveInt.default(300),
  REJECTED_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(30),
  REJECTED_MAX_MB: z.coerce.number().positive().default(100),
  // Delivery through Amazon SQS (src/delivery/sqs-consumer.ts); region and credentials
  // come from the standard AWS chain (AWS_REGION, AWS_ACCESS_KEY_ID, roles, profiles).
  SQS_QUEUE_URLS: queueUrls,
  SQS_ENDPOINT: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional(),
  // A crashed consumer's messages come back after this; in-flight ones are extended.
  SQS_VISIBILITY_TIMEOUT: z.coerce.number().int().min(2).max(43_200).default(30),
  SQS_WAIT_TIME_SECONDS: z.coerce.number().int().min(0).max(20).default(20),
  SQS_RECEIVERS_PER_QUEUE: z.coerce.number().int().min(1).max(16).default(2),
  // Exports streamed at once by one instance (each holds a connection for a page at a time); more are answered 429.
  EXPORT_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(2),
  // Live updates (subscriptions over graphql-ws): across instances through Redis when set.
  PUBSUB_URL: z
    .string()
    .regex(/^rediss?:\/\/\S+$/, 'must be a Redis URL such as redis://127.0.0.1:6379')
    .optional(),
  PUBSUB_PREFIX: z
    .string()
    .regex(/^[\w.:-]{0,64}$/, 'must be at most 64 letters, digits, and . : - _')
    .default('canvas-events:'),
  SUBSCRIPTIONS_PER_CONNECTION: positiveInt.default(20),
  SUBSCRIPTIONS_PER_INSTANCE: positiveInt.default(10_000),
  SUBSCRIPTION_QUEUE_LIMIT: positiveInt.default(200),
  SUBSCRIPTION_INIT_TIMEOUT_MS: positiveInt.default(5_000),
});

/** The variables that each grant one role, for the "one token, one role" check. */
const TOKEN_ROLES = ['READ_TOKENS', 'ADMIN_TOKENS', 'INGEST_TOKENS', 'METRICS_TOKEN'] as const;

/**
 * One token in two roles is a mistake that fails silently (an ingest token that can also
 * read, a read token that is an admin one): refused, naming both variables, never the token.
 */
const configSchema = schema.superRefine((config, ctx) => {
  if (config.DATABASE_REPLICA_URLS.length > 0 && !config.DATABASE_URL.startsWith('mysql://')) {
    ctx.addIssue({
      code: 'custom',
      path: ['DATABASE_REPLICA_URLS'],
      message: 'read replicas need a MySQL/MariaDB primary: DATABASE_URL is not mysql://',
    });
  }
  const seen = new Map<string, string>();
  for (const variable of TOKEN_ROLES) {
    const value = config[variable];
    const entries = value === undefined ? [] : typeof value === 'string' ? [value] : value;
    entries.forEach((entry, i) => {
      const digest = entryDigest(entry).toString('hex');
      const first = seen.get(digest);
      if (first && first !== variable) {
        const which = typeof value === 'string' ? 'its token' : `entry ${i + 1}`;
        ctx.addIssue({
          code: 'custom',
          path: [variable],
          message: `${which} is also in ${first}: one token, one role`,
        });
      } else if (!first) {
        seen.set(digest, variable);
      }
    });
  }
});

export type Config = z.output<typeof configSchema>;

/** Reads and validates the configuration; throws one readable line per bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration: ${lines.join('; ')}`);
  }
  return parsed.data;
}
