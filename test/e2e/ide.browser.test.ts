// The GraphQL IDE as a person meets it: the real app on a real port over a database holding
// every Canvas fixture, opened in Debian's Chromium (headless). The page must load from this
// server alone (the network it runs on may be closed), run its prefilled query and show
// fixture data, while API clients asking GET /graphql for JSON still reach the API.
//
// Without /usr/bin/chromium the browser test is skipped with a message — unless CI is set:
// CI installs Chromium (`apt-get install -y chromium`), so there its absence is a failure.
// IDE_SCREENSHOT=/tmp/ide.png keeps a screenshot of the page after the query ran.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { Express } from 'express';
import puppeteer, { Browser, HTTPRequest } from 'puppeteer-core';
import { loadConfig } from '../../src/config';
import { createApp } from '../../src/server';
import { createTestDatabase, TestDatabase } from '../support/databases';

const CHROMIUM = '/usr/bin/chromium';
const FIXTURES = path.resolve(__dirname, '../fixtures/canvas-live-events');
// The course every submission and comment fixture belongs to.
const FIXTURE_COURSE_ID = '21070000000000565';

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && !process.env.CI) {
  console.warn(`Skipping the GraphQL IDE browser test: ${CHROMIUM} is missing (apt-get install -y chromium).`);
}
const browserTest = haveChromium || process.env.CI ? test : test.skip;

/** Debian's Chromium, headless, with a fresh profile (no stored IDE state). */
function launchChromium(profile: string): Promise<Browser> {
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: profile,
    // Without the background-networking switches Chromium keeps calling home, which on
    // a closed network means a stream of failing connections.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Ingests every Canvas fixture through POST /events of the server at `origin`. */
async function ingestFixtures(origin: string, headers: Record<string, string> = {}): Promise<void> {
  for (const name of readdirSync(FIXTURES).filter((f) => f.endsWith('.json'))) {
    // The text as Canvas sends it: parsing it here would round the 64-bit ids.
    const res = await fetch(`${origin}/events`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: readFileSync(path.join(FIXTURES, name), 'utf8'),
    });
    expect(`${name}: ${res.status}`).toBe(`${name}: 200`);
  }
}

