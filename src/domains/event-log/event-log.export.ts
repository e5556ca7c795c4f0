// GET /export/events.ndjson|.csv: the raw event log, admin tokens only (as Query.events).
// The GraphQL filter's `since` (event time) is `timeSince` here: `since` is the cursor.
import { BadInputError } from '../../errors';
import { declareExport } from '../../export/declaration';
import { EventRecord } from '../../log/event.entity';
import { applyEventFilter } from './event-log.args';
import { EventStatusValue } from './event.type';

const STATUSES = Object.values(EventStatusValue) as string[];

export const eventsExport = declareExport<EventRecord>({
  name: 'events',
  entity: EventRecord,
  adminOnly: true,
  changedBy: 'id',
  params: { names: 'strings', status: 'string', timeSince: 'time', before: 'time' },
  filter: (qb, p) => {
    if (p.status !== undefined && !STATUSES.includes(p.status as string)) {
      throw new BadInputError(
        `must be one of ${STATUSES.join(', ')}, got "${String(p.status).slice(0, 40)}"`,
        'status',
      );
    }
    applyEventFilter(qb, {
      names: p.names as string[] | undefined,
      status: p.status as EventStatusValue | undefined,
      since: p.timeSince as Date | undefined,
      before: p.before as Date | undefined,
    });
  },
  columns: [
    { name: 'id', kind: 'id' },
    { name: 'name', kind: 'text' },
    { name: 'time', kind: 'time' },
    { name: 'receivedAt', kind: 'time' },
    { name: 'status', kind: 'text' },
    { name: 'error', kind: 'text' },
    { name: 'payload', kind: 'json' },
  ],
});
