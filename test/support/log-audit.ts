// What "every acknowledged event is kept exactly once" means, checked against the
// database itself: each event once by content hash, each acknowledgement naming the row
// of its own event, no history row without its event, and projections that are exactly
// what a replay of the log gives (nothing half-written, nothing missing).
import type { DataSource } from 'typeorm';
import { buildProjectorRegistry, projectionEntities } from '../../src/modules';
import { SubmissionVersion } from '../../src/domains/submissions/submission-version.entity';
import { toEnvelopedEvent } from '../../src/ingest/envelope';
import { EventRecord } from '../../src/log/event.entity';
import { parseLossless } from '../../src/canvas/lossless-json';
import { Replayer } from '../../src/ingest/replay';
import type { CanvasEvent } from './builders';
import { snapshotProjections } from './projections';

export function contentHashOf(event: CanvasEvent): string {
  const text = JSON.stringify(event);
  return toEnvelopedEvent(parseLossless(text), text).contentHash;
}

/**
 * Problems with the log (empty when none): `acked` maps event index → acknowledged id;
 * `mustContainAll` also requires the events never acknowledged to be there (once).
 */
export async function auditLog(
  ds: DataSource,
  events: CanvasEvent[],
  acked: Map<number, string>,
  options: { mustContainAll?: boolean } = {},
): Promise<string[]> {
  const problems: string[] = [];
  const rows = await ds.getRepository(EventRecord).find({ select: { id: true, contentHash: true } });
  const rowsByHash = new Map<string, string[]>();
  for (const row of rows) rowsByHash.set(row.contentHash, [...(rowsByHash.get(row.contentHash) ?? []), row.id]);
  const hashById = new Map(rows.map((r) => [r.id, r.contentHash]));
  const expected = new Set(events.map(contentHashOf));
  for (const [hash, ids] of rowsByHash) {
    if (ids.length > 1)
      problems.push(`event ${hash.slice(0, 12)} is in the log ${ids.length} times (${ids.join(', ')})`);
    if (!expected.has(hash)) problems.push(`row ${ids[0]} is no event that was sent`);
  }
  for (const [index, id] of acked) {
    const hash = contentHashOf(events[index]);
    if (!rowsByHash.has(hash)) problems.push(`event #${index} was acknowledged as ${id} but is not in the log`);
    else if (hashById.get(id) !== hash)
      problems.push(`event #${index} was acknowledged as ${id}, which is another event`);
  }
  if (options.mustContainAll) {
    for (const hash of expected) if (!rowsByHash.has(hash)) problems.push(`event ${hash.slice(0, 12)} is missing`);
  }
  const orphans = await ds
    .getRepository(SubmissionVersion)
    .createQueryBuilder('v')
    .leftJoin(EventRecord, 'e', 'e.id = v.eventId')
    .where('e.id IS NULL')
    .getCount();
  if (orphans) problems.push(`${orphans} submission history rows name an event that is not in the log`);
  return problems;
}

/** Projections as they are, and as a replay of the log rebuilds them (the replay does change the database). */
export async function liveAndReplayed(ds: DataSource) {
  const live = await snapshotProjections(ds);
  await new Replayer(ds, buildProjectorRegistry(), projectionEntities).run({ chunkSize: 500 });
  return { live, replayed: await snapshotProjections(ds) };
}
