// Typed configuration from the environment (and `.env` when present), validated once at
// start. A bad value stops the start with one line naming the variable and the problem.
import 'dotenv/config';
import { z } from 'zod';

const tokenList = z
  .string()
  .optional()
  .transform((v) => (v ?? '').split(',').map((t) => t.trim()).filter(Boolean));

const byteSize = z
  .string()
  .regex(/^\d+(\.\d+)?\s*(b|kb|mb|gb)?$/i, 'must be a size such as 16mb or 500kb')
  .transform((v) => {
    const m = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(v)!;
    const unit = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[(m[2] ?? 'b').toLowerCase() as 'b'];
    return Math.floor(Number(m[1]) * unit);
  });

const databaseUrl = z
  .string()
  .refine((v) => /^sqlite:/.test(v) || /^mysql:\/\/[^/]+\/[^/?]+/.test(v), {
    message: 'must be sqlite:<path> or mysql://user:pass@host:port/database',
  });

const ltiConsumers = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const consumers = new Map<string, string>();
    for (const entry of (v ?? '').split(',').map((e) => e.trim()).filter(Boolean)) {
      const at = entry.indexOf(':');
      if (at <= 0 || at === entry.length - 1) {
        ctx.addIssue({ code: 'custom', message: `entry "${entry.slice(0, 40)}" is not key:secret` });
        return z.NEVER;
      }
      consumers.set(entry.slice(0, at), entry.slice(at + 1));
    }
    return consumers;
  });

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: databaseUrl.default('sqlite:./data/events.sqlite'),
  READ_TOKENS: tokenList,
  ADMIN_TOKENS: tokenList,
  INGEST_TOKENS: tokenList,
  CANVAS_JWKS: z.string().min(1).optional(),
  CANVAS_JWT_ISSUER: z.string().min(1).default('https://live-events.canvas.instructure.com'),
  LTI_CONSUMERS: ltiConsumers,
  INGEST_BODY_LIMIT: byteSize.default(16 * 1024 * 1024),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.output<typeof schema>;

/** Reads and validates the configuration; throws one readable line per bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration: ${lines.join('; ')}`);
  }
  return parsed.data;
}
