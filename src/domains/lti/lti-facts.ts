// The join between launches and Canvas ids. A launch names its course, link and user by
// LTI ids and, through custom_canvas_*_id, by (usually local) Canvas ids whose shard is
// that of the root account whose root_account_lti_guid equals the launch's
// tool_consumer_instance_guid — known only from live events. So what launches say is
// kept in lti_facts, and each course / resource link / user is *recomputed* from the
// facts rows applied to it whenever a launch, a newly seen root account, or a new
// resource link changes where a row belongs. Every merge is "newest version wins" or
// min/max, so the result does not depend on the order events arrived in. This domain
// writes only its own tables (lti_facts, root_accounts): what the facts say of a course,
// link or user goes to the operations those domains export.
import { createHash } from 'node:crypto';
import { In } from 'typeorm';
import type { ProjectionStore } from '../../projection/store';
import { recordCourseLaunches } from '../courses';
import { recordLaunchOnlyLink, recordLinkLaunches, resourceLinkNamedBy } from '../resource-links';
import { recordUserLaunches, UserLaunches } from '../users';
import {
  globalIdOnShard,
  idProblem,
  isLocalId,
  normalizeId,
  reservedIdFromHash,
  toGlobalId,
} from '../../canvas/canvas-id';
import { isNewer } from '../../projection/projector';
import { earlier, later } from '../../canvas/time';
import { LtiFact, VersionedValue } from './lti-fact.entity';
import { RootAccount } from './root-account.entity';

/** What the projection needs from the configuration. */
export interface LtiProjectionSettings {
  /** Shard for launches whose root account is not known yet (LTI_DEFAULT_SHARD); none: wait for it. */
  defaultShard?: bigint | null;
}

export type FactMap = Record<string, VersionedValue>;

export interface FactsFromLaunch {
  version: string;
  time: Date;
  contextId?: string;
  canvasRef?: string;
  /** undefined = the launch did not say (never erases). */
  facts: Record<string, string | undefined>;
}

/** custom_canvas_*_id as an id; Canvas sends the unexpanded variable ("$Canvas.course.id") outside a course. */
export function canvasRefOf(value: string | undefined): string | undefined {
  return value !== undefined && idProblem(value) === null ? normalizeId(value) : undefined;
}

export function parseFacts(text: string | null | undefined): FactMap {
  return text ? (JSON.parse(text) as FactMap) : {};
}

/** Sorted keys: equal facts are equal text, whatever order they were learnt in. */
function stringifyFacts(facts: FactMap): string {
  return JSON.stringify(
    Object.fromEntries(
      Object.keys(facts)
        .sort()
        .map((k) => [k, facts[k]]),
    ),
  );
}

/** Merges one launch into the facts row of (kind, ltiId, consumerGuid) and returns the row. */
export async function recordFacts(
  store: ProjectionStore,
  key: Pick<LtiFact, 'kind' | 'ltiId' | 'consumerGuid'>,
  launch: FactsFromLaunch,
): Promise<LtiFact> {
  const current = await store.read(LtiFact, key);
  const facts = parseFacts(current?.facts);
  const given = { ...launch.facts, ...(launch.contextId !== undefined ? { context_id: launch.contextId } : {}) };
  for (const [name, value] of Object.entries(given)) {
    if (value !== undefined && isNewer(launch.version, facts[name]?.version))
      facts[name] = { value, version: launch.version };
  }
  const changes: Partial<LtiFact> = {
    facts: stringifyFacts(facts),
    contextId: facts.context_id?.value ?? null,
    firstLaunchedAt: earlier(current?.firstLaunchedAt, launch.time)!,
    lastLaunchedAt: later(current?.lastLaunchedAt, launch.time)!,
  };
  if (launch.canvasRef !== undefined && isNewer(launch.version, current?.canvasRefVersion)) {
    Object.assign(changes, { canvasRef: launch.canvasRef, canvasRefVersion: launch.version });
  }
  await store.write(LtiFact, current, key, changes);
  return { appliedId: null, canvasRef: null, canvasRefVersion: null, ...current, ...key, ...changes } as LtiFact;
}

/** The global id of a Canvas id from a launch of `consumerGuid`, or null while its shard is unknown. */
async function canvasIdOf(
  store: ProjectionStore,
  ref: string | null,
  consumerGuid: string,
  settings: LtiProjectionSettings,
): Promise<string | null> {
  if (ref === null) return null;
  if (!isLocalId(ref)) return ref;
  // The lowest account id, should two root accounts ever report the same guid.
  const account = await store
    .query(RootAccount, 'a')
    .where('a.ltiGuid = :guid', { guid: consumerGuid })
    .orderBy('a.id', 'ASC')
    .getOne();
  if (account) return toGlobalId(ref, account.id);
  if (settings.defaultShard != null) return globalIdOnShard(ref, settings.defaultShard);
  return null;
}

/** The id of the link only launches know: one per (consumer, resource_link_id), in the reserved range. */
export function launchOnlyLinkId(consumerGuid: string, resourceLinkId: string): string {
  return reservedIdFromHash(
    createHash('sha256').update(`${consumerGuid}\n${resourceLinkId}`).digest('hex').slice(0, 24),
  );
}

async function contextRow(
  store: ProjectionStore,
  consumerGuid: string,
  contextId: string | null,
): Promise<LtiFact | null> {
  return contextId === null
    ? null
    : store.findOne(LtiFact, { where: { kind: 'context', ltiId: contextId, consumerGuid } });
}

function isGroupContext(facts: FactMap): boolean {
  return /group$/i.test(facts.context_type?.value ?? '');
}

