import { createHash, randomUUID } from 'node:crypto';
import type { PaymntRedisClient } from '../redis/paymnt-redis.types';
import type { PaymntClaimResult, PaymntClaimWithVersion, PaymntEventStore } from './paymnt-event.store';

/** Options of `new RedisEventStore(redis, options)`. */
export interface RedisEventStoreOptions {
  /**
   * Prepended to every key, so several apps (or test runs) can share one Redis.
   * @default 'paymnt:'
   */
  keyPrefix?: string;
}

// A lease holds a random token; completion overwrites it with "done". Read and write happen in one
// script so two instances cannot both claim the same key.
const CLAIM = `
local current = redis.call('GET', KEYS[1])
if current == 'done' then return 'done' end
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
 * The store does not own the connection: close it yourself on shutdown.
 */
export class RedisEventStore implements PaymntEventStore {
  private readonly keyPrefix: string;
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
    this.keyPrefix = options.keyPrefix ?? 'paymnt:';
    this.multiKeyScripts = (redis as { isCluster?: boolean }).isCluster !== true;
  }

  async claim(key: string, leaseMs: number): Promise<PaymntClaimResult> {
    const token = randomUUID();
    const result = (await this.run(SCRIPTS.claim, this.claimKey(key), token, leaseMs)) as PaymntClaimResult;
    if (result === 'claimed') this.leases.set(key, token);
    return result;
  }

  async complete(key: string, ttlMs: number): Promise<void> {
    this.leases.delete(key);
    await this.redis.set(this.claimKey(key), 'done', 'PX', ttlMs);
  }

  async release(key: string): Promise<void> {
    const token = this.leases.get(key);
    if (token === undefined) return;
    this.leases.delete(key);
    await this.run(SCRIPTS.release, this.claimKey(key), token);
  }

  async getVersion(objectKey: string): Promise<number | undefined> {
    const value = await this.redis.get(this.versionKey(objectKey));
    return value === null ? undefined : Number(value);
  }

  async setVersion(objectKey: string, version: number, ttlMs: number): Promise<void> {
    await this.run(SCRIPTS.setVersion, this.versionKey(objectKey), version, ttlMs);
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
    const [claim, version] = (await this.run(SCRIPTS.claimWithVersion, [this.claimKey(key), this.versionKey(objectKey)], token, leaseMs)) as [
      PaymntClaimResult,
      string | null | undefined,
    ];
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
    await this.run(SCRIPTS.completeWithVersion, [this.claimKey(key), this.versionKey(objectKey)], ttlMs, version);
    // Forgotten only once done: if the script failed, a release() still drops this instance's lease.
    this.leases.delete(key);
  }

  protected claimKey(key: string): string {
    return `${this.keyPrefix}claim:${key}`;
  }

  protected versionKey(objectKey: string): string {
    return `${this.keyPrefix}version:${objectKey}`;
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
