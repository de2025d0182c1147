import { createHash, randomUUID } from 'node:crypto';
import { PaymntConfigurationError } from '../errors/paymnt-configuration.error';
import { PaymntRedisTimeoutError } from '../errors/paymnt-redis-timeout.error';
import type { PaymntRedisClient } from '../redis/paymnt-redis.types';
import { withDeadline } from '../redis/with-deadline';
import type { PaymntClaimResult, PaymntClaimWithVersion, PaymntEventStore } from './paymnt-event.store';

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

// claim + getVersion in one command (KEYS[1] the claim, KEYS[2] the object's version): the version
// is only read, and returned, for a claim that was taken.
const CLAIM_WITH_VERSION = `
local current = redis.call('GET', KEYS[1])
if current == 'done' then return {'done'} end
if current == ARGV[1] then return {'claimed', redis.call('GET', KEYS[2])} end
if current then return {'in_progress'} end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return {'claimed', redis.call('GET', KEYS[2])}`;

// setVersion + complete in one atomic command (KEYS[1] the claim, KEYS[2] the version; ARGV[1] the TTL, ARGV[2] the version).
const COMPLETE_WITH_VERSION = `
local current = tonumber(redis.call('GET', KEYS[2]))
if current == nil or tonumber(ARGV[2]) > current then redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[1]) end
redis.call('SET', KEYS[1], 'done', 'PX', ARGV[1])
return 0`;

interface Script {
  source: string;
  sha: string;
}

function script(source: string): Script {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

const SCRIPTS = {
  claim: script(CLAIM),
  release: script(RELEASE),
  setVersion: script(SET_VERSION),
  claimWithVersion: script(CLAIM_WITH_VERSION),
  completeWithVersion: script(COMPLETE_WITH_VERSION),
};

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

  constructor(
    private readonly redis: PaymntRedisClient,
    options: RedisEventStoreOptions = {},
  ) {
    if (redis === null || typeof redis !== 'object' || typeof redis.evalsha !== 'function') {
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
  }

  async claim(key: string, leaseMs: number): Promise<PaymntClaimResult> {
    const token = randomUUID();
    const pending = this.run(SCRIPTS.claim, this.claimKey(key), token, leaseMs) as Promise<PaymntClaimResult>;
    const result = await this.bounded('claim', pending, () => this.releaseLateLease(key, token, pending));
    if (result === 'claimed') this.leases.set(key, token);
    return result;
  }

  async complete(key: string, ttlMs: number): Promise<void> {
    await this.bounded('complete', this.redis.set(this.claimKey(key), 'done', 'PX', ttlMs));
    // Forgotten only once done: if it failed, a release() still drops this instance's lease.
    this.leases.delete(key);
  }

  async release(key: string): Promise<void> {
    const token = this.leases.get(key);
    if (token === undefined) return;
    this.leases.delete(key);
    await this.bounded('release', this.run(SCRIPTS.release, this.claimKey(key), token));
  }

  async getVersion(objectKey: string): Promise<number | undefined> {
    const value = await this.bounded('getVersion', this.redis.get(this.versionKey(objectKey)));
    return value === null ? undefined : Number(value);
  }

  async setVersion(objectKey: string, version: number, ttlMs: number): Promise<void> {
    await this.bounded('setVersion', this.run(SCRIPTS.setVersion, this.versionKey(objectKey), version, ttlMs));
  }

  async claimWithVersion(key: string, leaseMs: number, objectKey?: string): Promise<PaymntClaimWithVersion> {
    if (objectKey === undefined) return { claim: await this.claim(key, leaseMs), version: undefined };
    if (!this.multiKeyScripts) {
      const claim = await this.claim(key, leaseMs);
      if (claim !== 'claimed') return { claim, version: undefined };
      try {
        return { claim, version: await this.getVersion(objectKey) };
      } catch (error) {
        await this.release(key).catch(() => undefined);
        throw error;
      }
    }
    const token = randomUUID();
    const pending = this.run(SCRIPTS.claimWithVersion, [this.claimKey(key), this.versionKey(objectKey)], token, leaseMs) as Promise<
      [PaymntClaimResult, string | null | undefined]
    >;
    const [claim, version] = await this.bounded('claimWithVersion', pending, () => this.releaseLateLease(key, token, pending));
    if (claim !== 'claimed') return { claim, version: undefined };
    this.leases.set(key, token);
    return { claim, version: version === null || version === undefined ? undefined : Number(version) };
  }

  async completeWithVersion(key: string, ttlMs: number, objectKey?: string, version?: number): Promise<void> {
    if (objectKey === undefined || version === undefined) return this.complete(key, ttlMs);
    if (!this.multiKeyScripts) {
      await this.setVersion(objectKey, version, ttlMs);
      return this.complete(key, ttlMs);
    }
    await this.bounded('completeWithVersion', this.run(SCRIPTS.completeWithVersion, [this.claimKey(key), this.versionKey(objectKey)], ttlMs, version));
    // Forgotten only once done: if the script failed, a release() still drops this instance's lease.
    this.leases.delete(key);
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
    const release = (): Promise<unknown> => this.run(SCRIPTS.release, this.claimKey(key), token);
    claim.then(release, release).catch(() => undefined);
  }

  /** EVALSHA, loading the script on the first NOSCRIPT (after a Redis restart, for instance). */
  private async run(s: Script, keys: string | readonly string[], ...args: Array<string | number>): Promise<unknown> {
    const list = typeof keys === 'string' ? [keys] : keys;
    try {
      return await this.redis.evalsha(s.sha, list.length, ...list, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return this.redis.eval(s.source, list.length, ...list, ...args);
    }
  }
}
