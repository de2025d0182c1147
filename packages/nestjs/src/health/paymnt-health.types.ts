/** The state of one part, as `@nestjs/terminus` reads it. */
export type PaymntHealthStatus = 'up' | 'down';

/** One part's state and what was measured (never a key, a secret or a Redis address). */
export interface PaymntHealthDetails {
  status: PaymntHealthStatus;
  [detail: string]: unknown;
}

/**
 * What `PaymntHealthIndicator` answers: `{ [key]: { status, ... } }`, the shape of terminus'
 * `HealthIndicatorResult`, so `HealthCheckService.check([() => paymnt.isHealthy('paymnt')])` takes
 * it as it is (a `down` status fails the check with 503). Declared here so apps without terminus
 * compile.
 */
export type PaymntHealthResult<Key extends string = string> = Record<Key, PaymntHealthDetails>;
