// LTI 1.1 launches: POST /lti/launch (launch.route.ts) verifies and stores them as
// lti_launch events; this module projects them (courses, resource links, users) and
// learns, from live events, which root account a tool consumer guid belongs to.
import type { DomainModule } from '../../projection/domain-module';
import { LtiFact } from './lti-fact.entity';
import {
  LTI_DOMAIN,
  ltiLaunchProjector,
  resourceLinkLaunchesProjector,
  rootAccountContextProjector,
} from './lti-launch.projector';
import { RootAccount } from './root-account.entity';

export const ltiModule: DomainModule = {
  name: LTI_DOMAIN,
  // Not keyed: both are looked up by other columns (guid, context, applied id).
  entities: [
    { entity: RootAccount, keyed: false },
    { entity: LtiFact, keyed: false },
  ],
  projectors: (settings) => [
    ltiLaunchProjector({ defaultShard: settings.ltiDefaultShard }),
    resourceLinkLaunchesProjector,
  ],
  contextProjectors: [rootAccountContextProjector],
};
