// JSON without silent loss: numbers too large for a double keep their digits (as
// LosslessNumber) so an id sent as a JSON number is either kept exactly or refused,
// never rounded. Also the canonical form used for the dedupe hash.
import { createHash } from 'node:crypto';
import { isLosslessNumber, isSafeNumber, LosslessNumber, parse, stringify } from 'lossless-json';

export { isLosslessNumber, LosslessNumber };

/** Parses JSON; safe numbers become JS numbers, unsafe ones stay LosslessNumber. */
export function parseLossless(text: string): unknown {
  return parse(text, null, (digits) => (isSafeNumber(digits) ? Number(digits) : new LosslessNumber(digits)));
}

/** Serialises a value from parseLossless back to JSON, every digit as it came. */
export function stringifyLossless(value: unknown): string {
  return stringify(value) ?? 'null';
}

/** JSON with object keys sorted at every level: equal events give equal text. */
export function canonicalJson(value: unknown): string {
  return stringifyLossless(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object' && !isLosslessNumber(value)) {
    const sorted = dataObject();
    for (const key of Object.keys(value).sort()) sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
    return sorted;
  }
  return value;
}

/**
 * An object whose keys are only data. On a plain `{}`, assigning "__proto__" sets the
 * prototype instead of a key: two events differing only in a "__proto__" key hashed the
 * same (the second was answered duplicate and dropped) and the payload view lost it.
 */
export function dataObject(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Replaces LosslessNumbers by strings of their digits (for JSON output that must not round). */
export function losslessToPlain(value: unknown): unknown {
  if (isLosslessNumber(value)) return (value as LosslessNumber).toString();
  if (Array.isArray(value)) return value.map(losslessToPlain);
  if (value && typeof value === 'object') {
    // A key "__proto__" stays a key: defined, not assigned (see dataObject). The result is
    // an ordinary object otherwise, as GraphQL's JSON scalar expects.
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(out, k, {
        value: losslessToPlain(v),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}
