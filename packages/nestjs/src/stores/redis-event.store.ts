import { randomUUID } from 'node:crypto';
import { PaymntConfigurationError } from '../errors/paymnt-configuration.error';
import { PaymntRedisTimeoutError } from '../errors/paymnt-redis-timeout.error';
import { defineRedisScript, type PaymntRedisScript } from '../redis/define-redis-script';
import type { PaymntRedisClient } from '../redis/paymnt-redis.types';
import { withDeadline } from '../redis/with-deadline';
import type { PaymntClaim, PaymntClaimStatus, PaymntEventStore } from './paymnt-event.store';

/** Options of `new RedisEventStore(redis, options)`. */
export interface RedisEventStoreOptions {
  /**
   * Prepended to every key, so several apps (or test runs) can share one Redis.
   * @default 'paymnt:'
   */
  keyPrefix?: string;
  /**
   * Deadline of each store operation, in milliseconds: past it the operation rejects with
   * `PaymntRedisTimeoutError` (a webhook is then answered 503 and delivered again), whatever the
   * ioredis client's own settings. With ioredis' defaults a command waits while Redis is down
   * (offline queue, 20 reconnection attempts): also give the client `commandTimeout`, or
   * `maxRetriesPerRequest: 1` / `enableOfflineQueue: false`, so commands fail fast rather than
   * pile up. A command that timed out may still run when Redis answers again; a lease it took is
   * then released.
   * @default 2000
   */
  commandTimeoutMs?: number;
}

/** Default values of `RedisEventStoreOptions`. */
export const DEFAULT_REDIS_EVENT_STORE_OPTIONS = {
  keyPrefix: 'paymnt:',
  commandTimeoutMs: 2000,
} as const;

const MAX_TIMER_MS = 2_147_483_647;

// A lease holds a random token; completion overwrites it with "done". Read and write happen in one
// script so two instances cannot both claim the same key. Finding its own token is a claim: ioredis
// sends a command again after a reconnection when its answer was lost, though Redis had run it.
const CLAIM = `
local current = redis.call('GET', KEYS[1])
if current == 'done' then return 'done' end
if current == ARGV[1] then return 'claimed' end
if current then return 'in_progress' end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 'claimed'`;

