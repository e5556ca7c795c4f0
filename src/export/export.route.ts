// GET /export/<entity>.ndjson|.csv: a whole table (or the rows changed since a cursor),
// streamed in keyset pages. Memory stays bounded whatever the size: a page is read only
// once the previous one has been taken by the client (stream backpressure), and a client
// that goes away stops the loop before its next page. No transaction is held: each page
// is one short statement (see the README's Exports section for the consistency that gives).
//
// Access is checked before this router (read or admin tokens, src/server.ts); a declaration
// marked adminOnly and personal columns need an admin token, as in GraphQL.
import express, { Request, Response } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { isDatabaseUnavailable } from '../db/availability';
import { rowMapper } from '../db/row-mapper';
import { inTransaction, isSqlite } from '../db/transaction';
import { BadInputError } from '../errors';
import { committedLogPosition } from '../log/write-gate';
import { Consistency, ReadSource, ReadSources, replicaCaughtUp } from '../db/read-sources';
import { consistencyOf } from '../security/read-consistency';
import type { Logger } from '../logger';
import { accessOf } from '../security/access';
import { decodeExportCursor, encodeExportCursor } from './cursor';
import type { ExportDeclaration, ExportParams } from './declaration';
import { CONTENT_TYPES, ExportFormat, rowWriter } from './formats';
import { parseExportQuery } from './params';

/**
 * Rows per SELECT. Measured on 1M submissions (bench/README.md): with 2,000 the service's
 * peak RSS rose from 116 to ~230 MB as V8 let promoted page garbage pile up; with 500 it
 * stayed far lower, at the same rows/s.
 */
export const EXPORT_PAGE_SIZE = 500;

/**
 * How long a client may take nothing (no byte leaves the socket) before its export is ended:
 * otherwise EXPORT_CONCURRENCY clients that stop reading, but stay connected, would hold
 * every export slot for good.
 */
export const EXPORT_STALL_TIMEOUT_MS = 60_000;

/** Rows per chunk written to the response. */
const CHUNK_ROWS = 100;

type AnyDeclaration = ExportDeclaration<ObjectLiteral & { id: string }>;

export interface ExportRouterOptions {
  /** The primary (the cursor's position) and the read replicas an export may stream from. */
  readSources: ReadSources;
  declarations: readonly AnyDeclaration[];
  /** Exports running at once in this instance; one more is answered 429. */
  maxConcurrent: number;
  logger: Logger;
  /** Rows per SELECT (tests use small pages). */
  pageSize?: number;
  /** How long a client may take nothing before its export is ended; EXPORT_STALL_TIMEOUT_MS by default. */
  stallTimeoutMs?: number;
}

/** Where a page starts: after this row in the export's order. */
interface Position {
  changedSeq: string | null;
  id: string;
}

export function exportRouter(options: ExportRouterOptions): express.Router {
  const { readSources, logger, maxConcurrent } = options;
  const primary = readSources.primary.dataSource;
  const pageSize = options.pageSize ?? EXPORT_PAGE_SIZE;
  const stallTimeoutMs = options.stallTimeoutMs ?? EXPORT_STALL_TIMEOUT_MS;
  const byName = new Map(options.declarations.map((d) => [d.name, d]));
  let running = 0;

  const router = express.Router();
  router.get('/:file', async (req: Request, res: Response) => {
    const match = /^([a-z-]+)\.(ndjson|csv)$/.exec(String(req.params.file));
    const declaration = match ? byName.get(match[1]) : undefined;
    if (!match || !declaration) {
      const names = [...byName.keys()].map((n) => `${n}.ndjson, ${n}.csv`).join(', ');
      return res.status(404).json({ error: { message: `no such export: try ${names}` } });
    }
    const format = match[2] as ExportFormat;
    const admin = accessOf(res).roles.has('admin');
    if (declaration.adminOnly && !admin) {
      return res.status(403).json({ error: { message: `the ${declaration.name} export is for admin tokens only` } });
    }

    let since: string;
    let params: ExportParams;
    // The rows asked for, as a query on `source`; built once on the primary first, so a bad
    // filter is answered 400 before anything runs.
    const rowsOn = (source: DataSource) => {
      const base = source.createQueryBuilder(declaration.entity, 'x');
      declaration.filter?.(base, params);
      return base;
    };
    try {
      const query = parseExportQuery(new URL(req.originalUrl, 'http://localhost').searchParams, declaration.params);
      since = query.since === null ? '0' : decodeExportCursor(query.since);
      params = query.params as ExportParams;
      rowsOn(primary);
    } catch (error) {
      if (!(error instanceof BadInputError)) throw error;
      const parameter = error.path?.replace(/^filter\./, '') ?? null;
      const message = parameter ? `${parameter}: ${error.detail}` : error.detail;
      return res.status(error.status).json({ error: { message, parameter } });
    }

    if (running >= maxConcurrent) {
      res.setHeader('Retry-After', '10');
      return res.status(429).json({
        error: { message: `${maxConcurrent} exports are running on this instance: retry in a few seconds` },
      });
    }
    running++;
    try {
      // The snapshot's position, before any row is read: a row that changes while the
      // export runs has a higher sequence and is in the next export too.
      let position: string;
      let source: ReadSource;
      try {
        position = await committedLogPosition(primary);
        source = await streamSource(readSources, consistencyOf(res));
      } catch (error) {
        if (!isDatabaseUnavailable(error)) throw error;
        return res.status(503).json({ error: { message: 'the database is unavailable: retry later' } });
      }
      res.setHeader('X-Read-Source', source.name);
      const pages = new ExportPages(
        source.dataSource,
        declaration,
        rowsOn(source.dataSource),
        since,
        position,
        pageSize,
      );
      const writer = rowWriter(format, declaration.columns, (column) => Boolean(column.personal) && !admin);
      res.status(200);
      // The socket's idle timer: reset by every write the client takes, so only a stalled
      // client is cut (the answer then ends unfinished, and the pipeline below gives up).
      res.setTimeout(stallTimeoutMs, () => {
        logger.warn({ export: declaration.name }, 'export ended: the client took nothing for too long');
        res.destroy();
      });
      res.setHeader('Content-Type', CONTENT_TYPES[format]);
      res.setHeader('Content-Disposition', `attachment; filename="${declaration.name}.${format}"`);
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('X-Next-Cursor', encodeExportCursor(position));
      async function* lines() {
        if (writer.header) yield writer.header;
        for await (const rows of pages) {
          // Chunks of CHUNK_ROWS rows (~50 KB) rather than one string a page: small enough
          // for V8's young generation (a larger string goes to large-object space).
          for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
            yield rows
              .slice(start, start + CHUNK_ROWS)
              .map(writer.row)
              .join('');
          }
        }
      }
      try {
        await pipeline(Readable.from(lines(), { objectMode: false, highWaterMark: 64 * 1024 }), res);
      } catch (error) {
        // A client that went away is not an error; anything else ends the answer unfinished
        // (no final chunk), so the client can tell it is incomplete.
        if ((error as { code?: string }).code !== 'ERR_STREAM_PREMATURE_CLOSE') {
          // A replica that went away leaves rotation; the client's retry reads elsewhere.
          readSources.failed(source, error);
          logger.error({ err: error, export: declaration.name, source: source.name }, 'export failed');
        }
        res.destroy();
      }
    } finally {
      running--;
    }
  });
  return router;
}

