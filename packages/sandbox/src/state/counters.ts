/** Running totals, for tests and benchmarks (read them through `sb.state.counters`). */
export interface SandboxCounters {
  /** HTTP requests received (all routes). */
  requests: number;
  /** Faults injected (any kind). */
  faultsInjected: number;
  /** Responses replayed from an Idempotency-Key record. */
  idempotentReplays: number;
  /** 409s for a reused (mismatched or in-flight) Idempotency-Key. */
  idempotencyConflicts: number;
  paymentsCreated: number;
  refundsCreated: number;
  /** Webhook events created (initial events, after de-duplication). */
  webhookEvents: number;
  /** Webhook HTTP delivery attempts (initial, automatic and manual retries). */
  webhookAttempts: number;
  /** Attempts answered with a 2xx. */
  webhookDeliveries: number;
  /** Attempts that failed (non-2xx, network error, timeout). */
  webhookFailures: number;
  /** Unexpected exceptions turned into 500 HE_00 (each one is a sandbox bug). */
  internalErrors: number;
}

export function newCounters(): SandboxCounters {
  return {
    requests: 0,
    faultsInjected: 0,
    idempotentReplays: 0,
    idempotencyConflicts: 0,
    paymentsCreated: 0,
    refundsCreated: 0,
    webhookEvents: 0,
    webhookAttempts: 0,
    webhookDeliveries: 0,
    webhookFailures: 0,
    internalErrors: 0,
  };
}
