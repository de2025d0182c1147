import type { Type } from '@nestjs/common';
import type { PaymentStatus, PaymntClientOptions } from '@paymnt/client';
import type { PaymntPaymentTracker } from '../reconciliation/paymnt-payment.tracker';
import type { PaymntRedisConnection } from '../redis/paymnt-redis.types';
import type { PaymntEventStore } from '../stores/paymnt-event.store';
import type { PaymntWebhookProcessor } from '../webhook/paymnt-webhook.processor';

// The options as users read them. They are validated and defaulted by the schema in
// paymnt-options.schema.ts: a new option is a property here (with its doc comment) and an entry
// there; the build fails until both agree. The resolved types below are derived from these.

/**
 * Durable intake (`webhook.intake`): verified webhooks are enqueued on BullMQ (job id = the
 * event's `event_id`) and answered 2xx at once; workers publish them with retries, exponential
 * backoff and a dead-letter queue. Needs the `bullmq` package (loaded only when this is set).
 */
export interface PaymntIntakeOptions {
  /**
   * The Redis connection: ioredis options (the module opens and closes its own connections), or an
   * ioredis instance created with `maxRetriesPerRequest: null` (shared; you close it). No ioredis
   * `keyPrefix`: use `prefix`.
   */
  connection: PaymntRedisConnection;
  /**
   * BullMQ queue name of the webhook events.
   * @default 'paymnt-webhooks' (`'paymnt-webhooks-<name>'` for a named instance)
   */
  queueName?: string;
  /**
   * Queue of the events whose attempts ran out (replay them with `PaymntIntakeService.replayDeadLetters()`).
   * @default `${queueName}-dead-letters`
   */
  deadLetterQueueName?: string;
  /**
   * BullMQ key prefix.
   * @default 'bull'
   */
  prefix?: string;
  /**
   * Attempts per event (the first one included) before it goes to the dead-letter queue.
   * @default 8
   */
  attempts?: number;
  /**
   * First retry delay in milliseconds; it doubles at each attempt (BullMQ's exponential backoff).
   * @default 1000
   */
  backoffMs?: number;
  /**
   * Events one worker handles at once (ordering of one object is kept by the event store's versions).
   * @default 5
   */
  concurrency?: number;
  /**
   * Run a worker in this instance. `false` for instances that only receive webhooks.
   * @default true
   */
  worker?: boolean;
  /**
   * How long the webhook route waits for Redis to take an event, in milliseconds. Past it the
   * webhook is answered 503 `store_unavailable` and the API delivers it again (the job id is the
   * `event_id`, so an enqueue that lands late adds nothing twice).
   * @default 2000
   */
  enqueueTimeoutMs?: number;
  /**
   * How long `app.close()` waits for running jobs and for Redis to answer, in milliseconds, before
   * it closes the intake's connections without waiting (a job cut short is run again by a worker
   * once its lock expires; the event store makes that a duplicate if its handlers had succeeded).
   * When Redis is already unreachable at shutdown, it does not wait at all.
   * @default 10000
   */
  closeTimeoutMs?: number;
}

/** `webhook.intake` after validation: every option given or defaulted (`deadLetterQueueName` from `queueName`). */
export type ResolvedPaymntIntakeOptions = Readonly<Required<PaymntIntakeOptions>>;

/**
 * Reconciliation (`reconciliation`): payments created or changed through `PaymentsService` that
 * stay in one of `statuses` longer than `pendingAfterMs` are fetched with `force_sync: true` and
 * the event of their status published, so a webhook that never arrives cannot leave an order stuck.
 */
