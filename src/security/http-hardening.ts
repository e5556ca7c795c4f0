// Response headers and cross-origin rules for the HTTP app: helmet's defaults with a
// strict Content-Security-Policy (the API answers JSON; a page that needs more, like the
// GraphQL IDE, sets its own), CORS only for the origins CORS_ORIGINS names, and a 415
// for GraphQL posts that are not JSON.
import cors from 'cors';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * helmet for every response. Static files under `assetPrefixes` (the IDE's scripts and
 * workers) get no CSP of their own: a worker runs under the policy of its script's
 * response, and the page's policy already governs what they may load.
 */
export function securityHeaders(options: { assetPrefixes?: string[] } = {}): RequestHandler {
  const strict = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
  });
  const withoutCsp = helmet({ contentSecurityPolicy: false });
  const prefixes = options.assetPrefixes ?? [];
  return (req, res, next) => {
    const isAsset = prefixes.some((prefix) => req.path.startsWith(prefix));
    return (isAsset ? withoutCsp : strict)(req, res, next);
  };
}

/**
 * CORS for the API: nothing (same-origin only) unless origins are configured; `*` allows
 * any origin. Tokens travel in the Authorization header, never in cookies, so
 * credentials stay off.
 */
export function corsPolicy(origins: readonly string[]): RequestHandler | null {
  if (origins.length === 0) return null;
  return cors({
    origin: origins.includes('*') ? '*' : [...origins],
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: [
      'Authorization',
      'Content-Type',
      'Accept',
      'X-Request-Id',
      'Apollo-Require-Preflight',
      'X-Apollo-Operation-Name',
      // Read-your-writes (./read-consistency.ts).
      'Consistency',
    ],
    exposedHeaders: ['X-Request-Id', 'WWW-Authenticate', 'Retry-After'],
    credentials: false,
    maxAge: 600,
  });
}

/** The types a browser may post cross-site without a preflight: Apollo's CSRF prevention answers those. */
const SIMPLE_REQUEST_TYPES = new Set(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']);

/**
 * POST /graphql takes JSON only (415 otherwise); GET carries the query in the URL. The
 * three "simple" types are left to Apollo's CSRF prevention, whose 400 says why.
 */
export function graphqlContentType(): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'POST') return next();
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type === 'application/json' || SIMPLE_REQUEST_TYPES.has(type)) return next();
    res.status(415).json({
      errors: [
        {
          message: `unsupported content type ${type || '(none)'}: POST a JSON body ({"query": …}) with Content-Type: application/json`,
          extensions: { code: 'BAD_REQUEST' },
        },
      ],
    });
  };
}
