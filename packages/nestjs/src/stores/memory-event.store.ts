import type { PaymntClaim, PaymntEventStore } from './paymnt-event.store';

/** Options of `new MemoryEventStore()`. */
export interface MemoryEventStoreOptions {
  /**
   * Most keys kept in each of the two maps (claims, versions). When one is full, the least
   * recently written 10% are evicted.
   * @default 10000
   */
  maxEntries?: number;
}

const SWEEP_INTERVAL_MS = 1000;

interface ClaimEntry {
  done: boolean;
  expiresAt: number;
}

interface VersionEntry {
  version: number;
  expiresAt: number;
}

/**
 * In-process `PaymntEventStore`, the default. Bounded in time (every entry expires: leases after
 * `leaseMs`, completed keys after the de-duplication TTL) and in size (`maxEntries`, least recently
 * written evicted first). It only de-duplicates within one process: use `RedisEventStore` when
 * several instances receive webhooks.
 */
export class MemoryEventStore implements PaymntEventStore {
  private readonly maxEntries: number;
  // Map iteration follows insertion order, and every write re-inserts: the first key is the least recently written.
  private readonly claims = new Map<string, ClaimEntry>();
  private readonly versions = new Map<string, VersionEntry>();
  private nextSweepAt = 0;

  constructor(options: MemoryEventStoreOptions = {}) {
    const maxEntries = options.maxEntries ?? 10_000;
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError('MemoryEventStore: maxEntries must be a positive integer');
    }
    this.maxEntries = maxEntries;
  }

  async claim(key: string, leaseMs: number, objectKey?: string): Promise<PaymntClaim> {
    const now = Date.now();
    const entry = this.claims.get(key);
    if (entry !== undefined && entry.expiresAt > now) return { status: entry.done ? 'done' : 'in_progress', version: undefined };
    this.write(this.claims, key, { done: false, expiresAt: now + leaseMs }, now, entry !== undefined);
    return { status: 'claimed', version: objectKey === undefined ? undefined : this.versionAt(objectKey, now) };
  }

  async complete(key: string, ttlMs: number, objectKey?: string, version?: number): Promise<void> {
    const now = Date.now();
    if (objectKey !== undefined && version !== undefined) this.setVersionAt(objectKey, version, ttlMs, now);
    this.write(this.claims, key, { done: true, expiresAt: now + ttlMs }, now);
  }

  async release(key: string): Promise<void> {
    const entry = this.claims.get(key);
    if (entry !== undefined && !entry.done) this.claims.delete(key);
  }

  /** Number of keys held (claims and versions), expired ones included until evicted. */
  get size(): number {
    return this.claims.size + this.versions.size;
  }

  private versionAt(objectKey: string, now: number): number | undefined {
    const entry = this.versions.get(objectKey);
    return entry !== undefined && entry.expiresAt > now ? entry.version : undefined;
  }

  private setVersionAt(objectKey: string, version: number, ttlMs: number, now: number): void {
    const entry = this.versions.get(objectKey);
    if (entry !== undefined && entry.expiresAt > now && entry.version >= version) return;
    this.write(this.versions, objectKey, { version, expiresAt: now + ttlMs }, now, entry !== undefined);
  }

  /** `present: false` when the caller just saw that `key` is not in `map` (no need to delete it first). */
  private write<V extends { expiresAt: number }>(map: Map<string, V>, key: string, value: V, now: number, present = true): void {
    // Deleted first so that the key moves to the end (the most recently written).
    if (present) map.delete(key);
    map.set(key, value);
    if (map.size > this.maxEntries || now >= this.nextSweepAt) this.sweep(now);
  }

  /**
   * Drops expired entries from the oldest end, and beyond `maxEntries` evicts down to 90% of it.
   * Runs at most once a second or when a map is full, never per write: iterating a Map from its
   * start after many deletions skips their holes, which made per-write eviction several times slower.
   */
  private sweep(now: number): void {
    this.nextSweepAt = now + SWEEP_INTERVAL_MS;
    const target = Math.max(1, Math.floor(this.maxEntries * 0.9));
    for (const map of [this.claims, this.versions] as Array<Map<string, { expiresAt: number }>>) {
      let excess = map.size > this.maxEntries ? map.size - target : 0;
      for (const [key, entry] of map) {
        if (excess <= 0 && entry.expiresAt > now) break;
        map.delete(key);
        excess--;
      }
    }
  }
}
