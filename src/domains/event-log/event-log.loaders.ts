// Per-request loaders for the event log: by id, for `node` (a page of `events` primes it).
import type { DataSource } from 'typeorm';
import { byIdLoader } from '../../graphql/context';
import { EventRecord } from '../../log/event.entity';

export function eventLogLoaders(dataSource: DataSource) {
  return { byId: byIdLoader(dataSource, EventRecord) };
}
