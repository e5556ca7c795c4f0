// The LTI projection as the launch endpoint (src/lti) sees it, wired in by the composition
// root: the launch schema it checks before a launch is accepted, and what projecting a
// launch recorded — the course and resource link as they now stand — for its answer page.
import type { DataSource } from 'typeorm';
import { describeIssues } from '../../canvas/fields';
import { Course } from '../courses/course.entity';
import { ResourceLink } from '../resource-links/resource-link.entity';
import { LtiFact } from './lti-fact.entity';
import { consumerScope, launchBody, LaunchBody, LTI_LAUNCH_EVENT } from './lti-launch.projector';

export function launchRecords(dataSource: DataSource) {
  return {
    eventName: LTI_LAUNCH_EVENT,
    read(parameters: Record<string, string | string[]>): { launch: LaunchBody } | { problem: string } {
      const parsed = launchBody.safeParse(parameters);
      return parsed.success ? { launch: parsed.data } : { problem: describeIssues(parsed.error, '') };
    },
    async recorded(body: LaunchBody) {
      const consumerGuid = consumerScope(body);
      const facts = (kind: 'context' | 'link', ltiId: string | undefined) =>
        ltiId ? dataSource.getRepository(LtiFact).findOneBy({ kind, ltiId, consumerGuid }) : Promise.resolve(null);
      const [context, link] = await Promise.all([
        facts('context', body.context_id),
        facts('link', body.resource_link_id),
      ]);
      const [course, resourceLink] = await Promise.all([
        context?.appliedId ? dataSource.getRepository(Course).findOneBy({ id: context.appliedId }) : null,
        link?.appliedId ? dataSource.getRepository(ResourceLink).findOneBy({ id: link.appliedId }) : null,
      ]);
      return {
        courseTitle: course?.title ?? body.context_title ?? null,
        courseLabel: body.context_label ?? null,
        courseId: course?.id ?? null,
        namesCourse: body.context_id !== undefined,
        linkTitle: resourceLink?.title ?? body.resource_link_title ?? null,
        linkId: resourceLink?.id ?? body.resource_link_id ?? null,
      };
    },
  };
}
