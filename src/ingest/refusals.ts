// What is kept of a refusal nobody authenticated (no valid token, no verified signature,
// an LTI launch from an unknown consumer). "Nothing received is lost" is a promise to
// senders who proved who they are; a stranger's body is not kept, only a bounded record
// — the reason, the byte and item counts and a short sample of the start — and only so
// many such records a minute across all clients (beyond that, they are only counted), so
// posting junk cannot fill the disk.
import { IncomingItem } from './event-log';

/** The start of a stranger's body kept in the record, in bytes of UTF-8. */
export const SAMPLE_BYTES = 2048;
/** Reasons quote input, cut short already; this bounds them whatever they quote. */
const REASON_CHARS = 500;

export type StrangerRefusalOutcome = 'recorded' | 'unrecorded';

export interface StrangerRefusalsOptions {
  /** Records kept per minute, across all clients (REFUSAL_RECORDS_PER_MINUTE). */
  perMinute: number;
  /** Told of each refusal and whether it was recorded (metrics). */
  onRefusal?: (route: string, outcome: StrangerRefusalOutcome) => void;
  now?: () => number;
}

export interface StrangerRefusal {
  route: string;
  /** What was received; only its start is kept. */
  raw: Buffer | string;
  reason: string;
  /** The 4xx answered. */
  status: number;
  /** How many items the body held, as far as it was read. */
  items: number;
  /** Keep more than the sample (an LTI launch that names a known consumer): at most this many bytes. */
  keepBytes?: number;
}

export class StrangerRefusals {
  private windowStart = 0;
  private recorded = 0;
  private readonly now: () => number;

  constructor(private readonly options: StrangerRefusalsOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * The item to append for this refusal, or null when this minute's records are spent
   * (the refusal is then only counted: answer it without a rejectedId).
   */
  record(refusal: StrangerRefusal): Extract<IncomingItem, { kind: 'rejected' }> | null {
    const now = this.now();
    if (now - this.windowStart >= 60_000) {
      this.windowStart = now;
      this.recorded = 0;
    }
    if (this.recorded >= this.options.perMinute) {
      this.options.onRefusal?.(refusal.route, 'unrecorded');
      return null;
    }
    this.recorded++;
    this.options.onRefusal?.(refusal.route, 'recorded');
    const bytes = typeof refusal.raw === 'string' ? Buffer.byteLength(refusal.raw) : refusal.raw.length;
    return {
      kind: 'rejected',
      raw: sampleOf(refusal.raw, refusal.keepBytes ?? SAMPLE_BYTES),
      reason: refusal.reason.length > REASON_CHARS ? `${refusal.reason.slice(0, REASON_CHARS)}…` : refusal.reason,
      status: refusal.status,
      receivedBytes: bytes,
      itemCount: refusal.items,
    };
  }
}

/** At most `maxBytes` of UTF-8 from the start of `raw` (bad bytes read as U+FFFD, which is counted too). */
export function sampleOf(raw: Buffer | string, maxBytes: number): string {
  const head = typeof raw === 'string' ? raw.slice(0, maxBytes) : raw.subarray(0, maxBytes).toString('utf8');
  let sample = head;
  while (Buffer.byteLength(sample) > maxBytes) {
    const over = Buffer.byteLength(sample) - maxBytes;
    // A character is at most 4 bytes (2 UTF-16 units): cut at least a quarter of the excess in units.
    sample = sample.slice(0, sample.length - Math.max(1, Math.ceil(over / 4)));
  }
  // A cut through a surrogate pair leaves half an emoji; drop it.
  return /[\ud800-\udbff]$/.test(sample) ? sample.slice(0, -1) : sample;
}