// Only the lease's owner may drop it: after a lease expired and another instance claimed the key,
// the first one's late release must not free the second one's lease.
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0`;

const SET_VERSION = `
local current = tonumber(redis.call('GET', KEYS[1]))
if current == nil or tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
return 0`;

// CLAIM that also returns the object's version (KEYS[2]) for a claim taken.
const CLAIM_WITH_VERSION = `
local current = redis.call('GET', KEYS[1])
if current == 'done' then return {'done'} end
if current == ARGV[1] then return {'claimed', redis.call('GET', KEYS[2])} end
if current then return {'in_progress'} end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return {'claimed', redis.call('GET', KEYS[2])}`;

// SET_VERSION and completion in one atomic command (KEYS[1] the claim, KEYS[2] the version; ARGV[1] the TTL, ARGV[2] the version).
const COMPLETE_WITH_VERSION = `
local current = tonumber(redis.call('GET', KEYS[2]))
if current == nil or tonumber(ARGV[2]) > current then redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[1]) end
redis.call('SET', KEYS[1], 'done', 'PX', ARGV[1])
return 0`;

/**
 * `PaymntEventStore` on Redis (ioredis), for apps running several instances: a claim is an atomic
 * `SET` of a lease token with a `PX` expiry, so one instance runs an event's handlers while the
 * others answer "in progress", and a crashed instance's lease expires so a redelivery can run it.
 *
 * A webhook costs two commands: claim and read the object's version in one script, then record the
 * version and complete in another. On a Redis Cluster, where the two keys of a script may live on
 * different nodes, each step is two commands instead.
 *
 * Every operation has a deadline (`commandTimeoutMs`, default 2 s): a Redis that is down or frozen
 * makes it reject with `PaymntRedisTimeoutError` instead of waiting.
 *
 * The store does not own the connection: close it yourself on shutdown.
 */
export class RedisEventStore implements PaymntEventStore {
  private readonly keyPrefix: string;
  private readonly commandTimeoutMs: number;
  /** Lease tokens this instance holds, by key. */
  private readonly leases = new Map<string, string>();
  /** Scripts over two keys (claim and version) need both on one node: not so on a Cluster. */
  private readonly multiKeyScripts: boolean;
  private readonly scripts: Record<'claim' | 'release' | 'setVersion' | 'claimWithVersion' | 'completeWithVersion', PaymntRedisScript>;

  constructor(
    private readonly redis: PaymntRedisClient,
    options: RedisEventStoreOptions = {},
  ) {
    if (redis === null || typeof redis !== 'object' || typeof redis.defineCommand !== 'function') {
      throw new TypeError('RedisEventStore: the first argument must be an ioredis client (new Redis(...))');
    }
    this.keyPrefix = options.keyPrefix ?? DEFAULT_REDIS_EVENT_STORE_OPTIONS.keyPrefix;
    const timeout = options.commandTimeoutMs ?? DEFAULT_REDIS_EVENT_STORE_OPTIONS.commandTimeoutMs;
    if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 1 || timeout > MAX_TIMER_MS) {
      throw new PaymntConfigurationError(
        'RedisEventStore commandTimeoutMs',
        `must be an integer between 1 and ${MAX_TIMER_MS} (milliseconds)`,
        `RedisEventStore: invalid option "commandTimeoutMs": must be an integer between 1 and ${MAX_TIMER_MS} (milliseconds)`,
      );
    }
    this.commandTimeoutMs = timeout;
    this.multiKeyScripts = (redis as { isCluster?: boolean }).isCluster !== true;
    this.scripts = {
      claim: defineRedisScript(redis, 'paymntClaim', 1, CLAIM),
      release: defineRedisScript(redis, 'paymntRelease', 1, RELEASE),
      setVersion: defineRedisScript(redis, 'paymntSetVersion', 1, SET_VERSION),
      claimWithVersion: defineRedisScript(redis, 'paymntClaimWithVersion', 2, CLAIM_WITH_VERSION),
      completeWithVersion: defineRedisScript(redis, 'paymntCompleteWithVersion', 2, COMPLETE_WITH_VERSION),
    };
  }

  async claim(key: string, leaseMs: number, objectKey?: string): Promise<PaymntClaim> {
    const token = randomUUID();
    const twoKeys = objectKey !== undefined && this.multiKeyScripts;
    const pending = (
      twoKeys
        ? this.scripts.claimWithVersion(this.claimKey(key), this.versionKey(objectKey), token, leaseMs)
        : this.scripts.claim(this.claimKey(key), token, leaseMs).then((status) => [status])
    ) as Promise<[PaymntClaimStatus, (string | null)?]>;
    const [status, stored] = await this.bounded('claim', pending, () => this.releaseLateLease(key, token, pending));
    if (status !== 'claimed') return { status, version: undefined };
    this.leases.set(key, token);
    if (twoKeys || objectKey === undefined) return { status, version: toVersion(stored) };
    // On a Cluster the version may live on another node: read it on its own, and give the lease
    // back if that fails, since the caller only learns that the claim failed.
    try {
      return { status, version: toVersion(await this.bounded('claim', this.redis.get(this.versionKey(objectKey)))) };
    } catch (error) {
      await this.release(key).catch(() => undefined);
      throw error;
    }
  }

  async complete(key: string, ttlMs: number, objectKey?: string, version?: number): Promise<void> {
    if (objectKey === undefined || version === undefined) {
      await this.bounded('complete', this.redis.set(this.claimKey(key), 'done', 'PX', ttlMs));
    } else if (this.multiKeyScripts) {
      await this.bounded('complete', this.scripts.completeWithVersion(this.claimKey(key), this.versionKey(objectKey), ttlMs, version));
    } else {
      await this.bounded('complete', this.scripts.setVersion(this.versionKey(objectKey), version, ttlMs));
      await this.bounded('complete', this.redis.set(this.claimKey(key), 'done', 'PX', ttlMs));
    }
    // Forgotten only once done: if it failed, a release() still drops this instance's lease.
    this.leases.delete(key);
  }

  async release(key: string): Promise<void> {
    const token = this.leases.get(key);
    if (token === undefined) return;
    this.leases.delete(key);
    await this.bounded('release', this.scripts.release(this.claimKey(key), token));
  }

  /** One `PING` (a `GET` on clients without it), within `commandTimeoutMs`: what `PaymntHealthIndicator` asks. */
  async ping(): Promise<void> {
    const redis = this.redis as PaymntRedisClient & { ping?: () => Promise<unknown> };
    await this.bounded('ping', typeof redis.ping === 'function' ? redis.ping() : redis.get(`${this.keyPrefix}ping`));
  }

  protected claimKey(key: string): string {
    return `${this.keyPrefix}claim:${key}`;
  }

  protected versionKey(objectKey: string): string {
    return `${this.keyPrefix}version:${objectKey}`;
  }

  /** `command`, or `PaymntRedisTimeoutError` after `commandTimeoutMs`; `onTimeout` runs when the deadline passed. */
  private bounded<T>(operation: string, command: Promise<T>, onTimeout?: () => void): Promise<T> {
    return withDeadline(command, this.commandTimeoutMs, () => {
      onTimeout?.();
      return new PaymntRedisTimeoutError(operation, this.commandTimeoutMs, 'RedisEventStore commandTimeoutMs');
    });
  }

  /**
   * A claim that timed out was answered as a failure (503): nobody runs the handlers under its
   * token. Redis may still have taken it, or take it later (ioredis' offline queue, a frozen server
   * resuming), whatever the command's own outcome: once it settled, drop a lease holding that token
   * rather than let it hold the key for leaseMs.
   */
  private releaseLateLease(key: string, token: string, claim: Promise<unknown>): void {
    const release = (): Promise<unknown> => this.scripts.release(this.claimKey(key), token);
    claim.then(release, release).catch(() => undefined);
  }
}

function toVersion(stored: string | null | undefined): number | undefined {
  return stored === null || stored === undefined ? undefined : Number(stored);
}
