// Who may call what: Express middleware that reads the bearer token, looks up its roles
// and answers 401 (no or unknown token, with WWW-Authenticate) or 403 (a known token
// without the role). What a request was granted is kept on res.locals for later layers
// (the GraphQL context reads it to hide admin-only data).
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Role, TokenStore } from './tokens';

export const REALM = 'canvas-events';

export interface Access {
  /** Open mode: no tokens are configured, every caller is an admin. */
  open: boolean;
  roles: ReadonlySet<Role>;
}

const OPEN_ROLES: ReadonlySet<Role> = new Set<Role>(['read', 'admin', 'ingest', 'metrics']);

/** What the request was granted; nothing when no access check ran. */
export function accessOf(res: Response): Access {
  return (res.locals.access as Access | undefined) ?? { open: false, roles: new Set() };
}

/** The bearer token of a request: `Authorization: Bearer …`, or `?token=` where allowed. */
export function presentedToken(req: Request, options: { queryToken?: boolean } = {}): string | null {
  const header = req.headers.authorization;
  if (header) {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
    return match ? match[1] : null;
  }
  if (options.queryToken) {
    const query = req.query.token;
    if (typeof query === 'string' && query !== '') return query;
  }
  return null;
}

/** How refusals are written: plain JSON for most routes, a GraphQL error list for /graphql. */
export type RefusalFormat = 'json' | 'graphql';

export interface RequireRoleOptions {
  /** Any one of these roles is enough. */
  anyOf: Role[];
  /** Also take the token from `?token=` (Canvas cannot set headers on its live-event posts). */
  queryToken?: boolean;
  /** What the caller should have sent, for the 401 message. */
  hint: string;
  format?: RefusalFormat;
  /**
   * Called instead of answering 401 when no token was presented, so a route can accept
   * another proof (POST /events takes a verified signed payload).
   */
  whenNoToken?: (req: Request, res: Response, next: NextFunction) => void;
}

export function requireRole(tokens: TokenStore, options: RequireRoleOptions): RequestHandler {
  const format = options.format ?? 'json';
  return (req, res, next) => {
    if (tokens.open) {
      res.locals.access = { open: true, roles: OPEN_ROLES } satisfies Access;
      return next();
    }
    const token = presentedToken(req, options);
    if (token === null) {
      if (req.headers.authorization) {
        return unauthenticated(res, format, 'the Authorization header must be "Bearer <token>"', 'invalid_request');
      }
      if (options.whenNoToken) return options.whenNoToken(req, res, next);
      return unauthenticated(res, format, `a token is required: ${options.hint}`);
    }
    const roles = tokens.rolesOf(token);
    if (roles.size === 0) return unauthenticated(res, format, 'the token is not valid', 'invalid_token');
    res.locals.access = { open: false, roles } satisfies Access;
    if (!options.anyOf.some((role) => roles.has(role))) {
      return forbidden(res, format, `this token may not do this: it needs the ${options.anyOf.join(' or ')} role`);
    }
    next();
  };
}

/** 401: no usable credentials. `error` follows RFC 6750 when a token was presented. */
export function unauthenticated(
  res: Response,
  format: RefusalFormat,
  message: string,
  error?: 'invalid_token' | 'invalid_request',
): void {
  const challenge = `Bearer realm="${REALM}"${error ? `, error="${error}"` : ''}`;
  res.setHeader('WWW-Authenticate', challenge);
  refuse(res, 401, format, message, 'UNAUTHENTICATED');
}

/** 403: a valid token that lacks the role. */
export function forbidden(res: Response, format: RefusalFormat, message: string): void {
  res.setHeader('WWW-Authenticate', `Bearer realm="${REALM}", error="insufficient_scope"`);
  refuse(res, 403, format, message, 'FORBIDDEN');
}

export function refuse(res: Response, status: number, format: RefusalFormat, message: string, code: string): void {
  if (format === 'graphql') {
    res.status(status).json({ errors: [{ message, extensions: { code } }] });
  } else {
    res.status(status).json({ error: { message } });
  }
}
