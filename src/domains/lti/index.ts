// LTI 1.1 launches: POST /lti/launch (launch.route.ts) verifies and stores them as
// lti_launch events; this module projects them (courses, resource links, users) and
// learns, from live events, which root account a tool consumer guid belongs to.
import type { DomainModule } from '../../projection/domain-module';
import { LtiFact } from './lti-fact.entity';
import {
  ltiLaunchProjector,
  resourceLinkLaunchesContextProjector,
  rootAccountContextProjector,
} from './lti-launch.projector';
import { RootAccount } from './root-account.entity';

export const ltiModule: DomainModule = {
  name: 'lti',
  entities: [RootAccount, LtiFact],
  projectors: (settings) => [ltiLaunchProjector({ defaultShard: settings.ltiDefaultShard })],
  contextProjectors: [rootAccountContextProjector, resourceLinkLaunchesContextProjector],
};
