// Read-your-writes: a client that has just ingested may ask that its GraphQL answer (or
// export) read from the primary instead of a read replica, which may lag, with the request
// header `Consistency: primary`. Granted to admin and ingest tokens only (an ingest token may
// read only this way, as a reader); read tokens — dashboards, the bulk of reads — stay on
// the replicas, so they cannot pin every read to the primary. `Consistency: replica`, or no
// header, is the default.
import type { RequestHandler, Response } from 'express';
import type { Consistency } from '../db/read-sources';
import { accessOf, forbidden, refuse, RefusalFormat } from './access';

export const CONSISTENCY_HEADER = 'consistency';

/** What the request was granted (set by `readConsistency`); `replica` when it did not run. */
export function consistencyOf(res: Response): Consistency {
  return res.locals.consistency === 'primary' ? 'primary' : 'replica';
}

/** After requireRole(['read', 'ingest']): checks the `Consistency` header against the token's roles. */
export function readConsistency(format: RefusalFormat = 'json'): RequestHandler {
  return (req, res, next) => {
    const asked = (req.headers[CONSISTENCY_HEADER] ?? 'replica').toString().trim().toLowerCase();
    if (asked !== 'primary' && asked !== 'replica') {
      return refuse(
        res,
        400,
        format,
        `the Consistency header must be "primary" or "replica" (got "${asked.slice(0, 40)}")`,
        'BAD_REQUEST',
      );
    }
    const { roles } = accessOf(res);
    if (asked === 'primary' && !roles.has('admin') && !roles.has('ingest')) {
      return forbidden(
        res,
        format,
        'Consistency: primary (read-your-writes) is for admin and ingest tokens; read tokens read from the replicas',
      );
    }
    if (asked === 'replica' && !roles.has('read')) {
      return forbidden(
        res,
        format,
        'this token may not do this: it needs the read role (an ingest token may read only with Consistency: primary)',
      );
    }
    res.locals.consistency = asked satisfies Consistency;
    next();
  };
}
