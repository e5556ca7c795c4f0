// Canvas "Sign Payload" for tests: RS256 keys made here, a JWKS file of their public
// halves, events signed as Canvas signs them (issuer, iat, exp, kid), and a verifier
// loaded from that file. No network.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { CanvasJwtVerifier } from '../../src/ingest/jwt';

export const ISSUER = 'https://live-events.canvas.instructure.com';
export type Key = Awaited<ReturnType<typeof generateKeyPair>> & { kid: string };

export async function makeKey(kid: string): Promise<Key> {
  return { ...(await generateKeyPair('RS256')), kid };
}

export async function writeJwks(path: string, keys: Key[]): Promise<void> {
  const jwks = {
    keys: await Promise.all(
      keys.map(async (k) => ({ ...(await exportJWK(k.publicKey)), kid: k.kid, alg: 'RS256', use: 'sig' })),
    ),
  };
  writeFileSync(path, JSON.stringify(jwks));
}

export interface SignOptions {
  kid?: string;
  issuer?: string;
  /** Seconds from now; negative for an expired token; null for no exp claim. */
  expiresIn?: number | null;
  /** Seconds since 1970; null for no iat claim. */
  issuedAt?: number | null;
}

export function sign(event: unknown, key: Key, options: SignOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT(event as never)
    .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? key.kid, typ: 'JWT' })
    .setIssuer(options.issuer ?? ISSUER);
  if (options.issuedAt !== null) jwt.setIssuedAt(options.issuedAt ?? now);
  if (options.expiresIn !== null) jwt.setExpirationTime(now + (options.expiresIn ?? 300));
  return jwt.sign(key.privateKey);
}

/** A JWKS file in a fresh directory holding `keys`, and a verifier loaded from it. */
export async function jwksFixture(
  keys: Key[],
  maxAgeSeconds?: number,
): Promise<{ path: string; verifier: CanvasJwtVerifier; remove(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'canvas-jwks-'));
  const path = join(dir, 'jwks.json');
  await writeJwks(path, keys);
  const verifier = new CanvasJwtVerifier(path, ISSUER, maxAgeSeconds);
  await verifier.load();
  return { path, verifier, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
