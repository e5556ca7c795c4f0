// The service behind Debian's nginx with the example site (deploy/nginx/canvas-events.conf),
// the way the README deploys it: the same file, rendered with this test's ports and a
// self-signed certificate, TLS terminated by nginx, TRUST_PROXY=true. Through nginx: a live
// event is stored, a GraphQL query answers it, and an LTI launch signed for the public
// https URL is accepted (one signed for the service's own address is not). nginx runs in a
// temporary prefix, unprivileged; it and the service are killed as process groups even
// when an assertion fails. Skipped, saying so, only when nginx is not installed (and CI is not set).
import { ChildProcess, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { escapeHtml } from '../../src/lti/launch-page';
import { freshLocalId, globalIdOf, submissionEvent } from '../support/builders';
import { createMysqlDatabase, databaseKinds } from '../support/databases';
import { CONSUMER_KEY, CONSUMER_SECRET, freshLaunchParams, signed } from '../support/lti';
import { canConnect, freePort } from '../support/main-process';
import { killGroup, spawnGroup } from '../support/process-group';
import { ServiceProcess, startService } from '../support/service-process';

const NGINX = '/usr/sbin/nginx';
const SITE = join(__dirname, '../../deploy/nginx/canvas-events.conf');
const INGEST_TOKEN = 'ingest-0123456789abcdef';
const ADMIN_TOKEN = 'admin-0123456789abcdef';
/** nobody: nginx runs unprivileged even when the tests run as root. */
const UNPRIVILEGED = 65534;

// CI installs nginx (.ci/run), so there its absence is a failure, not a skip.
const installed = existsSync(NGINX);
if (!installed && !process.env.CI) {
  console.warn(`skipping the nginx test: ${NGINX} is not installed (apt-get install nginx)`);
}
const describeIfNginx = installed || process.env.CI ? describe : describe.skip;

/** `text` with `from` replaced by `to`, which must occur exactly `times` times (the example changed otherwise). */
function substitute(text: string, from: string, to: string, times = 1): string {
  const found = text.split(from).length - 1;
  if (found !== times) throw new Error(`${SITE}: expected "${from}" ${times} time(s), found ${found}`);
  return text.split(from).join(to);
}

/** The example site with this test's listen ports, upstream, certificate and log. */
function renderSite(prefix: string, ports: { https: number; http: number; service: number }): string {
  let site = readFileSync(SITE, 'utf8');
  site = substitute(site, 'listen 443 ssl http2;', `listen 127.0.0.1:${ports.https} ssl http2;`);
  site = substitute(site, 'listen [::]:443 ssl http2;\n', '');
  site = substitute(site, 'listen 80;', `listen 127.0.0.1:${ports.http};`);
  site = substitute(site, 'listen [::]:80;\n', '');
  site = substitute(site, 'server 127.0.0.1:4000;', `server 127.0.0.1:${ports.service};`);
  site = substitute(site, '/etc/ssl/canvas-events/fullchain.pem', join(prefix, 'cert.pem'));
  site = substitute(site, '/etc/ssl/canvas-events/privkey.pem', join(prefix, 'key.pem'));
  site = substitute(site, '/var/log/nginx/canvas-events.access.log', join(prefix, 'access.log'), 2);
  return site;
}

/** Around the site: what Debian's /etc/nginx/nginx.conf provides, every path in the prefix. */
function mainConfig(prefix: string): string {
  const temp = (name: string) => `${name}_temp_path ${join(prefix, 'temp', name)};`;
  return `worker_processes 1;
pid ${join(prefix, 'nginx.pid')};
error_log ${join(prefix, 'error.log')} warn;
events { worker_connections 64; }
http {
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}
  default_type application/octet-stream;
  access_log ${join(prefix, 'other.access.log')};
  include ${join(prefix, 'site.conf')};
}
`;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTPS request trusting only the test's certificate. */
function httpsRequest(
  url: string,
  ca: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers, ca, timeout: 20_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within 20 s`)));
    req.end(init.body);
  });
}

for (const kind of databaseKinds) {
  describeIfNginx(`behind nginx with deploy/nginx/canvas-events.conf [${kind}]`, () => {
    let prefix: string;
    let ca: string;
    let publicUrl: string;
    let service: ServiceProcess | undefined;
    let serviceUrl: string;
    let nginx: ChildProcess | undefined;
    let dropDatabase: () => Promise<void> = async () => undefined;

    beforeAll(async () => {
      if (!installed) throw new Error(`CI is set but ${NGINX} is missing: apt-get install -y nginx`);
      prefix = mkdtempSync(join(tmpdir(), 'nginx-'));
      for (const name of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
        mkdirSync(join(prefix, 'temp', name), { recursive: true });
      }
      execFileSync(
        'openssl',
        [
          ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1'],
          ...['-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(prefix, 'key.pem')],
          ...['-out', join(prefix, 'cert.pem')],
        ],
        { stdio: 'ignore' },
      );
      ca = readFileSync(join(prefix, 'cert.pem'), 'utf8');

      let databaseUrl = `sqlite:${join(prefix, 'events.sqlite')}`;
      if (kind === 'mysql') {
        const db = await createMysqlDatabase();
        databaseUrl = db.url;
        dropDatabase = db.drop;
      }
      service = await startService(databaseUrl, {
        PORT: String(await freePort()),
        TRUST_PROXY: 'true',
        INGEST_TOKENS: INGEST_TOKEN,
        ADMIN_TOKENS: ADMIN_TOKEN,
        LTI_CONSUMERS: `${CONSUMER_KEY}:${CONSUMER_SECRET}`,
      });
      serviceUrl = service.url;

      const ports = { https: await freePort(), http: await freePort(), service: Number(new URL(serviceUrl).port) };
      writeFileSync(join(prefix, 'site.conf'), renderSite(prefix, ports));
      writeFileSync(join(prefix, 'nginx.conf'), mainConfig(prefix));
      const asRoot = process.getuid?.() === 0;
      if (asRoot) execFileSync('chown', ['-R', `${UNPRIVILEGED}:${UNPRIVILEGED}`, prefix]);
      const child = spawnGroup(
        NGINX,
        ['-p', prefix, '-e', join(prefix, 'error.log'), '-c', join(prefix, 'nginx.conf'), '-g', 'daemon off;'],
        { stdio: 'ignore', ...(asRoot ? { uid: UNPRIVILEGED, gid: UNPRIVILEGED } : {}) },
      );
      nginx = child;
      const deadline = Date.now() + 10_000;
      while (!(await canConnect(ports.https))) {
        if (child.exitCode !== null || Date.now() > deadline) {
          const log = existsSync(join(prefix, 'error.log')) ? readFileSync(join(prefix, 'error.log'), 'utf8') : '';
          throw new Error(`nginx did not start (exit ${child.exitCode}): ${log}`);
        }
        await sleep(50);
      }
      publicUrl = `https://127.0.0.1:${ports.https}`;
    }, 120_000);

    afterAll(async () => {
      if (nginx?.pid) {
        // SIGTERM to the master first: it reaps its worker, so no zombie is left to PID 1.
        // Whatever is still there a few seconds later goes with the group.
        if (nginx.exitCode === null && nginx.signalCode === null) {
          const exited = new Promise((resolve) => nginx!.once('exit', resolve));
          nginx.kill('SIGTERM');
          await Promise.race([exited, sleep(5_000)]);
        }
        await killGroup(nginx.pid);
      }
      await service?.kill();
      await dropDatabase();
      if (prefix) rmSync(prefix, { recursive: true, force: true });
    });

    it('stores a live event posted to /events?token=…, as Canvas delivers', async () => {
      const submissionId = globalIdOf(freshLocalId());
      const posted = await httpsRequest(`${publicUrl}/events?token=${INGEST_TOKEN}`, ca, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(submissionEvent({ submissionId })),
      });
      expect(posted.status).toBe(200);
      expect(JSON.parse(posted.body)).toMatchObject({ status: 'stored', name: 'submission_updated' });

      const answer = await httpsRequest(`${publicUrl}/graphql`, ca, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${ADMIN_TOKEN}` },
        body: JSON.stringify({ query: `{ submission(id: "${submissionId}") { id } }` }),
      });
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({ data: { submission: { id: submissionId } } });
      // The token never reaches nginx's log.
      expect(readFileSync(join(prefix, 'access.log'), 'utf8')).not.toContain(INGEST_TOKEN);
    });

    it('accepts an LTI launch signed for the public https URL (TRUST_PROXY), not one signed for the service itself', async () => {
      const launchUrl = `${publicUrl}/lti/launch`;
      const post = (form: Record<string, string>) =>
        httpsRequest(launchUrl, ca, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(form).toString(),
        });

      const accepted = await post(signed(freshLaunchParams(), { url: launchUrl }));
      expect(accepted.status).toBe(200);
      expect(accepted.body).toContain('Launch recorded');

      const refused = await post(signed(freshLaunchParams(), { url: `${serviceUrl}/lti/launch` }));
      expect(refused.status).toBe(401);
      expect(refused.body).toContain(escapeHtml(`signed URL expected: ${launchUrl}`));
    });

    it('redirects plain http to https', async () => {
      const site = readFileSync(join(prefix, 'site.conf'), 'utf8');
      const httpPort = /listen 127\.0\.0\.1:(\d+);/.exec(site)![1];
      const answer = await fetch(`http://127.0.0.1:${httpPort}/graphql`, { redirect: 'manual' });
      expect(answer.status).toBe(301);
      expect(answer.headers.get('location')).toMatch(/^https:\/\/127\.0\.0\.1\/graphql$/);
    });
  });
}
