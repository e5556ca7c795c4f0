// The Caliper 1.1 vocabulary Canvas speaks: an envelope `{sensor, sendTime, dataVersion,
// data: [...]}` of events whose entities are named by IRIs
// (`urn:instructure:canvas:submission:21070000012345567`) and carry Canvas's own facts in
// `extensions["com.instructure.canvas"]`. Ingest stores each event of `data` as its own
// log entry; projections read Caliper events through the schemas and the metadata below,
// so a Caliper event and its Canvas-format twin land on the same rows.
import { z } from 'zod';
import { canvasId, describe } from './fields';
import { isLosslessNumber } from './lossless-json';

/** Event names of Caliper events in the log start with this: `caliper:<type>:<action>:<object type>`. */
export const CALIPER_PREFIX = 'caliper:';

/** Canvas's key in Caliper `extensions` objects. */
export const CANVAS_EXTENSION = 'com.instructure.canvas';

/** Most events one Caliper envelope may hold (Canvas sends one; a JSON array or NDJSON is bounded by the body size). */
export const MAX_CALIPER_EVENTS = 1000;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !isLosslessNumber(value);

/**
 * True when a parsed item is a Caliper envelope rather than a Canvas-format event: no
 * `metadata`, and `data` or one of the envelope's own keys. (A Canvas event always has
 * `metadata`; without it, an item that is neither is refused by the Canvas envelope check.)
 */
export function isCaliperEnvelope(value: unknown): value is Record<string, unknown> {
  return (
    isObject(value) &&
    value.metadata === undefined &&
    ('data' in value || 'dataVersion' in value || 'sensor' in value || 'sendTime' in value)
  );
}

export const isCaliperEventName = (name: string): boolean => name.startsWith(CALIPER_PREFIX);

/**
 * The log's name of a Caliper event, from Caliper's own words: `caliper:` + type, action
 * and the object's type (`caliper:AssignableEvent:Submitted:Attempt`). Canvas's Caliper
 * events do not carry the Canvas event name; these three tell every projected kind apart.
 */
export function caliperEventName(event: Record<string, unknown>): string {
  const object = isObject(event.object) ? event.object : undefined;
  const parts = [event.type, event.action, object?.type].filter((p): p is string => typeof p === 'string' && p !== '');
  return CALIPER_PREFIX + parts.join(':');
}

/** `urn:instructure:canvas:<kind>:<id>` → kind and id (a Canvas global id), or null. */
export function parseCanvasIri(iri: unknown): { kind: string; id: string } | null {
  if (typeof iri !== 'string') return null;
  const match = /^urn:instructure:canvas:([A-Za-z_]+):(\d{1,20})$/.exec(iri);
  return match ? { kind: match[1], id: match[2] } : null;
}

/** `entity.extensions["com.instructure.canvas"]`, or an empty object. */
export function canvasExtension(entity: unknown): Record<string, unknown> {
  if (!isObject(entity) || !isObject(entity.extensions)) return {};
  const extension = entity.extensions[CANVAS_EXTENSION];
  return isObject(extension) ? extension : {};
}

/** The digits of an IRI as a Canvas id; beyond 64 bits they are an issue, not a thrown error. */
function idOf(digits: string, ctx: z.core.$RefinementCtx): string {
  const id = canvasId.safeParse(digits);
  if (id.success) return id.data;
  for (const issue of id.error.issues) ctx.addIssue({ code: 'custom', message: issue.message });
  return z.NEVER;
}

/**
 * A zod schema for an IRI `urn:instructure:canvas:<kind>:<digits>`, giving the Canvas id
 * (kept as a decimal string). A wrong kind or a malformed IRI is an issue at its path, so
 * the event is kept INVALID with the path named.
 */
export const canvasIri = (kind: string) =>
  z.unknown().transform((value, ctx): string => {
    const parsed = parseCanvasIri(value);
    if (parsed?.kind === kind) return idOf(parsed.id, ctx);
    ctx.addIssue({
      code: 'custom',
      message:
        value === undefined
          ? 'is required'
          : `must be a Canvas ${kind} IRI (urn:instructure:canvas:${kind}:<id>), got ${describe(value)}`,
    });
    return z.NEVER;
  });

/** A zod schema for an entity reference `{id: "urn:instructure:canvas:<kind>:<digits>"}` (see canvasIri). */
export const canvasEntity = (kind: string) => z.looseObject({ id: canvasIri(kind) });

/**
 * A course section's IRI, `urn:instructure:canvas:course:<course id>:section:<section id>`
 * (which parseCanvasIri does not take: it names the course too), giving the section id.
 */
export const canvasSectionIri = z.unknown().transform((value, ctx): string => {
  const match = typeof value === 'string' && /^urn:instructure:canvas:course:\d{1,20}:section:(\d{1,20})$/.exec(value);
  if (match) return idOf(match[1], ctx);
  ctx.addIssue({
    code: 'custom',
    message: `must be a Canvas section IRI (urn:instructure:canvas:course:<id>:section:<id>), got ${describe(value)}`,
  });
  return z.NEVER;
});

/**
 * An entity's Canvas extension, with the fields a projector reads (absent and null stay
 * distinct). No extension reads as an empty one: its optional fields are absent, and a
 * required one is missing.
 */
export const canvasExtensionOf = <T extends z.ZodRawShape>(shape: T) => {
  const extension = z.looseObject(shape);
  return z
    .record(z.string(), z.unknown())
    .optional()
    .transform((extensions, ctx): z.output<typeof extension> => {
      const parsed = extension.safeParse(extensions?.[CANVAS_EXTENSION] ?? {});
      if (parsed.success) return parsed.data;
      for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: [CANVAS_EXTENSION, ...issue.path] });
      return z.NEVER;
    });
};

/**
 * The Canvas-format metadata a Caliper event amounts to, for the projections that every
 * event feeds (its course, its user, the root account that widens local ids):
 * root_account_id, root_account_lti_guid, user_login, user_sis_id from the actor's
 * Canvas extension; user_id from the actor's IRI; context_type/context_id from `group`
 * (a CourseOffering, or the extension's context_type). A fact the event does not carry
 * is absent, never null: absent erases nothing.
 */
export function caliperMetadata(event: Record<string, unknown>): Record<string, unknown> {
  const metadata: Record<string, unknown> = { event_name: caliperEventName(event), event_time: event.eventTime };
  const actor = canvasExtension(event.actor);
  for (const key of ['root_account_id', 'root_account_lti_guid', 'user_login', 'user_sis_id']) {
    if (actor[key] !== undefined) metadata[key] = actor[key];
  }
  const user = parseCanvasIri(isObject(event.actor) ? event.actor.id : undefined);
  if (user?.kind === 'user') metadata.user_id = user.id;
  const group = isObject(event.group) ? event.group : undefined;
  const context = parseCanvasIri(group?.id);
  const contextType = canvasExtension(group).context_type;
  if (context && (context.kind === 'course' || typeof contextType === 'string')) {
    metadata.context_type = typeof contextType === 'string' ? contextType : 'Course';
    metadata.context_id = context.id;
  }
  return metadata;
}
