// The GraphQL IDE for people exploring the data in a browser: GET /graphql with
// `Accept: text/html` answers with Ruru (a GraphiQL distribution), whose scripts, styles,
// workers and fonts are served by this router from the ruru package itself — never from a
// CDN, so the page works on a closed network (Apollo's default landing page does not).
// A browser link `/graphql?query=…&variables=…` opens the IDE with that query in a tab; the
// queries of examples/ are ready as tabs on a first visit; a token pasted into Headers
// serves every tab, and the schema is fetched again when it changes. Everything else (GraphQL over GET or POST,
// from programs asking for JSON) falls through to the API.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
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

/** One query of examples/, as an IDE tab: its text and the variables its header comment names. */
export interface ExampleTab {
  query: string;
  variables?: string;
}

/**
 * The queries in `directory` (examples/), each with the variables of its `# Variables: {…}`
 * comment, by file name. A missing folder gives none: the IDE still works without them.
 */
export function loadExampleTabs(directory: string): ExampleTab[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory)
    .filter((name) => name.endsWith('.graphql'))
    .sort()
    .map((name) => {
      const query = readFileSync(path.join(directory, name), 'utf8');
      const variables = /^#.*\bVariables:\s*(\{.*\})\s*$/m.exec(query)?.[1];
      return variables ? { query, variables: JSON.stringify(JSON.parse(variables), null, 2) } : { query };
    });
}

/**
 * examples/ of this checkout: two folders up from src/graphql, three from dist/src/graphql
 * (`npm run build` leaves it where it is).
 */
const EXAMPLES_DIR = [
  path.join(__dirname, '..', '..', 'examples'),
  path.join(__dirname, '..', '..', '..', 'examples'),
].find((candidate) => existsSync(candidate));

/** What a link to the IDE may carry (`/graphql?query=…&variables=…`), as GraphiQL takes it. */
interface LinkedQuery {
  initialQuery?: string;
  initialVariables?: string;
}

// The token a user pastes into Headers. GraphiQL keeps headers per tab and fetches the
// schema only when asked (an icon in its sidebar): with tokens, Docs would say "Error
// fetching schema" until the user found that icon, and every example tab would need the
// token pasted again. So the page remembers the Authorization header last pasted into any
// tab (in memory only: gone with the page, never in localStorage), adds it to its requests
// to the endpoint that carry none, and fetches the schema again when it changes. A classic
// script, so it runs before ruru's modules load and capture fetch.
const SESSION_TOKEN_SCRIPT = `
<script>
  let ideToken = null;
  let ideTokenChanged;
  const ideFetch = window.fetch.bind(window);
  window.fetch = (input, init = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input), location.href);
    if (ideToken !== null && url.origin === location.origin && url.pathname === location.pathname) {
      const headers = new Headers(init.headers ?? (input instanceof Request ? input.headers : undefined));
      if (!headers.has('authorization')) headers.set('authorization', ideToken);
      init = { ...init, headers };
    }
    return ideFetch(input, init);
  };
  const ideOnEditHeaders = (text) => {
    let headers;
    try {
      headers = JSON.parse(text || '{}');
    } catch {
      return; // still being typed
    }
    const pasted = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === 'authorization')?.[1];
    if (typeof pasted !== 'string' || pasted === ideToken) return;
    ideToken = pasted;
    clearTimeout(ideTokenChanged);
    ideTokenChanged = setTimeout(
      () => document.querySelector('button[aria-label^="Re-fetch GraphQL schema"]')?.click(),
      300,
    );
  };
</script>`;

/** The page for a router mounted at `baseUrl`, with NONCE_PLACEHOLDER where the nonce goes. */
function renderPage(baseUrl: string, examples: readonly ExampleTab[], linked: LinkedQuery = {}): string {
  const clientConfig: Partial<RuruServer.RuruClientConfig> & { defaultTabs?: ExampleTab[] } = {
    defaultQuery: EXAMPLE_QUERY,
    // The first visit opens the starter query and every example (with working variables)
    // as tabs; later visits keep the user's own tabs (GraphiQL stores them).
    // A linked query comes first (GraphiQL opens it in a tab of its own on later visits).
    defaultTabs: [
      ...(linked.initialQuery !== undefined
        ? [{ query: linked.initialQuery, ...(linked.initialVariables ? { variables: linked.initialVariables } : {}) }]
        : []),
      { query: EXAMPLE_QUERY },
      ...examples,
    ],
    ...linked,
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
      // Our own config script rather than ruru's: ruru escapes "</script" but not
      // "</SCRIPT", so a linked ?query= could end the script and add one of its own (given
      // the real nonce if it spells the placeholder). With every "<" escaped, a string in
      // the config cannot start a tag at all.
      configScript: (_original: string, config: object) =>
        withNonce(
          `<script>\nconst RURU_CONFIG = ${JSON.stringify(config).replaceAll('<', '\\u003c')};\n</script>\n` +
            SESSION_TOKEN_SCRIPT,
        ),
      headerScripts: withNonce,
      bodyScripts: withNonce,
      // ruru's own start script, with onEditHeaders added to the props it renders Ruru with
      // (Ruru hands the props it does not know to GraphiQL).
      bodyInitScript: (original: string) =>
        withNonce(
          original.replace(
            'React.createElement(Ruru, RURU_CONFIG)',
            'React.createElement(Ruru, { ...RURU_CONFIG, onEditHeaders: ideOnEditHeaders })',
          ),
        ),
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

/** A browser navigating to the endpoint (a bookmark, or a link with `?query=`), as opposed to a GraphQL request over GET. */
function wantsIde(req: Request): boolean {
  // Browsers rank text/html above */*; API clients ask for JSON (or anything), which must
  // reach Apollo. Listing JSON first makes it win ties such as `Accept: */*`.
  return req.accepts(['application/graphql-response+json', 'application/json', 'text/html']) === 'text/html';
}

/** The query and variables of a link to the IDE; only strings (a repeated parameter is not a query). */
function linkedQuery(req: Request): LinkedQuery | null {
  const { query, variables } = req.query;
  if (typeof query !== 'string' && typeof variables !== 'string') return null;
  return {
    ...(typeof query === 'string' ? { initialQuery: query } : {}),
    ...(typeof variables === 'string' ? { initialVariables: variables } : {}),
  };
}

/**
 * Mount at the GraphQL endpoint's path, before the API and its token check, so the page and
 * its assets load without a token and the user pastes one into the header editor:
 * `app.use('/graphql', ideRouter())`.
 */
export function ideRouter(options: { examples?: readonly ExampleTab[] } = {}): Router {
  const router = Router();
  const pages = new Map<string, string>();
  const examples = options.examples ?? (EXAMPLES_DIR ? loadExampleTabs(EXAMPLES_DIR) : []);

  router.get('/', (req: Request, res: Response, next: NextFunction) => {
    if (!wantsIde(req)) return next();
    const linked = linkedQuery(req);
    let page = linked ? renderPage(req.baseUrl, examples, linked) : pages.get(req.baseUrl);
    if (page === undefined) {
      page = renderPage(req.baseUrl, examples);
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