export interface PaymntReconciliationOptions {
  /** How long a payment may stay pending before it is fetched again, in milliseconds (also the delay between two checks of it). */
  pendingAfterMs: number;
  /**
   * Run a pass every `intervalMs` (an unref'd timer, cleared on shutdown). Without it, call
   * `PaymntReconciliationService.reconcileNow()` yourself (e.g. from a cron job).
   * @default undefined (no timer)
   */
  intervalMs?: number;
  /**
   * The statuses that are watched: those the API leaves on its own (customer, processor).
   * @default ['requires_customer_action', 'requires_merchant_action', 'processing', 'partially_captured_and_processing']
   */
  statuses?: PaymentStatus[];
  /**
   * Stop watching a payment this long after it was first seen pending, in milliseconds.
   * @default 86400000 (24 hours)
   */
  maxAgeMs?: number;
  /**
   * Payments fetched per pass at most (the oldest due first).
   * @default 100
   */
  batchSize?: number;
  /**
   * Where watched payments are kept. Use a `RedisPaymentTracker` when several instances share the work.
   * @default new MemoryPaymentTracker()
   */
  tracker?: PaymntPaymentTracker;
}

/** `reconciliation` after validation: every option given or defaulted. */
export interface ResolvedPaymntReconciliationOptions extends Readonly<Required<Omit<PaymntReconciliationOptions, 'intervalMs'>>> {
  /** `undefined`: no timer (`reconcileNow()` is called by the app). */
  readonly intervalMs: number | undefined;
}

/**
 * Thresholds and caching of `PaymntHealthIndicator` (`health`): what turns each part "down".
 */
export interface PaymntHealthOptions {
  /**
   * How long the result of the API check is reused, in milliseconds: probes every few seconds
   * from several load balancers then cost one API call per interval.
   * @default 5000
   */
  apiCacheMs?: number;
  /**
   * Time budget of each check (the API call: one attempt, no retry; Redis: one command), in milliseconds.
   * @default 3000
   */
  timeoutMs?: number;
  /**
   * The intake is down when more events than this wait in its queue (waiting and delayed).
   * @default 10000
   */
  maxQueueDepth?: number;
  /**
   * The intake is down when more jobs than this are failed in its queue.
   * @default 100
   */
  maxFailed?: number;
  /**
   * The intake is down when more events than this are in the dead-letter queue (they wait for
   * `PaymntIntakeService.replayDeadLetters()`). `0`: down from the first one.
   * @default 0
   */
  maxDeadLetters?: number;
}

/** `health` after validation: every option given or defaulted. */
export type ResolvedPaymntHealthOptions = Readonly<Required<PaymntHealthOptions>>;

/**
 * The checks run at startup (`selfCheck`). Each is on unless set to `false`. A finding that would
 * lose money or events fails startup with its fix; the others are logged once as warnings.
 * Messages never contain a key or a secret.
 */
export interface PaymntSelfCheckOptions {
  /**
   * The API key matches the API it is sent to: a publishable key (`pk_…`) is refused (it belongs
   * in the browser), a sandbox key (`snd_…`, `dev_…`) against production or a production key
   * (`prd_…`) against the sandbox fails startup; a key or URL it cannot classify is a warning.
   * @default true
   */
  keyEnvironment?: boolean;
  /**
   * The webhook secret is set where webhooks are received (a built-in route or `PaymntWebhookGuard`),
   * and is not an API key: startup fails otherwise.
   * @default true
   */
  webhookSecret?: boolean;
  /**
   * The app keeps the raw body (`NestFactory.create(AppModule, { rawBody: true })`) when it
   * receives webhooks: startup fails otherwise (every webhook would be answered 500, then lost).
   * @default true
   */
  rawBody?: boolean;
  /**
   * `'*'` listeners on an emitter created without `wildcard: true` are reported (a warning:
   * the listeners of other events still run).
   * @default true
   */
  wildcardListeners?: boolean;
}

/** `selfCheck` after validation. */
export type ResolvedPaymntSelfCheckOptions = Readonly<Required<PaymntSelfCheckOptions>>;

/**
 * OpenTelemetry (`telemetry`): spans and metrics through `@opentelemetry/api`, recorded by the
 * SDK the app registers (none registered: nothing is recorded, at no measurable cost).
 */
export interface PaymntTelemetryOptions {
  /**
   * Record spans and metrics when `@opentelemetry/api` is installed.
   * @default true
   */
  enabled?: boolean;
}

