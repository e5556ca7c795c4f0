// Tokens and apps for the security tests: one token per role, the admin one configured
// only by its SHA-256 digest, and the real app built with them.
import { createHash } from 'node:crypto';
import type { Express } from 'express';
import pino, { Logger } from 'pino';
import request from 'supertest';
import { loadConfig } from '../../src/config';
import type { CanvasJwtVerifier } from '../../src/ingest/jwt';
import { createApp } from '../../src/server';
import { submissionEvent } from './builders';
import type { TestDatabase } from './databases';

export const TOKENS = {
  read: 'read-7c1f0e2b9a6d4c83b5e1',
  admin: 'admin-3d9b6a1e0f4c4e7aa2c8',
  ingest: 'ingest-5a2e8c7d1b3f4a60b9d4',
  metrics: 'metrics-9e4d2c1b0a8f4e6d8c3b',
} as const;

export type Caller = keyof typeof TOKENS | 'none' | 'unknown';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Every role configured; the admin token only as `sha256:<hex>`. */
export const TOKEN_ENV: Record<string, string> = {
  READ_TOKENS: `unused-read-token-000000000000,${TOKENS.read}`,
  ADMIN_TOKENS: `sha256:${sha256Hex(TOKENS.admin)}`,
  INGEST_TOKENS: TOKENS.ingest,
  METRICS_TOKEN: TOKENS.metrics,
};

export interface SecuredAppOptions {
  env?: Record<string, string>;
  verifier?: CanvasJwtVerifier | null;
  logger?: Logger;
  /** Rows per SELECT of an export. */
  pageSize?: number;
  /** How long an export waits for a client that takes nothing. */
  stallTimeoutMs?: number;
}

/** The real app on `db`; with TOKEN_ENV unless `env` says otherwise (`{}` merges, open mode needs `tokens: false`). */
export function securedApp(
  db: Pick<TestDatabase, 'dataSource'>,
  options: SecuredAppOptions & { tokens?: boolean } = {},
): Promise<Express> {
  return createApp({
    config: loadConfig({ NODE_ENV: 'test', ...(options.tokens === false ? {} : TOKEN_ENV), ...options.env }),
    dataSource: db.dataSource,
    logger: options.logger ?? pino({ level: 'silent' }),
    verifier: options.verifier ?? null,
    exportPageSize: options.pageSize,
    exportStallTimeoutMs: options.stallTimeoutMs,
  });
}

/** The Authorization header a caller sends (none for 'none'). */
export function authorization(caller: Caller): Record<string, string> {
  if (caller === 'none') return {};
  const token = caller === 'unknown' ? 'not-a-configured-token-123456' : TOKENS[caller];
  return { Authorization: `Bearer ${token}` };
}

/** One fresh, valid submission event as JSON text. */
export function freshEventText(): string {
  return JSON.stringify(submissionEvent());
}

export function graphqlPost(app: Express, query: string, headers: Record<string, string> = {}, variables?: unknown) {
  return request(app)
    .post('/graphql')
    .set({ 'Content-Type': 'application/json', ...headers })
    .send(JSON.stringify({ query, ...(variables ? { variables } : {}) }));
}