async function listen(app: Express): Promise<{ server: Server; origin: string }> {
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

// A string, not a function: this project compiles without the DOM types.
const textOf = (selector: string) => `(document.querySelector(${JSON.stringify(selector)})?.textContent ?? '')`;

describe('the GraphQL IDE at GET /graphql', () => {
  let db: TestDatabase;
  let server: Server;
  let origin: string;

  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    const app = await createApp({
      config: loadConfig({ NODE_ENV: 'test' }),
      dataSource: db.dataSource,
      logger: pino({ level: 'silent' }),
      verifier: null,
    });
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await ingestFixtures(origin);
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await db?.drop();
  });

  test('a browser gets the IDE page, which names only this server and is locked to it', async () => {
    const res = await fetch(`${origin}/graphql`, { headers: { Accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('vary')).toMatch(/Accept/);
    expect(res.headers.get('content-security-policy')).toMatch(/connect-src 'self'/);
    const html = await res.text();
    expect(html).toContain('<title>Canvas events — GraphQL</title>');
    expect(html).toContain('/graphql/ide/');
    expect(html.match(/(https?|wss?):\/\/[^\s"'<>]+/g) ?? []).toEqual([]);
  });

  test('API clients asking GET /graphql for JSON reach the API, not the page', async () => {
    const query = encodeURIComponent('{ __typename }');
    const withQuery = await fetch(`${origin}/graphql?query=${query}`, {
      headers: { Accept: 'application/json', 'apollo-require-preflight': 'true' },
    });
    expect(withQuery.headers.get('content-type')).toMatch(/json/);
    expect(await withQuery.json()).toEqual({ data: { __typename: 'Query' } });

    const bare = await fetch(`${origin}/graphql`, { headers: { Accept: 'application/json' } });
    expect(bare.headers.get('content-type')).not.toMatch(/html/);
    expect(await bare.text()).not.toMatch(/<html/i);
  });

  test('the assets are versioned, cached for good, and unknown ones are 404', async () => {
    const html = await (await fetch(`${origin}/graphql`, { headers: { Accept: 'text/html' } })).text();
    const script = /href="(\/graphql\/ide\/[^"]+\/ruru\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${origin}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const etag = asset.headers.get('etag')!;
    // An explicit Cache-Control, or fetch() adds `no-cache`, which (rightly) defeats the 304.
    const revalidated = await fetch(`${origin}${script}`, {
      headers: { 'If-None-Match': etag, 'Cache-Control': 'max-age=0' },
    });
    expect(revalidated.status).toBe(304);
    expect((await fetch(`${origin}/graphql/ide/0.0.0/ruru.js`)).status).toBe(404);
    expect((await fetch(`${origin}${script!.replace('ruru.js', 'nope.js')}`)).status).toBe(404);
  });

  browserTest(
    'runs its prefilled query in Chromium and shows fixture data, loading nothing from elsewhere',
    async () => {
      if (!haveChromium) throw new Error(`CI is set but ${CHROMIUM} is missing: apt-get install -y chromium`);
      const profile = mkdtempSync(path.join(tmpdir(), 'ide-chromium-'));
      let browser: Browser | undefined;
      try {
        browser = await launchChromium(profile);
        const page = await browser.newPage();
        await page.setViewport({ width: 1400, height: 900 });
        const requested: string[] = [];
        const problems: string[] = [];
        page.on('request', (req: HTTPRequest) => requested.push(req.url()));
        page.on('pageerror', (error) => problems.push(`page error: ${error}`));
        page.on('console', (message) => {
          if (message.type() === 'error') problems.push(`console: ${message.text()}`);
        });
        page.on('response', (res) => {
          if (res.status() >= 400) problems.push(`HTTP ${res.status()} ${res.url()}`);
        });

        await page.goto(`${origin}/graphql`, { waitUntil: 'networkidle0', timeout: 20_000 });
        expect(await page.title()).toBe('Canvas events — GraphQL');
        await page.waitForSelector('.graphiql-execute-button', { timeout: 10_000 });

        // The header editor is where a user pastes a token; typed text must travel with the query.
        await page.click('button[data-name="headers"]');
        const headersEditor = '.graphiql-editor-tool .graphiql-editor:not(.hidden)';
        await page.waitForSelector(headersEditor, { visible: true });
        await page.click(headersEditor);
        await page.keyboard.type('{"X-Ide-Test": "pasted"}');

        const answer = page.waitForResponse(
          (res) =>
            res.request().method() === 'POST' &&
            res.url() === `${origin}/graphql` &&
            /CoursesAndSubmissions/.test(res.request().postData() ?? ''),
        );
        await page.click('.graphiql-execute-button');
        const response = await answer;
        expect(response.request().headers()['x-ide-test']).toBe('pasted');
        const body = await response.json();
        expect(body.errors).toBeUndefined();
        expect(body.data.courses.nodes.map((c: { id: string }) => c.id)).toContain(FIXTURE_COURSE_ID);
        // A string, not a function: this project compiles without the DOM types.
        const resultPaneShows = (text: string) =>
          `document.querySelector('.graphiql-response')?.textContent?.includes(${JSON.stringify(text)})`;
        await page.waitForFunction(resultPaneShows(FIXTURE_COURSE_ID), { timeout: 10_000 });

        if (process.env.IDE_SCREENSHOT) await page.screenshot({ path: process.env.IDE_SCREENSHOT as `${string}.png` });

        const elsewhere = requested.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:'));
        expect(elsewhere).toEqual([]);
        expect(requested.some((url) => url.includes('/graphql/ide/'))).toBe(true);
        expect(problems).toEqual([]);
      } finally {
        await browser?.close();
        rmSync(profile, { recursive: true, force: true });
      }
    },
  );
});

// With tokens configured the IDE still loads without one; its first schema fetch is refused
// until the user pastes a token into Headers, and must then be fetched again by itself.
describe('the GraphQL IDE with tokens, in Chromium', () => {
  const READ_TOKEN = 'read-token-0123456789abcdef';
  const INGEST_TOKEN = 'ingest-token-0123456789abcdef';
  let db: TestDatabase;
  let server: Server;
  let origin: string;
  let browser: Browser | undefined;
  let profile: string;

  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    const app = await createApp({
      config: loadConfig({ NODE_ENV: 'test', READ_TOKENS: READ_TOKEN, INGEST_TOKENS: INGEST_TOKEN }),
      dataSource: db.dataSource,
      logger: pino({ level: 'silent' }),
      verifier: null,
    });
    ({ server, origin } = await listen(app));
    await ingestFixtures(origin, { Authorization: `Bearer ${INGEST_TOKEN}` });
    if (haveChromium) {
      profile = mkdtempSync(path.join(tmpdir(), 'ide-chromium-'));
      browser = await launchChromium(profile);
    }
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await new Promise((resolve) => server?.close(resolve));
    await db?.drop();
  });

  browserTest(
    'opens the examples as tabs, fetches the schema again once a token is pasted, and runs an example with its variables',
    async () => {
      if (!browser) throw new Error(`CI is set but ${CHROMIUM} is missing: apt-get install -y chromium`);
      const page = await browser.newPage();
      await page.setViewport({ width: 1400, height: 900 });
      await page.goto(`${origin}/graphql`, { waitUntil: 'networkidle0', timeout: 20_000 });
      await page.waitForSelector('.graphiql-execute-button', { timeout: 10_000 });

      // The starter query and one tab per file of examples/, named by their operations.
      const tabs = (await page.evaluate(
        `[...document.querySelectorAll('.graphiql-tab .graphiql-tab-button')].map((tab) => tab.textContent.trim())`,
      )) as string[];
      expect(tabs).toEqual([
        'CoursesAndSubmissions',
        'AssignmentProgress',
        'AverageScorePerAssignment',
        'CommentsPerDay',
        'CommentsPerSubmission',
        'ConversationActivity',
        'CourseDashboard',
        'LateAndMissingSubmissions',
        'MostActiveConversations',
        'ResourceLinksOfATool',
        'WhoHasNotSubmitted',
      ]);

      // Without a token the schema cannot be fetched: Docs says so.
      await page.click('button[aria-label="Show Documentation Explorer"]');
      await page.waitForSelector('.graphiql-doc-explorer-error', { timeout: 10_000 });

      // The user pastes a token; Docs shows the schema without any re-fetch click.
      await page.click('button[data-name="headers"]');
      const headersEditor = '.graphiql-editor-tool .graphiql-editor:not(.hidden)';
      await page.waitForSelector(headersEditor, { visible: true });
      await page.click(headersEditor);
      await page.keyboard.type(`{"Authorization": "Bearer ${READ_TOKEN}"}`);
      await page.waitForFunction(
        `${textOf('.graphiql-doc-explorer')}.includes('root type for each kind of operation')`,
        {
          timeout: 15_000,
        },
      );
      expect(await page.$('.graphiql-doc-explorer-error')).toBeNull();

      // Another tab (its own, empty headers) runs with that token and the variables of its
      // example's comment, and finds the fixture course; Docs keeps the schema.
      const index = tabs.indexOf('CourseDashboard');
      await (await page.$$('.graphiql-tab .graphiql-tab-button'))[index].click();
      // The tab is active (and its operation chosen) before running it: on a loaded machine
      // GraphiQL can still hold the previous tab's operation name otherwise.
      await page.waitForFunction(
        `[...document.querySelectorAll('.graphiql-tab')].some((t) => t.getAttribute('aria-selected') === 'true' && t.textContent.includes('CourseDashboard'))`,
        { timeout: 15_000 },
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      const answer = page.waitForResponse(
        (res) => res.request().method() === 'POST' && /CourseDashboard/.test(res.request().postData() ?? ''),
      );
      await page.click('.graphiql-execute-button');
      const body = await (await answer).json();
      expect(body.errors).toBeUndefined();
      expect(body.data.course.id).toBe(FIXTURE_COURSE_ID);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(await page.$('.graphiql-doc-explorer-error')).toBeNull();
      await page.close();
    },
    90_000,
  );

  browserTest(
    'opens a link /graphql?query=… with that query in the editor',
    async () => {
      if (!browser) throw new Error(`CI is set but ${CHROMIUM} is missing: apt-get install -y chromium`);
      const page = await browser.newPage();
      const query = 'query LinkedFromAReport { courses(first: 1) { totalCount } }';
      await page.goto(`${origin}/graphql?query=${encodeURIComponent(query)}`, {
        waitUntil: 'networkidle0',
        timeout: 20_000,
      });
      await page.waitForSelector('.graphiql-tab-active', { timeout: 10_000 });
      expect(await page.evaluate(textOf('.graphiql-tab-active'))).toContain('LinkedFromAReport');
      await page.waitForFunction(`${textOf('.graphiql-query-editor')}.includes('LinkedFromAReport')`, {
        timeout: 10_000,
      });
      await page.close();
    },
    60_000,
  );
});
