// Signed Canvas payloads: a compact JWS (RS256) whose claims are the event, verified
// against a JWKS from a file or URL. Keys are picked by `kid`; an unknown `kid` makes us
// reload the key set once (Canvas rotates monthly) before refusing.
import { readFile } from 'node:fs/promises';
import { createLocalJWKSet, createRemoteJWKSet, errors, JSONWebKeySet, jwtVerify, JWTVerifyGetKey } from 'jose';
import { BadInputError } from '../errors';

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** True for a body that is a compact JWS (header.payload.signature). */
export function looksLikeJws(text: string): boolean {
  return COMPACT_JWS.test(text.trim());
}

const FILE_RELOAD_COOLDOWN_MS = 30_000;

export class CanvasJwtVerifier {
  private keySet: JWTVerifyGetKey | null = null;
  /** When the file was last re-read for an unknown kid (0: never). */
  private lastReloadAt = 0;

  constructor(
    /** A file path or an http(s) URL of a JWKS. */
    private readonly source: string,
    private readonly issuer: string,
  ) {}

  /** Loads the key set now, so a bad CANVAS_JWKS stops the start rather than the first event. */
  async load(): Promise<void> {
    this.keySet = await this.fetchKeySet();
  }

  /** Verifies the token and returns the text of its claims (exact, for lossless parsing). */
  async verify(token: string): Promise<string> {
    token = token.trim();
    try {
      await this.verifyWith(token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || !(await this.reloadFile())) throw this.explain(error);
      try {
        await this.verifyWith(token);
      } catch (retryError) {
        throw this.explain(retryError);
      }
    }
    return Buffer.from(token.split('.')[1], 'base64url').toString('utf8');
  }

  private async verifyWith(token: string): Promise<void> {
    this.keySet ??= await this.fetchKeySet();
    await jwtVerify(token, this.keySet, { issuer: this.issuer, algorithms: ['RS256'] });
  }

  /**
   * Re-reads a JWKS file on an unknown kid (a key rotated in), at most once per cooldown so
   * a flood of tokens with made-up kids does not turn into a file read per request. A
   * remote set does this itself. Returns whether the set was reloaded.
   */
  private async reloadFile(): Promise<boolean> {
    if (this.isRemote || Date.now() - this.lastReloadAt < FILE_RELOAD_COOLDOWN_MS) return false;
    this.lastReloadAt = Date.now();
    this.keySet = await this.fetchKeySet();
    return true;
  }

  private get isRemote(): boolean {
    return /^https?:\/\//.test(this.source);
  }

  private async fetchKeySet(): Promise<JWTVerifyGetKey> {
    // The remote set refreshes itself on an unknown kid (with a cooldown against floods).
    if (this.isRemote) {
      const remote = createRemoteJWKSet(new URL(this.source));
      // Fetched once now, so an unreachable or malformed URL stops the start (see load()).
      try {
        await remote.reload();
      } catch (error) {
        throw new Error(`CANVAS_JWKS: cannot fetch a JWKS from ${this.source}: ${(error as Error).message}`);
      }
      return remote;
    }
    let parsed: JSONWebKeySet;
    try {
      parsed = JSON.parse(await readFile(this.source, 'utf8')) as JSONWebKeySet;
    } catch (error) {
      throw new Error(`CANVAS_JWKS: cannot read a JWKS from ${this.source}: ${(error as Error).message}`);
    }
    if (!Array.isArray(parsed?.keys)) throw new Error(`CANVAS_JWKS: ${this.source} has no "keys" array`);
    return createLocalJWKSet(parsed);
  }

  private explain(error: unknown): BadInputError {
    const status = 401;
    if (error instanceof errors.JWTExpired)
      return new BadInputError('the signed payload has expired', 'jwt.exp', status);
    if (error instanceof errors.JWTClaimValidationFailed) {
      return new BadInputError(`claim check failed: ${error.message}`, `jwt.${error.claim}`, status);
    }
    if (error instanceof errors.JWKSNoMatchingKey) {
      return new BadInputError('no key in CANVAS_JWKS matches the token (unknown kid)', 'jwt.header.kid', status);
    }
    if (error instanceof errors.JWSSignatureVerificationFailed) {
      return new BadInputError('signature verification failed', 'jwt.signature', status);
    }
    if (error instanceof errors.JOSEAlgNotAllowed)
      return new BadInputError('only RS256 is accepted', 'jwt.header.alg', status);
    if (error instanceof errors.JOSEError)
      return new BadInputError(`invalid signed payload: ${error.message}`, 'jwt', status);
    throw error;
  }
}
