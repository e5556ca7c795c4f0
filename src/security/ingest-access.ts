// Who may POST /events: a caller with an ingest token (header, or `?token=` because
// Canvas cannot set headers on live-event posts), or — when CANVAS_JWKS is configured —
// anyone whose body is a signed payload, since a verified signature is itself proof of
// origin. A request without a token is held to that: a body that is not signed is
// refused with 401 before it is parsed or stored, and one whose signature fails keeps
// only a bounded record (ingest/refusals.ts), so strangers cannot fill the log.
import type { Request, RequestHandler, Response } from 'express';
import { isSignedBody } from '../ingest/request-items';
import { presentedToken, requireRole, unauthenticated } from './access';
import type { TokenStore } from './tokens';

const HINT = 'send an ingest token (Authorization: Bearer <token>, or ?token=<token>)';

export interface IngestGate {
  /** Runs before the route: token check, or the note that the body must be signed. */
  checkToken: RequestHandler;
  /** Runs on the raw body before anything is parsed or stored; false when it has answered 401. */
  admitBody: (raw: Buffer, contentType: string | null, res: Response) => boolean;
  /** The caller holds a valid token (any role), or the service is open: never rate-limited. */
  authenticated: (req: Request) => boolean;
  /** No token: the body's signatures must prove where it came from. */
  isStranger: (res: Response) => boolean;
}

export function ingestGate(tokens: TokenStore, options: { signedPayloads: boolean }): IngestGate {
  return {
    checkToken: requireRole(tokens, {
      anyOf: ['ingest'],
      queryToken: true,
      hint: options.signedPayloads ? `${HINT}, or a signed payload` : HINT,
      whenNoToken: options.signedPayloads
        ? (_req, res, next) => {
            res.locals.signatureRequired = true;
            next();
          }
        : undefined,
    }),
    admitBody: (raw, contentType, res) => {
      if (res.locals.signatureRequired !== true) return true;
      // A compact JWS is ASCII; latin1 reads any bytes without failing on bad UTF-8.
      if (isSignedBody(raw.toString('latin1'), contentType)) return true;
      unauthenticated(res, 'json', `a token or a signed payload is required: ${HINT}, or sign the payload`);
      return false;
    },
    authenticated: (req) => {
      if (tokens.open) return true;
      const token = presentedToken(req, { queryToken: true });
      return token !== null && tokens.rolesOf(token).size > 0;
    },
    isStranger: (res) => res.locals.signatureRequired === true,
  };
}