/** `telemetry` after validation. */
export type ResolvedPaymntTelemetryOptions = Readonly<Required<PaymntTelemetryOptions>>;

/** Webhook options of `PaymntModule`. */
export interface PaymntWebhookOptions {
  /**
   * The profile's webhook key (`payment_response_hash_key`). Give several during a rotation: a
   * webhook signed with any of them is accepted. Never logged.
   */
  secret: string | string[];
  /**
   * Path of the built-in webhook controller (e.g. `'webhooks/paymnt'`; the app's global prefix
   * applies). Without it no route is registered: guard your own route with `PaymntWebhookGuard`.
   * With `forRootAsync`, give it as `webhookPath` to `forRootAsync()` instead: routes exist
   * before the factory runs.
   * @default undefined
   */
  path?: string;
  /**
   * Class decorators applied to the built-in webhook controller when it is created, as if written
   * above its class: e.g. `[Public()]` so a global auth guard lets Paymnt in, `[SkipThrottle()]`
   * for `@nestjs/throttler`. Needs `path`. With `forRootAsync`, give them as `webhookDecorators`
   * to `forRootAsync()` instead: the controller exists before the factory runs.
   * @default [] (none)
   */
  decorators?: ClassDecorator[];
  /**
   * A subclass of `PaymntWebhookProcessor` to verify webhooks your way (e.g. read the signature
   * from another header: override its `protected` steps). The module provides it under the
   * `PaymntWebhookProcessor` token, so the built-in route, `PaymntWebhookGuard` and durable intake
   * (which keeps your verification and enqueues instead of publishing) all use it. Its own
   * dependencies must be injectable in `PaymntModule` (global providers, or `forRootAsync({ imports })`).
   * With `forRootAsync`, give it as `webhookProcessor` to `forRootAsync()` instead.
   * @default PaymntWebhookProcessor
   */
  processor?: Type<PaymntWebhookProcessor>;
  /**
   * Rejects (401) webhooks whose `timestamp` is older than this, in seconds (a replay); `0`
   * disables the check. The API redelivers the original bytes for about 24 hours, so keep it
   * well above 86400.
   * @default 259200 (72 hours, the client's `DEFAULT_WEBHOOK_TOLERANCE_SECONDS`)
   */
  toleranceSeconds?: number;
  /**
   * Where published events are recorded, for de-duplication and ordering. Use a
   * `RedisEventStore` when several instances receive webhooks.
   * @default new MemoryEventStore()
   */
  store?: PaymntEventStore;
  /**
   * How long one delivery may run its handlers before another delivery of the same event may run
   * them (a crashed instance's lease expires), in milliseconds. Keep it above your slowest handler.
   * @default 60000
   */
  leaseMs?: number;
  /**
   * How long a published event is remembered, in milliseconds. The API retries a webhook for
   * about 24 hours.
   * @default 90000000 (25 hours)
   */
  dedupeTtlMs?: number;
  /**
   * Durable intake: enqueue verified webhooks on BullMQ and answer 2xx at once (outcome
   * `'queued'`); workers publish them with retries and a dead-letter queue.
   * @default undefined (events are published while the webhook request waits)
   */
  intake?: PaymntIntakeOptions;
}

/**
 * Options of `PaymntModule.forRoot()` (or returned by the `forRootAsync()` factory): the
 * `PaymntClient` options, plus webhooks and event publishing.
 */
