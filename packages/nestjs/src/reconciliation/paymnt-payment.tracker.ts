/** A watched payment, as `PaymntPaymentTracker.due()` returns it. */
export interface PaymntTrackedPayment {
  readonly paymentId: string;
  /** When it was first seen pending (epoch milliseconds). */
  readonly trackedAt: number;
}

/**
 * Where `PaymntReconciliationService` keeps the payments it watches: each with the time it was
 * first seen pending and the time it is next due for a check. Implementations:
 * `MemoryPaymentTracker` (one process, the default) and `RedisPaymentTracker` (shared by instances).
 */
export interface PaymntPaymentTracker {
  /** Watches `paymentId`, next due at `dueAt`; keeps its first `trackedAt` when already watched. */
  track(paymentId: string, dueAt: number, now: number): Promise<void>;
  /** The payments due at `now` (oldest due first), at most `limit`. */
  due(now: number, limit: number): Promise<PaymntTrackedPayment[]>;
  /** Stops watching `paymentId`. */
  untrack(paymentId: string): Promise<void>;
  /** How many payments are watched. */
  size(): Promise<number>;
}
