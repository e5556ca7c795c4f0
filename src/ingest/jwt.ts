// Signed Canvas payloads: a compact JWS (RS256) whose claims are the event, verified
// against a JWKS from a file or URL. Keys are picked by `kid`; an unknown `kid` makes us
// reload the key set once (Canvas rotates monthly) before refusing. A token must expire
// (`exp`), and soon: one valid for longer than the configured maximum age would let
// whoever copies it replay it for that long.
import { readFile } from 'node:fs/promises';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  JSONWebKeySet,
  JWTPayload,
  jwtVerify,
  JWTVerifyGetKey,
} from 'jose';
import { BadInputError } from '../errors';

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** True for a body that is a compact JWS (header.payload.signature). */
export function looksLikeJws(text: string): boolean {
  return COMPACT_JWS.test(text.trim());
}

const FILE_RELOAD_COOLDOWN_MS = 30_000;

/** Canvas's own service JWTs live one hour (CANVAS_JWT_MAX_AGE_SECONDS overrides). */
export const DEFAULT_MAX_TOKEN_AGE_SECONDS = 3600;

/** Clock skew between Canvas and us allowed on top of the maximum age. */
const LIFETIME_SKEW_SECONDS = 60;

export class CanvasJwtVerifier {
  private keySet: JWTVerifyGetKey | null = null;
  /** When the file was last re-read for an unknown kid (0: never). */
  private lastReloadAt = 0;

  constructor(
    /** A file path or an http(s) URL of a JWKS. */
    private readonly source: string,
    private readonly issuer: string,
    /** The longest a token may be valid: from its `iat` to `exp`, and from now to `exp`. */
    private readonly maxAgeSeconds = DEFAULT_MAX_TOKEN_AGE_SECONDS,
  ) {}

  /** Loads the key set now, so a bad CANVAS_JWKS stops the start rather than the first event. */
  async load(): Promise<void> {
    this.keySet = await this.fetchKeySet();
  }

  /** Verifies the token and returns the text of its claims (exact, for lossless parsing). */
  async verify(token: string): Promise<string> {
    token = token.trim();
    let claims: JWTPayload;
    try {
      claims = await this.verifyWith(token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || !(await this.reloadFile())) throw this.explain(error);
      try {
        claims = await this.verifyWith(token);
      } catch (retryError) {
        throw this.explain(retryError);
      }
    }
    this.checkLifetime(claims);
    return Buffer.from(token.split('.')[1], 'base64url').toString('utf8');
  }

  private async verifyWith(token: string): Promise<JWTPayload> {
    this.keySet ??= await this.fetchKeySet();
    const { payload } = await jwtVerify(token, this.keySet, {
      issuer: this.issuer,
      algorithms: ['RS256'],
      requiredClaims: ['exp'],
    });
    return payload;
  }

  /**
   * Both spans count: a token issued ten years ago to expire in a minute is as suspect as
   * one that expires in ten years (and a future `iat` must not hide a far `exp`).
   */
  private checkLifetime({ exp, iat }: JWTPayload): void {
    const limit = this.maxAgeSeconds + LIFETIME_SKEW_SECONDS;
    const now = Math.floor(Date.now() / 1000);
    const refuse = (span: string, seconds: number) =>
      new BadInputError(
        `the signed payload is valid for ${seconds} seconds ${span}; at most ${this.maxAgeSeconds} are accepted (CANVAS_JWT_MAX_AGE_SECONDS)`,
        'jwt.exp',
        401,
      );
    if (exp! - now > limit) throw refuse('from now', exp! - now);
    if (typeof iat === 'number' && exp! - iat > limit) throw refuse('from its iat', exp! - iat);
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
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'exp' && error.reason === 'missing') {
      return new BadInputError('the signed payload has no exp claim; an expiry is required', 'jwt.exp', status);
    }
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
