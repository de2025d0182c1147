import type { PaymntClientOptions } from '@paymnt/client';
import type { PaymntEventStore } from '../stores/paymnt-event.store';

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
}

/**
 * Options of `PaymntModule.forRoot()` (or returned by the `forRootAsync()` factory): the
 * `PaymntClient` options, plus webhooks and event publishing.
 */
export interface PaymntModuleOptions extends Omit<PaymntClientOptions, 'webhookSecret'> {
  /** Webhook verification, de-duplication and the optional built-in route. */
  webhook?: PaymntWebhookOptions;
  /**
   * Publish a domain event (`source: 'api'`) for the result of each `PaymentsService` /
   * `RefundsService` call that changes state, as well as for webhooks.
   * @default true
   */
  publishServiceEvents?: boolean;
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

/** `PaymntModuleOptions` validated once at bootstrap, with every default applied. */
export interface ResolvedPaymntOptions {
  /** What `new PaymntClient()` receives (holds the API key: never log it). */
  readonly client: PaymntClientOptions;
  /** `undefined` when no `webhook` option was given. */
  readonly webhook: ResolvedPaymntWebhookOptions | undefined;
  /** `webhook.store`, or the default `MemoryEventStore`. */
  readonly store: PaymntEventStore;
  /** `webhook.leaseMs` (default 60000). */
  readonly leaseMs: number;
  /** `webhook.dedupeTtlMs` (default 25 hours). */
  readonly dedupeTtlMs: number;
  /** Default `true`. */
  readonly publishServiceEvents: boolean;
}

/** A class for `PaymntModule.forRootAsync({ useClass })` or `{ useExisting }`. */
export interface PaymntModuleOptionsFactory {
  createPaymntOptions(): PaymntModuleOptions | Promise<PaymntModuleOptions>;
}
