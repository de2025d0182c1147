/** Names of the metrics the module records (`telemetry`); durations in milliseconds. */
export const PaymntTelemetryNames = {
  /** Histogram: each API attempt, by `http.request.method`, `http.route` (template) and `http.response.status_code`. */
  API_DURATION: 'paymnt.api.request.duration',
  /** Counter: API attempts that failed, by route, status and `error.type`. */
  API_ERRORS: 'paymnt.api.request.errors',
  /** Counters of webhooks, by `paymnt.event.type` once verified. */
  WEBHOOKS_RECEIVED: 'paymnt.webhooks.received',
  WEBHOOKS_VERIFIED: 'paymnt.webhooks.verified',
  /** By `paymnt.webhook.reason` (`no_match`, `missing_header`, `malformed_payload`...). */
  WEBHOOKS_REJECTED: 'paymnt.webhooks.rejected',
  WEBHOOKS_DUPLICATE: 'paymnt.webhooks.duplicate',
  WEBHOOKS_FAILED: 'paymnt.webhooks.failed',
  /** Histogram: publishing a verified webhook (claim, handlers, record), by event type and `paymnt.webhook.outcome`. */
  HANDLER_DURATION: 'paymnt.webhook.handler.duration',
  /** Observable gauge: durable intake jobs by `paymnt.intake.state` (waiting, delayed, active, failed, dead_letter). */
  INTAKE_QUEUE_DEPTH: 'paymnt.intake.queue.depth',
} as const;
