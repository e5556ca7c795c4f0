// OAuth 1.0a request signing as LTI 1.1 uses it (RFC 5849, HMAC-SHA1, no token): the
// signature base string, the signature, a constant-time check, and a signer (for tests
// and for anyone who needs to send a launch). Pure functions over decoded parameters.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** A decoded name/value pair; order and repetition are kept (both count in the base string). */
export type OAuthParameter = readonly [name: string, value: string];

/** RFC 5849 §3.6: every byte except ALPHA / DIGIT / "-" / "." / "_" / "~" as %XX (upper-case hex). */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Decodes an application/x-www-form-urlencoded string ("a=1&b=x+y&c") into pairs, in
 * order, repeats kept. Throws URIError on a malformed %-escape.
 */
export function parseFormEncoded(text: string): OAuthParameter[] {
  if (text === '') return [];
  return text
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const eq = part.indexOf('=');
      const [name, value] = eq < 0 ? [part, ''] : [part.slice(0, eq), part.slice(eq + 1)];
      return [formDecode(name), formDecode(value)] as const;
    });
}

function formDecode(text: string): string {
  return decodeURIComponent(text.replace(/\+/g, ' '));
}

/**
 * RFC 5849 §3.4.1.2: scheme and host in lower case, the port only when it is not the
 * scheme's default, the path as sent (at least "/"), no query, no fragment.
 */
export function baseStringUri(url: string): string {
  const parsed = new URL(url);
  const scheme = parsed.protocol.replace(/:$/, '').toLowerCase();
  // URL already drops the default port of http/https and lower-cases the host.
  const port = parsed.port ? `:${parsed.port}` : '';
  return `${scheme}://${parsed.hostname.toLowerCase()}${port}${parsed.pathname || '/'}`;
}

/** RFC 5849 §3.4.1.3.2: encode names and values, sort by name then value, join with & and =. */
export function normalizeParameters(parameters: readonly OAuthParameter[]): string {
  return parameters
    .filter(([name]) => name !== 'oauth_signature')
    .map(([name, value]) => [percentEncode(name), percentEncode(value)] as const)
    .sort(([an, av], [bn, bv]) => compareBytes(an, bn) || compareBytes(av, bv))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

/** Encoded strings are ASCII, so code-unit order is byte order. */
function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** RFC 5849 §3.4.1: METHOD&encoded base URI&encoded normalized parameters. */
export function signatureBaseString(method: string, url: string, parameters: readonly OAuthParameter[]): string {
  return [method.toUpperCase(), percentEncode(baseStringUri(url)), percentEncode(normalizeParameters(parameters))].join(
    '&',
  );
}

/** RFC 5849 §3.4.2: base64 HMAC-SHA1 keyed by encoded consumer secret & encoded token secret. */
export function hmacSha1Signature(baseString: string, consumerSecret: string, tokenSecret = ''): string {
  const key = `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`;
  return createHmac('sha1', key).update(baseString, 'utf8').digest('base64');
}

/** Compares two signatures in time independent of where they differ. */
export function signaturesMatch(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  // Lengths are not secret (every HMAC-SHA1 signature is 28 characters); contents are.
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface SignOptions {
  consumerKey: string;
  consumerSecret: string;
  /** Seconds since the epoch (default: now). */
  timestamp?: number;
  nonce: string;
  /** Extra oauth_* parameters, e.g. oauth_callback. */
  extra?: Record<string, string>;
}

/**
 * Signs a form POST the way an LTI tool consumer does: adds the oauth_* parameters and
 * the signature to `parameters` (the query string of `url` is signed too).
 */
export function signLaunch(
  url: string,
  parameters: Record<string, string>,
  options: SignOptions,
): Record<string, string> {
  const signed: Record<string, string> = {
    ...parameters,
    oauth_consumer_key: options.consumerKey,
    oauth_signature_method: 'HMAC-SHA1',
    oauth_timestamp: String(options.timestamp ?? Math.floor(Date.now() / 1000)),
    oauth_nonce: options.nonce,
    oauth_version: '1.0',
    ...options.extra,
  };
  delete signed.oauth_signature;
  const query = new URL(url).search.slice(1);
  const base = signatureBaseString('POST', url, [...parseFormEncoded(query), ...Object.entries(signed)]);
  signed.oauth_signature = hmacSha1Signature(base, options.consumerSecret);
  return signed;
}