/** Seconds an export waits for its replica to apply what the cursor's position covers. */
const REPLICA_CATCH_UP_SECONDS = 5;

/**
 * Where an export streams from: the request's replica (one per answer, as GraphQL), once it
 * has applied everything the primary had committed at the cursor's position — a replica
 * behind it would leave out rows the cursor says were exported, and the next `since=` would
 * skip them for good. A replica that does not catch up in time, or fails, gives way to the
 * primary.
 */
async function streamSource(readSources: ReadSources, consistency: Consistency): Promise<ReadSource> {
  const source = readSources.pick(consistency);
  if (!source.replica) return source;
  try {
    if (await replicaCaughtUp(readSources.primary.dataSource, source.dataSource, REPLICA_CATCH_UP_SECONDS)) {
      return source;
    }
  } catch (error) {
    if (!readSources.failed(source, error)) throw error;
  }
  return readSources.primary;
}

/**
 * The pages of one export. Without `since` (or since 0): every row in id order. With it:
 * the rows whose changedSeq is above it and at most the snapshot's position, in
 * (changedSeq, id) order (index `(changed_seq, id)`); rows changed later wait for the next
 * export, so none is written twice in one. The log itself (changedBy `id`) is read in id
 * order up to the position.
 */
class ExportPages implements AsyncIterable<(ObjectLiteral & { id: string })[]> {
  private readonly bySeq: boolean;

  constructor(
    private readonly dataSource: DataSource,
    private readonly declaration: AnyDeclaration,
    private readonly base: SelectQueryBuilder<ObjectLiteral & { id: string }>,
    private readonly since: string,
    private readonly position: string,
    private readonly pageSize: number,
  ) {
    this.bySeq = declaration.changedBy === 'changedSeq' && since !== '0';
  }

  async *[Symbol.asyncIterator]() {
    let after: Position | null = null;
    for (;;) {
      const rows = await this.read(after);
      if (rows.length > 0) yield rows;
      if (rows.length < this.pageSize) return;
      const last = rows[rows.length - 1] as ObjectLiteral & { id: string; changedSeq?: string | null };
      after = { changedSeq: last.changedSeq ?? null, id: last.id };
    }
  }

  private read(after: Position | null): Promise<(ObjectLiteral & { id: string })[]> {
    const page = this.base.clone();
    const x = page.alias;
    const limit = { exportSince: BigInt(this.since), exportPosition: BigInt(this.position) };
    if (this.bySeq) {
      page.andWhere(`${x}.changedSeq > :exportSince AND ${x}.changedSeq <= :exportPosition`, limit);
      if (after) {
        page.andWhere(
          `(${x}.changedSeq > :exportAfterSeq OR (${x}.changedSeq = :exportAfterSeq AND ${x}.id > :exportAfterId))`,
          {
            exportAfterSeq: BigInt(after.changedSeq!),
            exportAfterId: BigInt(after.id),
          },
        );
      }
      page.orderBy(`${x}.changedSeq`, 'ASC').addOrderBy(`${x}.id`, 'ASC');
    } else {
      if (this.declaration.changedBy === 'id')
        page.andWhere(`${x}.id > :exportSince AND ${x}.id <= :exportPosition`, limit);
      if (after) page.andWhere(`${x}.id > :exportAfterId`, { exportAfterId: BigInt(after.id) });
      page.orderBy(`${x}.id`, 'ASC');
    }
    page.limit(this.pageSize);
    const toRow = rowMapper(this.dataSource, this.declaration.entity, x);
    const run = async () => (await page.getRawMany()).map(toRow);
    // SQLite has one connection: read between transactions (in their queue), never
    // inside another's, so a page never holds a write that is later rolled back.
    return isSqlite(this.dataSource) ? inTransaction(this.dataSource, run) : run();
  }
}