/** Where `row`'s facts belong now: a course, a resource link or a user id; null while unknown. */
async function targetOf(store: ProjectionStore, row: LtiFact, settings: LtiProjectionSettings): Promise<string | null> {
  switch (row.kind) {
    case 'context':
      // A group's launch names the group (context_title), not its course.
      return isGroupContext(parseFacts(row.facts))
        ? null
        : canvasIdOf(store, row.canvasRef, row.consumerGuid, settings);
    case 'user':
      return canvasIdOf(store, row.canvasRef, row.consumerGuid, settings);
    case 'link': {
      const link = await resourceLinkNamedBy(store, row.ltiId, launchOnlyLinkId(row.consumerGuid, row.ltiId));
      if (link) return link.id;
      const course = (await contextRow(store, row.consumerGuid, row.contextId))?.appliedId ?? null;
      return course === null ? null : launchOnlyLinkId(row.consumerGuid, row.ltiId);
    }
  }
}

/**
 * Puts `row`'s facts where they belong now, and recomputes the place they left. A context
 * that moved (to its course) takes its resource links along.
 */
export async function applyFacts(store: ProjectionStore, row: LtiFact, settings: LtiProjectionSettings): Promise<void> {
  const key = { kind: row.kind, ltiId: row.ltiId, consumerGuid: row.consumerGuid };
  const target = await targetOf(store, row, settings);
  const previous = row.appliedId;
  if (previous !== target) {
    await store.write(LtiFact, row, key, { appliedId: target });
    row.appliedId = target;
  }
  if (previous !== null && previous !== target) await recompute(store, row, previous);
  if (target !== null) await recompute(store, row, target);
  if (row.kind === 'context' && previous !== target) {
    const links = await store.find(LtiFact, {
      where: { kind: 'link', consumerGuid: row.consumerGuid, contextId: row.ltiId },
    });
    for (const link of links) await applyFacts(store, link, settings);
  }
}

/** Re-applies every facts row of a consumer (its root account just became known). */
export async function applyConsumer(
  store: ProjectionStore,
  consumerGuid: string,
  settings: LtiProjectionSettings,
): Promise<void> {
  // Contexts first: links follow their course.
  for (const kind of ['context', 'user', 'link'] as const) {
    for (const row of await store.find(LtiFact, { where: { kind, consumerGuid }, order: { ltiId: 'ASC' } })) {
      await applyFacts(store, row, settings);
    }
  }
}

/** Re-applies the facts of launches that named a resource link by one of `ltiIds`. */
export async function applyLinks(
  store: ProjectionStore,
  ltiIds: string[],
  settings: LtiProjectionSettings,
): Promise<void> {
  const rows = await store.find(LtiFact, {
    where: { kind: 'link', ltiId: In(ltiIds) },
    order: { ltiId: 'ASC', consumerGuid: 'ASC' },
  });
  for (const row of rows) await applyFacts(store, row, settings);
}

/** The newest value of each fact over several rows (several contexts may name one course). */
function merge(rows: LtiFact[]): FactMap {
  const merged: FactMap = {};
  for (const row of rows) {
    for (const [name, fact] of Object.entries(parseFacts(row.facts))) {
      if (isNewer(fact.version, merged[name]?.version)) merged[name] = fact;
    }
  }
  return merged;
}

const valueOf = (facts: FactMap, name: string): string | null => facts[name]?.value ?? null;

/** Has the course, link or user `id` record the launch facts of the rows applied to it. */
async function recompute(store: ProjectionStore, row: LtiFact, id: string): Promise<void> {
  const rows = await store.find(LtiFact, { where: { kind: row.kind, appliedId: id } });
  const facts = merge(rows);
  const first = rows.reduce<Date | null>((at, r) => earlier(at, r.firstLaunchedAt), null);
  const last = rows.reduce<Date | null>((at, r) => later(at, r.lastLaunchedAt), null);
  switch (row.kind) {
    case 'context':
      return recordCourseLaunches(store, id, {
        title: valueOf(facts, 'title'),
        courseCode: valueOf(facts, 'label'),
        ltiContextId: valueOf(facts, 'context_id'),
        firstLaunchedAt: first,
        lastLaunchedAt: last,
      });
    case 'user':
      return recordUserLaunches(store, id, userLaunches(facts), last);
    case 'link':
      return recordLink(store, row, id, facts);
  }
}

const USER_FACTS = [
  ['ltiUserId', 'lti_user_id'],
  ['name', 'name'],
  ['givenName', 'given_name'],
  ['familyName', 'family_name'],
  ['email', 'email'],
  ['roles', 'roles'],
] as const;

function userLaunches(facts: FactMap): UserLaunches {
  return Object.fromEntries(USER_FACTS.map(([field, name]) => [field, valueOf(facts, name)])) as UserLaunches;
}

async function recordLink(store: ProjectionStore, row: LtiFact, id: string, facts: FactMap) {
  const launches = {
    title: valueOf(facts, 'title'),
    titleVersion: facts.title?.version ?? null,
    description: valueOf(facts, 'description'),
  };
  if (id !== launchOnlyLinkId(row.consumerGuid, row.ltiId)) return recordLinkLaunches(store, id, launches);
  // A launch-only link exists exactly while its facts row is applied to it.
  const courseId = row.appliedId === id ? (await contextRow(store, row.consumerGuid, row.contextId))?.appliedId : null;
  await recordLaunchOnlyLink(store, id, launches, courseId ? { uuid: row.ltiId, courseId } : null);
}
