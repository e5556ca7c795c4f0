// Arguments of the event log list.
import { ArgsType, Field, InputType } from 'type-graphql';
import { SelectQueryBuilder } from 'typeorm';
import { listArgument } from '../../graphql/arguments';
import { PageArgs } from '../../graphql/pagination';
import type { EventRecord } from '../../log/event.entity';
import { EventStatusValue } from './event.type';

@InputType('EventFilter', { description: 'Narrows the event log; every condition given must hold.' })
export class EventFilter {
  @Field(() => [String], { nullable: true, description: 'Only events of these types (metadata.event_name).' })
  names?: string[] | null;

  @Field(() => Date, {
    nullable: true,
    description: 'Only events that happened at or after this instant (event time).',
  })
  since?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Only events that happened before this instant (event time).' })
  before?: Date | null;

  @Field(() => EventStatusValue, { nullable: true, description: 'Only events with this status.' })
  status?: EventStatusValue | null;
}

@ArgsType()
export class EventsArgs extends PageArgs {
  @Field(() => EventFilter, { nullable: true, description: 'Which events to list; all when omitted.' })
  filter?: EventFilter | null;
}

export function applyEventFilter(qb: SelectQueryBuilder<EventRecord>, filter: EventFilter | null | undefined): void {
  const a = qb.alias;
  const names = listArgument(filter?.names, 'filter.names');
  if (names) qb.andWhere(names.length ? `${a}.name IN (:...eNames)` : '1 = 0', { eNames: names });
  if (filter?.since) qb.andWhere(`${a}.time >= :eSince`, { eSince: filter.since });
  if (filter?.before) qb.andWhere(`${a}.time < :eBefore`, { eBefore: filter.before });
  if (filter?.status) qb.andWhere(`${a}.status = :eStatus`, { eStatus: filter.status });
}
