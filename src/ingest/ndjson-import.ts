// Streams an NDJSON file (optionally gzip) through the same path as POST /events, a
// batch at a time, so memory stays bounded whatever the file's size.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { EventLog, IncomingItem, ItemStatus } from './event-log';
import { CanvasJwtVerifier } from './jwt';
import { toItems } from './request-items';

export interface ImportOptions {
  /** Lines per transaction (default 1000). */
  batchSize?: number;
  /** A batch is also closed at this many bytes of text (default 8 MiB), so long lines cannot make it large. */
  batchBytes?: number;
  verifier?: CanvasJwtVerifier | null;
  onStart?: (totalBytes: number) => void;
  /** Bytes of the file read so far (compressed bytes for .gz). */
  onProgress?: (bytesRead: number) => void;
}

export type ImportResult = Record<ItemStatus, number> & { lines: number };

export async function importNdjson(
  eventLog: EventLog,
  path: string,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const batchSize = options.batchSize ?? 1000;
  const batchBytes = options.batchBytes ?? 8 * 2 ** 20;
  const { size } = await stat(path);
  options.onStart?.(size);
  const file = createReadStream(path);
  const input = path.endsWith('.gz') ? file.pipe(createGunzip()) : file;
  const lines = createInterface({ input, crlfDelay: Infinity });
  const result: ImportResult = { lines: 0, stored: 0, duplicate: 0, invalid: 0, unprojected: 0, rejected: 0 };
  let batch: IncomingItem[] = [];
  let bytes = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const outcomes = await eventLog.append(batch, { route: 'import', contentType: 'application/x-ndjson' });
    for (const outcome of outcomes) result[outcome.status]++;
    batch = [];
    bytes = 0;
    options.onProgress?.(file.bytesRead);
  };
  for await (const line of lines) {
    result.lines++;
    if (line.trim() === '') continue;
    batch.push(...(await toItems(line, `line ${result.lines}`, options.verifier ?? null)));
    bytes += Buffer.byteLength(line);
    if (batch.length >= batchSize || bytes >= batchBytes) await flush();
  }
  await flush();
  return result;
}