export interface PaymntModuleOptions extends Omit<PaymntClientOptions, 'webhookSecret'> {
  /**
   * The publishable key (`pk_snd_…`, `pk_prd_…`) the browser confirms payments with, handed to the
   * page by `PaymntCheckoutService.clientConfirmation()` so card data goes from the browser to the
   * API and never through the app's server. Never logged (printed as `[REDACTED]`).
   * @default undefined (`clientConfirmation()` throws a `PaymntConfigurationError` naming it)
   */
  publishableKey?: string;
  /** Webhook verification, de-duplication and the optional built-in route. */
  webhook?: PaymntWebhookOptions;
  /**
   * Where published events are recorded, for de-duplication and ordering of webhooks and service
   * results alike; works without `webhook` (an app publishing service events only). Same as
   * `webhook.store`: give one of them. Use a `RedisEventStore` with several instances.
   * @default new MemoryEventStore()
   */
  store?: PaymntEventStore;
  /**
   * How long one delivery may run the handlers of an event before another may run them, in
   * milliseconds. Same as `webhook.leaseMs`: give one of them.
   * @default 60000
   */
  leaseMs?: number;
  /**
   * How long a published event is remembered, in milliseconds. Same as `webhook.dedupeTtlMs`:
   * give one of them.
   * @default 90000000 (25 hours)
   */
  dedupeTtlMs?: number;
  /**
   * Publish a domain event (`source: 'api'`) for the result of each `PaymentsService` /
   * `RefundsService` call that changes state, as well as for webhooks.
   * @default true
   */
  publishServiceEvents?: boolean;
  /**
   * Fetch payments that stay pending and publish the events their webhooks would have carried.
   * @default undefined (off)
   */
  reconciliation?: PaymntReconciliationOptions;
  /**
   * Thresholds of `PaymntHealthIndicator`.
   * @default the defaults of each `PaymntHealthOptions`
   */
  health?: PaymntHealthOptions;
  /**
   * Startup checks, each on by default; `false` turns them all off.
   * @default every check on
   */
  selfCheck?: PaymntSelfCheckOptions | false;
  /**
   * OpenTelemetry spans and metrics.
   * @default { enabled: true }
   */
  telemetry?: PaymntTelemetryOptions;
}

/** Webhook options after validation. */
export interface ResolvedPaymntWebhookOptions {
  /** Every accepted webhook key (several during a rotation). */
  readonly secrets: readonly string[];
  /** The built-in controller's path, when one is registered. */
  readonly path: string | undefined;
  /** `0` when the check is off. */
  readonly toleranceSeconds: number;
}

/**
 * `PaymntModuleOptions` validated once at bootstrap, with every default applied: `store`,
 * `leaseMs` and `dedupeTtlMs` are the top-level option or its `webhook.` twin, or the default
 * (`new MemoryEventStore()`, 60000, 25 hours); `publishServiceEvents` defaults to `true`.
 */
export interface ResolvedPaymntOptions
  extends Readonly<
    Required<Omit<PaymntModuleOptions, keyof PaymntClientOptions | 'publishableKey' | 'webhook' | 'reconciliation' | 'health' | 'selfCheck' | 'telemetry'>>
  > {
  /** `publishableKey` as given; `undefined` when the browser is not given one. */
  readonly publishableKey: string | undefined;
  /** The instance's name (`name` of `forRoot()` / `forRootAsync()`), `'default'` for the unnamed one. */
  readonly name: string;
  /** What `new PaymntClient()` receives (holds the API key: never log it). */
  readonly client: PaymntClientOptions;
  /** `undefined` when no `webhook` option was given. */
  readonly webhook: ResolvedPaymntWebhookOptions | undefined;
  /** `webhook.intake` resolved; `undefined` when webhooks are published in the request. */
  readonly intake?: ResolvedPaymntIntakeOptions;
  /** `reconciliation` resolved; `undefined` when it is off. */
  readonly reconciliation?: ResolvedPaymntReconciliationOptions;
  /** `health` resolved. */
  readonly health: ResolvedPaymntHealthOptions;
  /** `selfCheck` resolved (`false`: every check off). */
  readonly selfCheck: ResolvedPaymntSelfCheckOptions;
  /** `telemetry` resolved. */
  readonly telemetry: ResolvedPaymntTelemetryOptions;
}

/** A class for `PaymntModule.forRootAsync({ useClass })` or `{ useExisting }`. */
export interface PaymntModuleOptionsFactory {
  createPaymntOptions(): PaymntModuleOptions | Promise<PaymntModuleOptions>;
}
