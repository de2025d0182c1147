// The defaults the options schema applies (paymnt-options.schema.ts), public as they are documented.
// Kept apart from the schema so the published types of the module never import zod.

/** Default values of the module's own options (the client's are in `DEFAULT_CLIENT_OPTIONS`). */
export const DEFAULT_PAYMNT_MODULE_OPTIONS = {
  leaseMs: 60_000,
  dedupeTtlMs: 25 * 60 * 60 * 1000,
  publishServiceEvents: true,
} as const;

/** Default values of `webhook.intake`. */
export const DEFAULT_PAYMNT_INTAKE_OPTIONS = {
  queueName: 'paymnt-webhooks',
  prefix: 'bull',
  attempts: 8,
  backoffMs: 1000,
  concurrency: 5,
  worker: true,
  enqueueTimeoutMs: 2000,
  closeTimeoutMs: 10_000,
} as const;

/** Default values of `reconciliation`. */
export const DEFAULT_PAYMNT_RECONCILIATION_OPTIONS = {
  statuses: ['requires_customer_action', 'requires_merchant_action', 'processing', 'partially_captured_and_processing'],
  maxAgeMs: 24 * 60 * 60 * 1000,
  batchSize: 100,
} as const;

/** Default values of `health`. */
export const DEFAULT_PAYMNT_HEALTH_OPTIONS = {
  apiCacheMs: 5000,
  timeoutMs: 3000,
  maxQueueDepth: 10_000,
  maxFailed: 100,
  maxDeadLetters: 0,
} as const;

/** Default values of `selfCheck`: every check on. */
export const DEFAULT_PAYMNT_SELF_CHECK_OPTIONS = {
  keyEnvironment: true,
  webhookSecret: true,
  rawBody: true,
  wildcardListeners: true,
} as const;

/** Default values of `telemetry`. */
export const DEFAULT_PAYMNT_TELEMETRY_OPTIONS = {
  enabled: true,
} as const;
