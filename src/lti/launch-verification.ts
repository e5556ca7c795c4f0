// Whether an LTI 1.1 launch may be accepted: the OAuth 1.0a signature (HMAC-SHA1 over
// every query and body parameter and the URL the consumer signed), a fresh timestamp, the
// parameters the projection needs, and an unused nonce — cheapest and unauthenticated
// checks first. No HTTP here: the route hands in the parameters and the public URL.
import { storedLaunchBody } from './launch-parameters';
import { hmacSha1Signature, OAuthParameter, signatureBaseString, signaturesMatch } from './oauth1';
import type { LaunchParameters, LaunchProjection } from './launch-projection';
import { MAX_NONCE_LENGTH, NonceStore } from './nonce-store';

/** Why a launch is refused; `verified` once the signature matched (then we may redirect). */
export class LaunchRefusal extends Error {
  constructor(
    message: string,
    readonly verified: boolean,
    readonly status = 401,
  ) {
    super(message);
  }
}

export interface LaunchPolicy<Launch> {
  /** oauth_consumer_key → shared secret (LTI_CONSUMERS). */
  consumers: ReadonlyMap<string, string>;
  /** How far oauth_timestamp may be from now, either way (LTI_TIMESTAMP_WINDOW_SECONDS). */
  timestampWindowSeconds: number;
  nonces: NonceStore;
  projection: LaunchProjection<Launch>;
}

export interface ReceivedLaunch {
  /** The URL the consumer must have signed (the public one; see the route). */
  url: string;
  /** Query and form-body parameters, in order, repeats kept: all of them are signed. */
  parameters: readonly OAuthParameter[];
  at: Date;
}

const REQUIRED_OAUTH = [
  'oauth_consumer_key',
  'oauth_signature_method',
  'oauth_timestamp',
  'oauth_nonce',
  'oauth_signature',
];

/** The checks in order; returns the launch as the projection reads it, or throws a LaunchRefusal. */
export async function verifyLaunch<Launch>(received: ReceivedLaunch, policy: LaunchPolicy<Launch>): Promise<Launch> {
  const { url, parameters, at } = received;
  for (const name of REQUIRED_OAUTH) {
    if (!single(parameters, name, false)) throw new LaunchRefusal(`${name} is missing`, false);
  }
  const key = single(parameters, 'oauth_consumer_key', false)!;
  const method = single(parameters, 'oauth_signature_method', false)!;
  if (method !== 'HMAC-SHA1')
    throw new LaunchRefusal(`oauth_signature_method must be HMAC-SHA1, got ${method.slice(0, 40)}`, false);
  const secret = policy.consumers.get(key);
  if (secret === undefined) throw new LaunchRefusal(`unknown oauth_consumer_key "${key.slice(0, 80)}"`, false);
  const expected = hmacSha1Signature(signatureBaseString('POST', url, parameters), secret);
  if (!signaturesMatch(expected, single(parameters, 'oauth_signature', false)!)) {
    throw new LaunchRefusal(`the signature does not match (signed URL expected: ${url})`, false);
  }

  // Verified: from here on the consumer may be told what was wrong.
  const version = single(parameters, 'oauth_version', true);
  if (version !== undefined && version !== '1.0')
    throw new LaunchRefusal(`oauth_version must be 1.0, got ${version.slice(0, 20)}`, true);
  const timestamp = single(parameters, 'oauth_timestamp', true)!;
  if (!/^\d{1,12}$/.test(timestamp)) throw new LaunchRefusal('oauth_timestamp must be seconds since 1970', true);
  const window = policy.timestampWindowSeconds;
  const skew = Number(timestamp) - Math.floor(at.getTime() / 1000);
  if (Math.abs(skew) > window) {
    throw new LaunchRefusal(
      `oauth_timestamp is ${Math.abs(skew)} seconds ${skew < 0 ? 'old' : 'in the future'} (at most ${window} accepted): ` +
        'check the clocks, or launch again',
      true,
    );
  }
  const read = policy.projection.read(storedParameters(parameters));
  if ('problem' in read) throw new LaunchRefusal(read.problem, true);
  const nonce = single(parameters, 'oauth_nonce', true)!;
  if (nonce.length > MAX_NONCE_LENGTH)
    throw new LaunchRefusal(`oauth_nonce is longer than ${MAX_NONCE_LENGTH} characters`, true);
  const expiresAt = new Date((Number(timestamp) + window) * 1000);
  if (!(await policy.nonces.consume(key, nonce, at, expiresAt))) {
    throw new LaunchRefusal(
      'this launch was already received (its oauth_nonce was used): launch again from Canvas',
      true,
    );
  }
  return read.launch;
}

function single(parameters: readonly OAuthParameter[], name: string, verified: boolean): string | undefined {
  const values = parameters.filter(([n]) => n === name).map(([, v]) => v);
  if (values.length > 1) throw new LaunchRefusal(`${name} is sent ${values.length} times`, verified);
  return values[0];
}

/** Every parameter but the signature; a repeated one as the list of its values. */
/** Every parameter but the signature, as stored (see launch-parameters.ts: names are data). */
export function storedParameters(parameters: readonly OAuthParameter[]): LaunchParameters {
  return storedLaunchBody(parameters);
}

/** launch_presentation_return_url, when it is one http(s) URL: never redirect anywhere else. */
export function returnUrlOf(parameters: readonly OAuthParameter[]): URL | null {
  const values = parameters.filter(([n]) => n === 'launch_presentation_return_url').map(([, v]) => v);
  if (values.length !== 1) return null;
  try {
    const url = new URL(values[0]);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : null;
  } catch {
    return null;
  }
}
