import type { Type } from '@nestjs/common';
import { DEFAULT_WEBHOOK_TOLERANCE_SECONDS, type PaymntClientOptions } from '@paymnt/client';
import { PaymntConfigurationError } from '../errors/paymnt-configuration.error';
import { MemoryPaymentTracker } from '../reconciliation/memory-payment.tracker';
import type { PaymntPaymentTracker } from '../reconciliation/paymnt-payment.tracker';
import { MemoryEventStore } from '../stores/memory-event.store';
import type { PaymntEventStore } from '../stores/paymnt-event.store';
import type { PaymntWebhookProcessor } from '../webhook/paymnt-webhook.processor';
import type {
  PaymntModuleOptions,
  ResolvedPaymntIntakeOptions,
  ResolvedPaymntOptions,
  ResolvedPaymntReconciliationOptions,
  ResolvedPaymntWebhookOptions,
} from './paymnt-module-options.interface';
import { withoutSecretsWhenPrinted } from './redact-paymnt-options';

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

const INTAKE_KEYS = new Set([
  'connection',
  'queueName',
  'deadLetterQueueName',
  'prefix',
  'attempts',
  'backoffMs',
  'concurrency',
  'worker',
  'enqueueTimeoutMs',
  'closeTimeoutMs',
]);
const RECONCILIATION_KEYS = new Set(['pendingAfterMs', 'intervalMs', 'statuses', 'maxAgeMs', 'batchSize', 'tracker']);

const WEBHOOK_KEYS = new Set(['secret', 'path', 'decorators', 'processor', 'toleranceSeconds', 'store', 'leaseMs', 'dedupeTtlMs', 'intake']);
const MAX_TIMER_MS = 2_147_483_647;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(option: string, rule: string): PaymntConfigurationError {
  return new PaymntConfigurationError(option, rule);
}

/** `'/webhooks/paymnt/'` → `'webhooks/paymnt'`: the form routes are registered and compared with. */
export function normalizeWebhookPath(path: unknown, option: string): string {
  if (typeof path !== 'string' || path.trim().replace(/^\/+|\/+$/g, '') === '') {
    throw invalid(option, 'must be a non-empty route path such as "webhooks/paymnt"');
  }
  return path.trim().replace(/^\/+|\/+$/g, '');
}

function integer(value: unknown, option: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > MAX_TIMER_MS) {
    throw invalid(option, `must be an integer between ${min} and ${MAX_TIMER_MS} (milliseconds)`);
  }
  return value;
}

function resolveStore(value: unknown, option: string): PaymntEventStore {
  if (value === undefined) return new MemoryEventStore();
  const methods = ['claim', 'complete', 'release'] as const;
  if (typeof value !== 'object' || value === null) throw invalid(option, 'must be a PaymntEventStore');
  const store = value as Record<string, unknown>;
  const missing = methods.filter((m) => typeof store[m] !== 'function');
  if (missing.length > 0) {
    throw invalid(option, `must implement PaymntEventStore (missing ${missing.join(', ')}): use MemoryEventStore or RedisEventStore`);
  }
  // A store written for 0.1 (getVersion / setVersion) has the same three names with other answers:
  // run with it, it would take every redelivery for a new claim.
  if (typeof store.getVersion === 'function' || typeof store.setVersion === 'function') {
    throw invalid(
      option,
      'implements the PaymntEventStore of @paymnt/nestjs 0.1 (getVersion / setVersion): claim() now takes the objectKey and answers { status, version }, complete() takes the objectKey and version (see the README, "Stores")',
    );
  }
  return value as PaymntEventStore;
}

/** An event-store option given at the top level (`store`) or, as before, in `webhook` (`webhook.store`): one of them. */
function eventStoreOption(options: Record<string, unknown>, webhook: Record<string, unknown> | undefined, key: string): { value: unknown; option: string } {
  const top = options[key];
  const nested = webhook?.[key];
  if (top !== undefined && nested !== undefined) throw invalid(key, `is also given as webhook.${key}: give only one of them`);
  return top !== undefined ? { value: top, option: key } : { value: nested, option: `webhook.${key}` };
}

function count(value: unknown, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 1_000_000) {
    throw invalid(option, 'must be an integer between 1 and 1000000');
  }
  return value;
}

function name(value: unknown, option: string, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.trim() === '' || value.includes(':')) {
    throw invalid(option, 'must be a non-empty string without ":"');
  }
  return value;
}

