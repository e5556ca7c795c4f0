// Start-up refusals: a bad setting stops the service before it listens, with one line
// on stderr naming the variable, no stack trace, and a non-zero exit code.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startMain } from '../support/main-process';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'startup-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function refusal(env: Record<string, string>): Promise<{ code: number | null; line: string }> {
  const service = startMain({
    DATABASE_URL: `sqlite:${join(dir, 'events.sqlite')}`,
    PORT: String(await freePort()),
    ...env,
  });
  const { code } = await service.exited;
  const lines = service.stderr.filter((l) => l.trim() !== '');
  expect(lines).toHaveLength(1);
  expect(lines[0]).not.toMatch(/^\s+at /);
  expect(service.stdout.join('\n')).not.toMatch(/listening on/);
  return { code, line: lines[0] };
}

const CASES: Array<{ what: string; env: Record<string, string>; variable: string; code: number }> = [
  {
    what: 'a DATABASE_URL of an unknown kind',
    env: { DATABASE_URL: 'postgres://db/events' },
    variable: 'DATABASE_URL',
    code: 2,
  },
  {
    what: 'a malformed LTI_CONSUMERS',
    env: { LTI_CONSUMERS: 'key-without-secret' },
    variable: 'LTI_CONSUMERS',
    code: 2,
  },
  {
    what: 'a CANVAS_JWKS file that does not exist',
    env: { CANVAS_JWKS: '/nonexistent/jwks.json' },
    variable: 'CANVAS_JWKS',
    code: 1,
  },
  { what: 'a malformed sha256: token', env: { READ_TOKENS: 'sha256:abc123' }, variable: 'READ_TOKENS', code: 2 },
  {
    what: 'a CORS_ORIGINS entry that is not an origin',
    env: { CORS_ORIGINS: 'https://a.example/path' },
    variable: 'CORS_ORIGINS',
    code: 2,
  },
  { what: 'a non-loopback HOST without tokens', env: { HOST: '0.0.0.0' }, variable: 'HOST=0.0.0.0', code: 2 },
  {
    what: 'a token shorter than 16 characters',
    env: { READ_TOKENS: 'a-long-enough-read-token,x' },
    variable: 'READ_TOKENS: entry 2 is shorter than 16 characters',
    code: 2,
  },
  {
    what: 'a short METRICS_TOKEN',
    env: { METRICS_TOKEN: 'metrics' },
    variable: 'METRICS_TOKEN: is shorter than 16 characters',
    code: 2,
  },
  {
    what: 'one token in two roles',
    env: { READ_TOKENS: 'same-token-0123456789', INGEST_TOKENS: 'other-token-0123456789,same-token-0123456789' },
    variable: 'INGEST_TOKENS: entry 2 is also in READ_TOKENS',
    code: 2,
  },
  {
    what: 'one token in two roles, once given as its sha256',
    env: {
      READ_TOKENS: 'same-token-0123456789',
      ADMIN_TOKENS: `sha256:${createHash('sha256').update('same-token-0123456789').digest('hex')}`,
    },
    variable: 'ADMIN_TOKENS: entry 1 is also in READ_TOKENS',
    code: 2,
  },
  {
    what: 'the ingest token reused as METRICS_TOKEN',
    env: { INGEST_TOKENS: 'ingest-token-0123456789', METRICS_TOKEN: 'ingest-token-0123456789' },
    variable: 'METRICS_TOKEN: its token is also in INGEST_TOKENS',
    code: 2,
  },
  {
    what: 'a CANVAS_JWT_MAX_AGE_SECONDS that is not a number of seconds',
    env: { CANVAS_JWT_MAX_AGE_SECONDS: '1h' },
    variable: 'CANVAS_JWT_MAX_AGE_SECONDS',
    code: 2,
  },
  { what: 'a REJECTED_MAX_MB of zero', env: { REJECTED_MAX_MB: '0' }, variable: 'REJECTED_MAX_MB', code: 2 },
];

describe('starting the service', () => {
  it.each(CASES)('refuses $what with one line naming $variable', async ({ env, variable, code }) => {
    const result = await refusal(env);
    expect(result.line).toContain(variable);
    expect(result.code).toBe(code);
  });

  it('refuses a CANVAS_JWKS file that is not a key set, naming the variable', async () => {
    const path = join(dir, 'not-a-jwks.json');
    writeFileSync(path, '{"hello": "world"}');
    expect((await refusal({ CANVAS_JWKS: path })).line).toMatch(/CANVAS_JWKS: .*no "keys" array/);
  });

  it('refuses a CANVAS_JWKS URL that cannot be fetched, naming the variable', async () => {
    const url = `http://127.0.0.1:${await freePort()}/jwks.json`;
    expect((await refusal({ CANVAS_JWKS: url })).line).toMatch(
      /CANVAS_JWKS: cannot fetch a JWKS from http:\/\/127\.0\.0\.1/,
    );
  });

  it('refuses an unreachable MySQL DATABASE_URL, naming the variable but not the password', async () => {
    const url = `mysql://root:s3cret-pw@127.0.0.1:${await freePort()}/events`;
    const { line, code } = await refusal({ DATABASE_URL: url });
    expect(code).toBe(1);
    expect(line).toMatch(/DATABASE_URL: cannot open mysql:\/\/root:\*\*\*@127\.0\.0\.1/);
    expect(line).not.toContain('s3cret-pw');
  });

  it('says at start that it is open when no tokens are configured, and serves loopback only', async () => {
    const service = startMain({
      DATABASE_URL: `sqlite:${join(dir, 'open.sqlite')}`,
      PORT: String(await freePort()),
    });
    const line = JSON.parse(await service.waitForLine(/OPEN MODE/));
    expect(line).toMatchObject({ level: 40, open: true, host: '127.0.0.1' });
    expect(line.msg).toMatch(/every caller is an admin/);
    service.child.kill('SIGTERM');
    expect((await service.exited).code).toBe(0);
  });

  it('starts on a non-loopback HOST once tokens are configured', async () => {
    const service = startMain({
      DATABASE_URL: `sqlite:${join(dir, 'tokens.sqlite')}`,
      PORT: String(await freePort()),
      HOST: '0.0.0.0',
      READ_TOKENS: 'a-read-token-0123456789',
    });
    await service.waitForLine(/listening on http:\/\/0\.0\.0\.0:/);
    expect(service.stdout.join('\n')).not.toMatch(/OPEN MODE/);
    service.child.kill('SIGTERM');
    expect((await service.exited).code).toBe(0);
  });
});
