// lti_launch → what the launch says about its course, resource link and user (see
// lti-facts.ts for how those are joined to Canvas ids). The live-event side completes
// the join: a root account seen with its LTI guid (on any event: a context projector),
// and a resource link created or updated (a projector of those events), re-apply the
// launch facts waiting for them.
import { z } from 'zod';
import { canvasId, jsonStringBytes, optionalNullable } from '../../canvas/fields';
import { ContextProjector, globalId, Projector, stateVersion } from '../../projection/projector';
import { RootAccount } from './root-account.entity';
import { applyConsumer, applyFacts, applyLinks, canvasRefOf, LtiProjectionSettings, recordFacts } from './lti-facts';

export const LTI_DOMAIN = 'lti';
export const LTI_LAUNCH_EVENT = 'lti_launch';

/** A launch parameter: a single string (a repeated one arrives as an array and is refused); empty = not sent. */
const param = (max: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be sent once, as text') })
    .max(max, `is longer than ${max} characters`)
    .optional()
    .transform((v) => (v === '' ? undefined : v));

/**
 * A long free-text parameter (titles, names, roles). Each is kept in a facts row whose
 * JSON is one TEXT column (65,535 bytes) holding up to four of them: a 65,000-character
 * title made MySQL refuse the row and the launch answer 503.
 */
export const LAUNCH_TEXT_MAX_BYTES = 12_288;
const longParam = () =>
  param(65535).refine((v) => v === undefined || jsonStringBytes(v) <= LAUNCH_TEXT_MAX_BYTES, {
    message: `is longer than ${LAUNCH_TEXT_MAX_BYTES} bytes (as JSON text)`,
  });

const required = (max: number) => param(max).refine((v) => v !== undefined, { message: 'is required', abort: true });

/** The launch parameters the projection reads; every other one is kept in the log as sent. */
export const launchBody = z.looseObject({
  lti_message_type: required(64).refine((v) => v === 'basic-lti-launch-request', {
    message: 'must be basic-lti-launch-request',
  }),
  lti_version: required(16).refine((v) => v === 'LTI-1p0', { message: 'must be LTI-1p0 (LTI 1.0 and 1.1)' }),
  oauth_consumer_key: required(191),
  resource_link_id: required(255),
  resource_link_title: longParam(),
  resource_link_description: longParam(),
  tool_consumer_instance_guid: param(255),
  context_id: param(255),
  context_type: param(255),
  context_title: longParam(),
  context_label: param(255),
  user_id: param(255),
  roles: longParam(),
  lis_person_name_full: longParam(),
  lis_person_name_given: longParam(),
  lis_person_name_family: longParam(),
  lis_person_contact_email_primary: param(320),
  custom_canvas_course_id: param(64),
  custom_canvas_user_id: param(64),
});

export type LaunchBody = z.output<typeof launchBody>;

/** Whose ids these are: LTI ids are unique per tool consumer instance. */
export function consumerScope(body: Pick<LaunchBody, 'tool_consumer_instance_guid' | 'oauth_consumer_key'>): string {
  return body.tool_consumer_instance_guid ?? `key:${body.oauth_consumer_key}`;
}

export function ltiLaunchProjector(settings: LtiProjectionSettings): Projector<LaunchBody> {
  return {
    eventNames: [LTI_LAUNCH_EVENT],
    body: launchBody,
    async project(event, store) {
      const b = event.body;
      const consumerGuid = consumerScope(b);
      const at = { version: stateVersion(event), time: event.time };
      // Context before link: a launch-only link is shown in its context's course.
      if (b.context_id) {
        const context = await recordFacts(
          store,
          { kind: 'context', ltiId: b.context_id, consumerGuid },
          {
            ...at,
            contextId: b.context_id,
            canvasRef: canvasRefOf(b.custom_canvas_course_id),
            facts: { title: b.context_title, label: b.context_label, context_type: b.context_type },
          },
        );
        await applyFacts(store, context, settings);
      }
      const link = await recordFacts(
        store,
        { kind: 'link', ltiId: b.resource_link_id!, consumerGuid },
        {
          ...at,
          contextId: b.context_id,
          facts: { title: b.resource_link_title, description: b.resource_link_description },
        },
      );
      await applyFacts(store, link, settings);
      if (b.user_id) {
        const user = await recordFacts(
          store,
          { kind: 'user', ltiId: b.user_id, consumerGuid },
          {
            ...at,
            canvasRef: canvasRefOf(b.custom_canvas_user_id),
            facts: {
              lti_user_id: b.user_id,
              name: b.lis_person_name_full,
              given_name: b.lis_person_name_given,
              family_name: b.lis_person_name_family,
              email: b.lis_person_contact_email_primary,
              roles: b.roles,
            },
          },
        );
        await applyFacts(store, user, settings);
      }
    },
  };
}

/** Learns root_account_id ↔ root_account_lti_guid from every live event, and joins launches waiting for it. */
export const rootAccountContextProjector: ContextProjector = {
  async project(event, store) {
    const { root_account_id: id, root_account_lti_guid: ltiGuid } = event.metadata;
    if (!id || !ltiGuid || ltiGuid.length > 255) return;
    // A plain read: nearly every event names an account already known, and locking its
    // row would serialise all ingest of the institution. Known once in a transaction,
    // known for the rest of it (the row is never deleted).
    if (await store.exists(RootAccount, { id, ltiGuid })) return;
    await store.write(RootAccount, null, { id, ltiGuid }, {});
    // The account is known now, so no default shard is needed to place its launches.
    await applyConsumer(store, ltiGuid, {});
  },
};

// The resource link's own schema (resource-link.projector.ts) validates the body: an
// event that breaks it is invalid, and this projector never sees it.
const linkBody = z.looseObject({
  resource_link_id: canvasId,
  resource_link_uuid: optionalNullable(z.string()),
});

/** A resource link seen in a live event takes over the launch facts that named it (by uuid or id). */
export const resourceLinkLaunchesProjector: Projector<z.output<typeof linkBody>> = {
  eventNames: ['lti_resource_link_created', 'lti_resource_link_updated'],
  body: linkBody,
  async project(event, store) {
    const ids = [globalId(event, event.body.resource_link_id), event.body.resource_link_uuid].filter(
      (v): v is string => !!v,
    );
    await applyLinks(store, ids, {});
  },
};