function resolveIntake(value: unknown): ResolvedPaymntIntakeOptions | undefined {
  if (value === undefined) return undefined;
  if (!isPlainObject(value)) throw invalid('webhook.intake', 'must be an object: { connection, queueName?, attempts?, backoffMs?, concurrency? }');
  for (const key of Object.keys(value)) {
    if (!INTAKE_KEYS.has(key)) throw invalid(`webhook.intake.${key}`, 'is not a known option');
  }
  if (typeof value.connection !== 'object' || value.connection === null) {
    throw invalid('webhook.intake.connection', 'is required: ioredis options ({ host, port }) or an ioredis instance created with maxRetriesPerRequest: null');
  }
  if (value.worker !== undefined && typeof value.worker !== 'boolean') throw invalid('webhook.intake.worker', 'must be a boolean');
  const defaults = DEFAULT_PAYMNT_INTAKE_OPTIONS;
  const queueName = name(value.queueName, 'webhook.intake.queueName', defaults.queueName);
  const deadLetterQueueName = name(value.deadLetterQueueName, 'webhook.intake.deadLetterQueueName', `${queueName}-dead-letters`);
  if (deadLetterQueueName === queueName) throw invalid('webhook.intake.deadLetterQueueName', 'must differ from queueName');
  return {
    connection: value.connection as ResolvedPaymntIntakeOptions['connection'],
    queueName,
    deadLetterQueueName,
    prefix: name(value.prefix, 'webhook.intake.prefix', defaults.prefix),
    attempts: count(value.attempts, 'webhook.intake.attempts', defaults.attempts),
    backoffMs: integer(value.backoffMs, 'webhook.intake.backoffMs', defaults.backoffMs, 0),
    concurrency: count(value.concurrency, 'webhook.intake.concurrency', defaults.concurrency),
    worker: (value.worker as boolean | undefined) ?? defaults.worker,
    enqueueTimeoutMs: integer(value.enqueueTimeoutMs, 'webhook.intake.enqueueTimeoutMs', defaults.enqueueTimeoutMs, 1),
    closeTimeoutMs: integer(value.closeTimeoutMs, 'webhook.intake.closeTimeoutMs', defaults.closeTimeoutMs, 0),
  };
}

function resolveTracker(value: unknown): PaymntPaymentTracker {
  if (value === undefined) return new MemoryPaymentTracker();
  const methods = ['track', 'due', 'untrack', 'size'] as const;
  const missing = typeof value === 'object' && value !== null ? methods.filter((m) => typeof (value as Record<string, unknown>)[m] !== 'function') : methods;
  if (missing.length > 0) {
    throw invalid('reconciliation.tracker', `must implement PaymntPaymentTracker (missing ${missing.join(', ')}): use MemoryPaymentTracker or RedisPaymentTracker`);
  }
  return value as PaymntPaymentTracker;
}

function resolveReconciliation(value: unknown, publishServiceEvents: boolean): ResolvedPaymntReconciliationOptions | undefined {
  if (value === undefined) return undefined;
  if (!isPlainObject(value)) throw invalid('reconciliation', 'must be an object: { pendingAfterMs, intervalMs?, statuses? }');
  for (const key of Object.keys(value)) {
    if (!RECONCILIATION_KEYS.has(key)) throw invalid(`reconciliation.${key}`, 'is not a known option');
  }
  if (value.pendingAfterMs === undefined) throw invalid('reconciliation.pendingAfterMs', 'is required: how long a payment may stay pending, in milliseconds');
  if (!publishServiceEvents) {
    throw invalid('reconciliation', 'publishes the events of fetched payments as service results: it needs publishServiceEvents: true');
  }
  const statuses = value.statuses ?? DEFAULT_PAYMNT_RECONCILIATION_OPTIONS.statuses;
  if (!Array.isArray(statuses) || statuses.length === 0 || !statuses.every((s) => typeof s === 'string' && s !== '')) {
    throw invalid('reconciliation.statuses', 'must be a non-empty array of payment statuses');
  }
  return {
    pendingAfterMs: integer(value.pendingAfterMs, 'reconciliation.pendingAfterMs', 0, 0),
    intervalMs: value.intervalMs === undefined ? undefined : integer(value.intervalMs, 'reconciliation.intervalMs', 0, 1),
    statuses: [...(statuses as string[])],
    maxAgeMs: integer(value.maxAgeMs, 'reconciliation.maxAgeMs', DEFAULT_PAYMNT_RECONCILIATION_OPTIONS.maxAgeMs, 1),
    batchSize: count(value.batchSize, 'reconciliation.batchSize', DEFAULT_PAYMNT_RECONCILIATION_OPTIONS.batchSize),
    tracker: resolveTracker(value.tracker),
  };
}

/** What shapes the built-in route and the processor provider, fixed at module creation (besides the path). */
export interface PaymntRegisteredWebhookRoute {
  /** `webhookDecorators` / `webhook.decorators` as given to `forRoot` / `forRootAsync`. */
  readonly decorators?: readonly ClassDecorator[];
  /** `webhookProcessor` / `webhook.processor` as given to `forRoot` / `forRootAsync`. */
  readonly processor?: Type<PaymntWebhookProcessor>;
}

/** `webhook.decorators` and `webhook.processor` shape providers: only what was given at module creation is accepted. */
function checkFixedAtCreation(value: unknown, registered: unknown, option: string, extra: string): void {
  if (value !== undefined && value !== registered) {
    throw invalid(
      option,
      'cannot be set by the forRootAsync() factory: the controller and providers are created before it runs. ' +
        `Pass it to PaymntModule.forRootAsync({ ${extra}: ... }) instead`,
    );
  }
}

