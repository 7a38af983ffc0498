import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { DomainError } from '@kaowu/server-kit';
import { PROVINCIAL_CONTEXT, ProvincialContext } from '../provincial-context';

interface Bucket {
  tokens: number;
  at: number;
}

/** Buckets kept before full (idle) ones are dropped: bounds memory under a scan from many addresses. */
const MAX_BUCKETS = 50_000;
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * A token bucket per client address for the public ticket lookup (网上打印准考证): a candidate
 * looks up a few times, a script trying ID numbers is slowed to the refill rate. In memory and
 * per server instance — enough to make enumerating ID numbers impractical.
 */
@Injectable()
export class LookupRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly capacity: number;
  private readonly perMs: number;

  constructor(@Inject(PROVINCIAL_CONTEXT) private readonly ctx: ProvincialContext) {
    this.capacity = ctx.config.TICKET_LOOKUPS_PER_MINUTE;
    this.perMs = ctx.config.TICKET_LOOKUPS_PER_MINUTE / 60_000;
  }

  /** Take one lookup for the request's client or throw RATE_LIMITED with the wait in seconds. */
  take(req: Request): void {
    const key = clientAddress(req);
    const now = this.ctx.clock.now().getTime();
    const bucket = this.buckets.get(key) ?? { tokens: this.capacity, at: now };
    bucket.tokens = Math.min(this.capacity, bucket.tokens + Math.max(0, now - bucket.at) * this.perMs);
    bucket.at = now;
    if (bucket.tokens < 1) {
      this.buckets.set(key, bucket);
      const retryAfterSeconds = Math.ceil((1 - bucket.tokens) / this.perMs / 1000);
      throw new DomainError(
        'RATE_LIMITED',
        `查询过于频繁，请 ${retryAfterSeconds} 秒后再试`,
        `too many lookups from this address; try again in ${retryAfterSeconds} s`,
        undefined,
        { retryAfterSeconds },
      );
    }
    bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    if (this.buckets.size > MAX_BUCKETS) this.dropFull(now);
  }

  private dropFull(now: number): void {
    for (const [key, b] of this.buckets) if (b.tokens + (now - b.at) * this.perMs >= this.capacity) this.buckets.delete(key);
  }
}

/**
 * The client's address. Behind the province's own reverse proxy (on the same host) the request
 * comes from loopback and the proxy appends the client to X-Forwarded-For: its last entry is the
 * one the proxy saw. From anywhere else the header is the caller's word and is ignored.
 */
export function clientAddress(req: Request): string {
  const peer = req.socket.remoteAddress ?? 'unknown';
  const forwarded = req.headers['x-forwarded-for'];
  if (LOOPBACK.has(peer) && forwarded) {
    const last = (Array.isArray(forwarded) ? forwarded.join(',') : forwarded).split(',').pop()?.trim();
    if (last) return last;
  }
  return peer;
}
