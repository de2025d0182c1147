/**
 * What `claim()` found:
 * - `claimed`: the caller now holds a processing lease; it runs the handlers, then calls
 *   `complete()` (success) or `release()` (failure);
 * - `done`: the key was completed within its TTL: a duplicate, acknowledge without running anything;
 * - `in_progress`: someone else holds a live lease: do not acknowledge yet (the API retries later).
 */
export type PaymntClaimStatus = 'claimed' | 'done' | 'in_progress';

/** The answer of `claim()`. */
export interface PaymntClaim {
  readonly status: PaymntClaimStatus;
  /**
   * The last version (epoch milliseconds) recorded for the `objectKey` given to `claim()`;
   * `undefined` when none is recorded, no `objectKey` was given, or `status` is not `'claimed'`.
   */
  readonly version: number | undefined;
}

/**
 * Where the module records which domain events were already published (de-duplication with a
 * processing lease) and the last applied version of each object (ordering). Keys are short strings
 * such as `pay_123:payment_succeeded`; object keys look like `payment:pay_123`.
 *
 * One webhook is one `claim()`, then `complete()` or `release()`: a remote store can answer each in
 * one round trip.
 *
 * Implementations: `MemoryEventStore` (one process, the default) and `RedisEventStore` (several
 * instances). A custom store must make `claim()` atomic: two concurrent claims of one key may
 * not both get `claimed`.
 */
export interface PaymntEventStore {
  /**
   * Takes a processing lease on `key` for `leaseMs` unless it is done or leased. For a claim taken,
   * also reads the version recorded for `objectKey` when one is given. If it fails after taking
   * the lease, it drops the lease before rejecting.
   */
  claim(key: string, leaseMs: number, objectKey?: string): Promise<PaymntClaim>;
  /**
   * Marks `key` done for `ttlMs` (later claims get `done`). With `objectKey` and `version`, first
   * records `version` for `objectKey` for `ttlMs`, unless a newer one is already recorded.
   */
  complete(key: string, ttlMs: number, objectKey?: string, version?: number): Promise<void>;
  /** Drops this caller's lease on `key` so a redelivery can claim it again; a completed key stays done. */
  release(key: string): Promise<void>;
  /**
   * Optional: resolves when the store answers (one round trip), rejects otherwise. Used by
   * `PaymntHealthIndicator`; a store without it (in-process) counts as up.
   */
  ping?(): Promise<void>;
}
