/**
 * What `claim()` found:
 * - `claimed`: the caller now holds a processing lease; it runs the handlers, then calls
 *   `complete()` (success) or `release()` (failure);
 * - `done`: the key was completed within its TTL: a duplicate, acknowledge without running anything;
 * - `in_progress`: someone else holds a live lease: do not acknowledge yet (the API retries later).
 */
export type PaymntClaimResult = 'claimed' | 'done' | 'in_progress';

/** What `claimWithVersion()` found: the claim, and the object's last recorded version. */
export interface PaymntClaimWithVersion {
  /** As `claim()`. */
  readonly claim: PaymntClaimResult;
  /**
   * As `getVersion(objectKey)`; `undefined` when no `objectKey` was given or none is recorded.
   * Only meaningful when `claim` is `'claimed'`.
   */
  readonly version: number | undefined;
}

/**
 * Where the module records which domain events were already published (de-duplication with a
 * processing lease) and the last applied version of each object (ordering). Keys are short strings
 * such as `pay_123:payment_succeeded`; object keys look like `payment:pay_123`.
 *
 * Implementations: `MemoryEventStore` (one process, the default) and `RedisEventStore` (several
 * instances). A custom store must make `claim()` atomic: two concurrent claims of one key may
 * not both get `claimed`.
 */
export interface PaymntEventStore {
  /** Takes a processing lease on `key` for `leaseMs` unless it is done or leased. */
  claim(key: string, leaseMs: number): Promise<PaymntClaimResult>;
  /** Marks `key` done for `ttlMs` (later claims get `done`). */
  complete(key: string, ttlMs: number): Promise<void>;
  /** Drops this caller's lease on `key` so a redelivery can claim it again. */
  release(key: string): Promise<void>;
  /** The last version (epoch milliseconds) recorded for `objectKey`, if any. */
  getVersion(objectKey: string): Promise<number | undefined>;
  /** Records `version` for `objectKey` for `ttlMs`, unless a newer one is already recorded. */
  setVersion(objectKey: string, version: number, ttlMs: number): Promise<void>;
  /**
   * Optional, for speed: `claim(key, leaseMs)` and, when `objectKey` is given, `getVersion(objectKey)`
   * in one call (one round trip to a remote store). It may answer synchronously. Without it, the
   * module calls `claim()`, then `getVersion()`.
   */
  claimWithVersion?(key: string, leaseMs: number, objectKey?: string): PaymntClaimWithVersion | Promise<PaymntClaimWithVersion>;
  /**
   * Optional, for speed: `setVersion(objectKey, version, ttlMs)` when both are given, then
   * `complete(key, ttlMs)`, in one call. It may answer synchronously. Without it, the module calls
   * `setVersion()`, then `complete()`.
   */
  completeWithVersion?(key: string, ttlMs: number, objectKey?: string, version?: number): void | Promise<void>;
}