function resolveWebhook(value: Record<string, unknown>, registeredPath: string | undefined, registered: PaymntRegisteredWebhookRoute): ResolvedPaymntWebhookOptions {
  for (const key of Object.keys(value)) {
    if (!WEBHOOK_KEYS.has(key)) throw invalid(`webhook.${key}`, 'is not a known option');
  }
  const list = typeof value.secret === 'string' ? [value.secret] : value.secret;
  if (!Array.isArray(list) || list.length === 0 || !list.every((s) => typeof s === 'string' && s.length > 0)) {
    const storeOnly = value.secret === undefined && registeredPath === undefined && ['store', 'leaseMs', 'dedupeTtlMs'].some((key) => value[key] !== undefined);
    throw invalid(
      'webhook.secret',
      'is required: a non-empty string (the profile\'s webhook key), or a non-empty array of them during a rotation' +
        (storeOnly ? '. To configure the event store without receiving webhooks, use the top-level store, leaseMs and dedupeTtlMs options' : ''),
    );
  }
  if (value.path !== undefined) {
    const path = normalizeWebhookPath(value.path, 'webhook.path');
    if (path !== registeredPath) {
      throw invalid(
        'webhook.path',
        'cannot be set by the forRootAsync() factory: routes are registered before it runs. ' +
          'Pass it to PaymntModule.forRootAsync({ webhookPath: ... }) instead',
      );
    }
  }
  checkFixedAtCreation(value.decorators, registered.decorators, 'webhook.decorators', 'webhookDecorators');
  checkFixedAtCreation(value.processor, registered.processor, 'webhook.processor', 'webhookProcessor');
  const tolerance = value.toleranceSeconds ?? DEFAULT_WEBHOOK_TOLERANCE_SECONDS;
  if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance < 0) {
    throw invalid('webhook.toleranceSeconds', 'must be a number of seconds >= 0 (0 disables the check)');
  }
  return { secrets: [...(list as string[])], path: registeredPath, toleranceSeconds: tolerance };
}

/**
 * Validates the module options once, at bootstrap, and applies the defaults. Throws
 * `PaymntConfigurationError` naming the option; messages never contain a secret or the API key.
 * The result prints and serializes with its secrets redacted (`util.inspect`, `JSON.stringify`, Nest's logger).
 * The client's own options are validated by `new PaymntClient()` right after.
 *
 * @param registeredPath the built-in controller's path, fixed when the module was created.
 * @param registered the controller's decorators and the processor class, fixed when the module was created.
 */
export function resolvePaymntOptions(
  options: PaymntModuleOptions,
  registeredPath: string | undefined,
  registered: PaymntRegisteredWebhookRoute = {},
): ResolvedPaymntOptions {
  if (!isPlainObject(options)) {
    throw invalid('options', 'must be an object (check what the forRootAsync() factory returns)');
  }
  const { webhook, publishServiceEvents, reconciliation, store, leaseMs, dedupeTtlMs, ...client } = options as PaymntModuleOptions & Record<string, unknown>;
  if (typeof client.apiKey !== 'string' || client.apiKey.trim() === '') {
    throw invalid('apiKey', 'is required: the secret API key (snd_..., prd_...), for example from process.env.PAYMNT_API_KEY');
  }
  if (publishServiceEvents !== undefined && typeof publishServiceEvents !== 'boolean') {
    throw invalid('publishServiceEvents', 'must be a boolean');
  }
  if (webhook !== undefined && !isPlainObject(webhook)) throw invalid('webhook', 'must be an object');
  if (webhook === undefined && registeredPath !== undefined) {
    throw invalid('webhook.secret', `is required: a webhook route is registered at "${registeredPath}"`);
  }
  const resolvedWebhook = webhook === undefined ? undefined : resolveWebhook(webhook as Record<string, unknown>, registeredPath, registered);
  const clientOptions: PaymntClientOptions =
    resolvedWebhook === undefined ? client : { ...client, webhookSecret: [...resolvedWebhook.secrets] };
  const storeSettings = { store, leaseMs, dedupeTtlMs };
  const eventStore = (key: keyof typeof storeSettings) => eventStoreOption(storeSettings, webhook as Record<string, unknown> | undefined, key);
  const storeOption = eventStore('store');
  const leaseOption = eventStore('leaseMs');
  const dedupeOption = eventStore('dedupeTtlMs');
  return withoutSecretsWhenPrinted({
    client: clientOptions,
    webhook: resolvedWebhook,
    store: resolveStore(storeOption.value, storeOption.option),
    leaseMs: integer(leaseOption.value, leaseOption.option, DEFAULT_PAYMNT_MODULE_OPTIONS.leaseMs, 1),
    dedupeTtlMs: integer(dedupeOption.value, dedupeOption.option, DEFAULT_PAYMNT_MODULE_OPTIONS.dedupeTtlMs, 1),
    publishServiceEvents: publishServiceEvents ?? DEFAULT_PAYMNT_MODULE_OPTIONS.publishServiceEvents,
    intake: resolveIntake(webhook?.intake),
    reconciliation: resolveReconciliation(reconciliation, publishServiceEvents ?? DEFAULT_PAYMNT_MODULE_OPTIONS.publishServiceEvents),
  });
}
