// The real app listening on a loopback port (not supertest's per-request server), for
// tests that need many concurrent clients, outages and timing; and a tiny fetch client.
import type { Express } from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino, { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config';
import { createApp, readSourcesOf, serveSubscriptions } from '../../src/server';

export interface LiveServer {
  url: string;
  app: Express;
  close(): Promise<void>;
}

export async function startLiveServer(
  dataSource: DataSource,
  env: Record<string, string> = {},
  logger: Logger = pino({ level: 'silent' }),
  /** Read replicas (replicaDataSource): the app connects them, and closes them on close(). */
  replicas: readonly DataSource[] = [],
): Promise<LiveServer> {
  const app = await createApp({
    config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env }),
    dataSource,
    replicas,
    logger,
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const closeSubscriptions = serveSubscriptions(app, server);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    app,
    close: async () => {
      await closeSubscriptions();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await readSourcesOf(app).stop();
    },
  };
}

export interface Answer {
  status: number;
  headers: Headers;
  /** Parsed JSON when the body is JSON, else the text. */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** One HTTP request with a time limit; the body is sent as given (string or bytes). */
export async function send(
  url: string,
  init: { method?: string; body?: string | Uint8Array; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Answer> {
  const res = await fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    body: init.body,
    headers: init.headers,
    signal: AbortSignal.timeout(init.timeoutMs ?? 20_000),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, headers: res.headers, body };
}

export function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
  timeoutMs?: number,
): Promise<Answer> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return send(url, { body: text, headers: { 'content-type': 'application/json', ...headers }, timeoutMs });
}

export function graphql(baseUrl: string, query: string, variables: Record<string, unknown> = {}): Promise<Answer> {
  return postJson(`${baseUrl}/graphql`, { query, variables });
}
