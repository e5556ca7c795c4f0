// Refusals rate-limited per client address: every 4xx answered to a caller that proved
// nothing (no valid token, no verified signature) takes one from that address's bucket;
// an empty bucket gets 429 with Retry-After before its body is read. Authenticated
// callers are never charged nor limited, so a stranger cannot lock Canvas out of its
// own address's budget by posting garbage with a token it does not have. In memory, per
// instance: a bound on cost, not an accounting.
import type { Request, RequestHandler, Response } from 'express';

export interface RateLimitOptions {
  /** Refusals an address may earn per minute; also the burst. */
  perMinute: number;
  /** Take the client address from X-Forwarded-For (TRUST_PROXY). */
  trustProxy: boolean;
  /** Addresses tracked at most; the least recently charged are forgotten first. */
  maxClients?: number;
  now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

const DEFAULT_MAX_CLIENTS = 10_000;

export class RefusalRateLimit {
  /** Insertion order is charge order (a charged bucket is re-inserted): the first is the stalest. */
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;

  constructor(private readonly options: RateLimitOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The address a request came from: the socket's, or the one our trusted proxy saw. */
  addressOf(req: Request): string {
    if (this.options.trustProxy) {
      // The last entry is the one our proxy appended; those before it are the client's own
      // say, so trusting them would let anyone pick a fresh address (and budget) per request.
      const forwarded = req.headers['x-forwarded-for'];
      const last = (Array.isArray(forwarded) ? forwarded.join(',') : forwarded)?.split(',').pop()?.trim();
      if (last) return last.slice(0, 64);
    }
    return (req.socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
  }

  /** Seconds until `address` may be refused again; 0 while it has budget left. */
  retryAfter(address: string): number {
    const tokens = this.tokensOf(address);
    if (tokens >= 1) return 0;
    return Math.max(1, Math.ceil(((1 - tokens) * 60) / this.options.perMinute));
  }

  /** One refusal answered to `address`. */
  charge(address: string): void {
    const tokens = this.tokensOf(address);
    this.buckets.delete(address);
    this.buckets.set(address, { tokens: Math.max(0, tokens - 1), at: this.now() });
    if (this.buckets.size > (this.options.maxClients ?? DEFAULT_MAX_CLIENTS)) {
      this.buckets.delete(this.buckets.keys().next().value!);
    }
  }

  private tokensOf(address: string): number {
    const bucket = this.buckets.get(address);
    const { perMinute } = this.options;
    if (!bucket) return perMinute;
    return Math.min(perMinute, bucket.tokens + ((this.now() - bucket.at) / 60_000) * perMinute);
  }
}

export interface LimitRefusalsOptions {
  /** True for a caller that proved who it is (checked before the route and once answered). */
  authenticated: (req: Request, res: Response) => boolean;
  /** Answers 429 in the route's own format; the Retry-After header is already set. */
  tooMany: (res: Response, retryAfterSeconds: number) => void;
  /** Told about each 429, for metrics. */
  onLimited?: () => void;
}

/** Middleware: 429 for an address out of budget, and a charge for each 4xx to a stranger. */
export function limitRefusals(limit: RefusalRateLimit, options: LimitRefusalsOptions): RequestHandler {
  return (req, res, next) => {
    const address = limit.addressOf(req);
    res.locals.clientAddress = address;
    if (!options.authenticated(req, res)) {
      const wait = limit.retryAfter(address);
      if (wait > 0) {
        options.onLimited?.();
        res.setHeader('Retry-After', String(wait));
        // The body is not read: close the connection rather than drain it.
        res.setHeader('Connection', 'close');
        options.tooMany(res, wait);
        return;
      }
    }
    res.on('finish', () => {
      if (res.statusCode >= 400 && res.statusCode < 500 && !options.authenticated(req, res)) limit.charge(address);
    });
    next();
  };
}

/** The client address limitRefusals resolved for this request (for the refusal record). */
export function clientAddressOf(res: Response): string | null {
  return typeof res.locals.clientAddress === 'string' ? res.locals.clientAddress : null;
}

/** For routes that authenticate inside (an LTI launch's signature): this caller proved itself. */
export function markAuthenticated(res: Response): void {
  res.locals.authenticatedByRoute = true;
}

export function isMarkedAuthenticated(res: Response): boolean {
  return res.locals.authenticatedByRoute === true;
}
