import { defineRedisScript, type PaymntRedisScript } from '../redis/define-redis-script';
import type { PaymntRedisClient } from '../redis/paymnt-redis.types';
import type { PaymntPaymentTracker, PaymntTrackedPayment } from './paymnt-payment.tracker';

/** Options of `RedisPaymentTracker`. */
export interface RedisPaymentTrackerOptions {
  /**
   * Prefix of the two keys it uses (`<prefix>reconcile:due`, a sorted set, and `<prefix>reconcile:since`, a hash).
   * @default 'paymnt:'
   */
  keyPrefix?: string;
  /**
   * How long a payment handed out by `due()` is kept from other instances' passes, in milliseconds.
   * @default 60000
   */
  leaseMs?: number;
}

// Takes up to ARGV[2] members due at ARGV[1] and moves their due time to ARGV[3] (a lease).
const TAKE_DUE = `
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local out = {}
for _, id in ipairs(ids) do
  redis.call('ZADD', KEYS[1], 'XX', ARGV[3], id)
  table.insert(out, id)
  table.insert(out, redis.call('HGET', KEYS[2], id) or ARGV[1])
end
return out`;

// Both keys change in one script, so a payment is never due without its first-seen time.
const TRACK = `
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSETNX', KEYS[2], ARGV[2], ARGV[3])
return 0`;

const UNTRACK = `
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return 0`;

/**
 * A `PaymntPaymentTracker` on Redis, shared by every instance: a payment created by one instance
 * is reconciled by whichever runs a pass. `due()` hands each payment to one caller at a time by
 * pushing its due time forward atomically (a lease), so instances do not fetch the same payment
 * at once. The tracker does not own the connection: `redis.quit()` on shutdown.
 */
export class RedisPaymentTracker implements PaymntPaymentTracker {
  private readonly dueKey: string;
  private readonly sinceKey: string;
  private readonly leaseMs: number;
  private readonly scripts: Record<'takeDue' | 'track' | 'untrack', PaymntRedisScript>;

  constructor(
    private readonly redis: PaymntRedisClient,
    options: RedisPaymentTrackerOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 60_000;
    const prefix = options.keyPrefix ?? 'paymnt:';
    this.dueKey = `${prefix}reconcile:due`;
    this.sinceKey = `${prefix}reconcile:since`;
    this.scripts = {
      takeDue: defineRedisScript(redis, 'paymntTakeDue', 2, TAKE_DUE),
      track: defineRedisScript(redis, 'paymntTrack', 2, TRACK),
      untrack: defineRedisScript(redis, 'paymntUntrack', 2, UNTRACK),
    };
  }

  async track(paymentId: string, dueAt: number, now: number): Promise<void> {
    await this.scripts.track(this.dueKey, this.sinceKey, dueAt, paymentId, String(now));
  }

  async due(now: number, limit: number): Promise<PaymntTrackedPayment[]> {
    const flat = (await this.scripts.takeDue(this.dueKey, this.sinceKey, now, limit, now + this.leaseMs)) as string[];
    const due: PaymntTrackedPayment[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) due.push({ paymentId: flat[i]!, trackedAt: Number(flat[i + 1]) });
    return due;
  }

  async untrack(paymentId: string): Promise<void> {
    await this.scripts.untrack(this.dueKey, this.sinceKey, paymentId);
  }

  async size(): Promise<number> {
    return this.redis.zcard(this.dueKey);
  }
}
