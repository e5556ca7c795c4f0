// The GraphQL IDE for people exploring the data in a browser: GET /graphql with
// `Accept: text/html` answers with Ruru (a GraphiQL distribution), whose scripts, styles,
// workers and fonts are served by this router from the ruru package itself — never from a
// CDN, so the page works on a closed network (Apollo's default landing page does not).
// Everything else (GraphQL over GET or POST) falls through to the API.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import express, { NextFunction, Request, Response, Router } from 'express';
import type * as RuruServer from 'ruru/dist/server';

// ruru publishes its entry points only through package.json "exports", which this project's
// TypeScript setting (moduleResolution "node") cannot see: the types come from the dist
// files, the code from the public entry points (which Node and Jest resolve).
const { ruruHTML } = require('ruru/server') as typeof RuruServer;

const RURU_DIR = path.join(path.dirname(require.resolve('ruru/server')), '..');
const RURU_VERSION: string = JSON.parse(readFileSync(path.join(RURU_DIR, 'package.json'), 'utf8')).version;
// Served from disk rather than through ruru's getStaticFile(), which loads its in-memory copy
// with a dynamic import() that Jest's module sandbox refuses.
const RURU_STATIC_DIR = path.join(RURU_DIR, 'static');
if (!existsSync(path.join(RURU_STATIC_DIR, 'ruru.js'))) {
  throw new Error(`ruru's static files are missing from ${RURU_STATIC_DIR}: reinstall the ruru package`);
}

/**
 * Where the assets live, relative to the router's mount point (so /graphql/ide/<version>/…).
 * The URLs carry ruru's version so they can be cached forever: an upgrade changes the URL,
 * and a page from before the upgrade never mixes old and new chunks.
 */
export const IDE_ASSET_PREFIX = `/ide/${RURU_VERSION}/`;

export const EXAMPLE_QUERY = `# Canvas events — GraphQL
#
# Run with the ▶ button or Ctrl/Cmd + Enter.
# Docs (left) lists every type and field;
# Ctrl + Space completes names as you type.
#
# If the server asks for a token, open Headers
# (below) and paste:
#   {"Authorization": "Bearer <your token>"}

query CoursesAndSubmissions {
  courses(first: 5) {
    totalCount
    nodes {
      id
      localId
      accountId
      submissions(first: 5) {
        nodes {
          id
          score
          workflowState
          comments {
            totalCount
          }
        }
      }
    }
  }
}
`;

// Stands in for the per-response nonce in the cached page; replaced on every response.
const NONCE_PLACEHOLDER = '__IDE_CSP_NONCE__';

/** The page for a router mounted at `baseUrl`, with NONCE_PLACEHOLDER where the nonce goes. */
function renderPage(baseUrl: string): string {
  const clientConfig: Partial<RuruServer.RuruClientConfig> = {
    defaultQuery: EXAMPLE_QUERY,
    // Tokens go in the header editor; GraphiQL keeps them in memory only unless the user
    // opts in, so a pasted token is not left in localStorage.
    isHeadersEditorEnabled: true,
    // ruru's "explain" and "plan" tools are for Grafast servers; here they would be empty.
    debugTools: [],
  };
  const withNonce = (original: string) => original.replaceAll('<script', `<script nonce="${NONCE_PLACEHOLDER}"`);
  return ruruHTML({
    // A path (not a URL) keeps the page same-origin and makes ruru load its workers directly
    // instead of through blob: URLs.
    staticPath: `${baseUrl}${IDE_ASSET_PREFIX}`,
    endpoint: baseUrl,
    // Every option is optional; ruru's types only say otherwise because they pick from
    // GraphiQL's props, whose package is not installed here (it is bundled into ruru).
    clientConfig: clientConfig as RuruServer.RuruClientConfig,
    htmlParts: {
      // An empty icon stops the browser asking for /favicon.ico, which this service lacks.
      metaTags: (original: string) => `${original}\n<link rel="icon" href="data:," />`,
      titleTag: '<title>Canvas events — GraphQL</title>',
      configScript: withNonce,
      headerScripts: withNonce,
      bodyScripts: withNonce,
      bodyInitScript: withNonce,
    },
  });
}

// The page's scripts are inline, so they are allowed by nonce; everything else must come from
// this origin. Besides protecting the page, this makes any attempt to reach a CDN fail loudly.
// Styles need 'unsafe-inline' because the editor (Monaco) and the UI set style attributes.
function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "worker-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** A browser navigating to the endpoint, as opposed to a GraphQL request over GET. */
function wantsIde(req: Request): boolean {
  if (req.query.query !== undefined || req.query.extensions !== undefined) return false;
  // Browsers rank text/html above */*; API clients ask for JSON (or anything), which must
  // reach Apollo. Listing JSON first makes it win ties such as `Accept: */*`.
  return req.accepts(['application/graphql-response+json', 'application/json', 'text/html']) === 'text/html';
}

/**
 * Mount at the GraphQL endpoint's path, before the API and its token check, so the page and
 * its assets load without a token and the user pastes one into the header editor:
 * `app.use('/graphql', ideRouter())`.
 */
export function ideRouter(): Router {
  const router = Router();
  const pages = new Map<string, string>();

  router.get('/', (req: Request, res: Response, next: NextFunction) => {
    if (!wantsIde(req)) return next();
    let page = pages.get(req.baseUrl);
    if (page === undefined) {
      page = renderPage(req.baseUrl);
      pages.set(req.baseUrl, page);
    }
    const nonce = randomBytes(16).toString('base64');
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    // The same URL answers JSON to API clients: caches must key on Accept. The page is small
    // and names versioned assets, so it is always revalidated.
    res.setHeader('Vary', 'Accept');
    res.setHeader('Cache-Control', 'no-cache');
    // Set here rather than left to a global middleware: a generic policy would block the
    // page's inline scripts.
    res.setHeader('Content-Security-Policy', contentSecurityPolicy(nonce));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.send(page.replaceAll(NONCE_PLACEHOLDER, nonce));
  });

  // The folder ruru's own default (unpkg.com/ruru@<version>/static/) serves from its CDN;
  // we serve the same files from the installed package.
  router.use(
    IDE_ASSET_PREFIX,
    express.static(RURU_STATIC_DIR, {
      immutable: true,
      maxAge: '365d',
      index: false,
      redirect: false,
      fallthrough: true,
      setHeaders: (res) => res.setHeader('X-Content-Type-Options', 'nosniff'),
    }),
  );

  // Anything else under the asset folder (another version, a typo) is not the API's business.
  router.use('/ide', (_req: Request, res: Response) => {
    res.status(404).type('text/plain').send('not found');
  });

  return router;
}
