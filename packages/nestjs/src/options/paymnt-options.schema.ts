import type { Type } from '@nestjs/common';
import { DEFAULT_WEBHOOK_TOLERANCE_SECONDS, type PaymntClientOptions } from '@paymnt/client';
import { z } from 'zod';
import { PaymntIntakeWebhookProcessor } from '../intake/paymnt-intake-webhook.processor';
import { MemoryPaymentTracker } from '../reconciliation/memory-payment.tracker';
import type { PaymntPaymentTracker } from '../reconciliation/paymnt-payment.tracker';
import type { PaymntRedisConnection } from '../redis/paymnt-redis.types';
import type { PaymntEventStore } from '../stores/paymnt-event.store';
import { PaymntWebhookProcessor } from '../webhook/paymnt-webhook.processor';
import type {
  PaymntHealthOptions,
  PaymntSelfCheckOptions,
  PaymntTelemetryOptions,
  PaymntIntakeOptions,
  PaymntModuleOptions,
  PaymntReconciliationOptions,
  PaymntWebhookOptions,
  ResolvedPaymntIntakeOptions,
  ResolvedPaymntReconciliationOptions,
} from './paymnt-module-options.interface';
import {
  DEFAULT_PAYMNT_HEALTH_OPTIONS,
  DEFAULT_PAYMNT_INTAKE_OPTIONS,
  DEFAULT_PAYMNT_MODULE_OPTIONS,
  DEFAULT_PAYMNT_RECONCILIATION_OPTIONS,
  DEFAULT_PAYMNT_SELF_CHECK_OPTIONS,
  DEFAULT_PAYMNT_TELEMETRY_OPTIONS,
} from './paymnt-options.defaults';

/*
 * The one place where the module's options are validated and defaulted. Every rule carries its
 * own message (named by `parseOption` with the option's path, e.g. `webhook.intake.attempts`);
 * no message contains the value it rejects, so an API key or a secret never reaches a log.
 *
 * Why the public types stay hand-written (paymnt-module-options.interface.ts) instead of
 * `z.infer<typeof schema>`: the interfaces carry the documentation users read in their editor,
 * print as themselves in hovers and in the published .d.ts, and keep zod out of the public types.
 * They cannot drift from the schema: `agreesWith<Input, Output>()` below fails to compile when
 * the schema accepts a key the interface lacks (or the reverse), or when a type differs. Adding
 * an option is one property (with its doc comment) in the interface and one entry here (its
 * documented default, if any, in paymnt-options.defaults.ts); the resolved types are derived
 * from the interfaces.
 */

/** Node timers overflow above 2^31-1 ms (they would fire after 1 ms). */
const MAX_TIMER_MS = 2_147_483_647;

// ---- Compile-time agreement of a schema with the interfaces ----

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Agrees<Schema, Interface> = Same<keyof Schema, keyof Interface> extends true ? Same<Schema, Interface> : false;
type Disagreement<Schema, Interface> = {
  keysMissingFromTheSchema: Exclude<keyof Interface, keyof Schema>;
  keysMissingFromTheInterface: Exclude<keyof Schema, keyof Interface>;
};
type Agreement<S extends z.ZodType, Input, Output> =
  Agrees<z.input<S>, Input> extends true
    ? Agrees<z.output<S>, Output> extends true
      ? unknown
      : { schemaOutputDisagreesWith: Disagreement<z.output<S>, Output> }
    : { schemaInputDisagreesWith: Disagreement<z.input<S>, Input> };

/**
 * Returns the schema as it is, and fails to compile unless what it accepts is exactly `Input` and
 * what it returns exactly `Output` (same keys, same types; checked one object level at a time).
 */
function agreesWith<Input, Output = unknown>() {
  return <S extends z.ZodType>(schema: S & Agreement<S, Input, unknown extends Output ? z.output<S> : Output>): S => schema;
}

// ---- Rules shared by several options ----

/** A timer's milliseconds: an integer from `min` to 2^31-1. `required` is the message when it is missing. */
function milliseconds(min: number, required?: string) {
  const rule = `must be an integer between ${min} and ${MAX_TIMER_MS} (milliseconds)`;
  return z
    .int({ error: (issue) => (issue.input === undefined && required) || rule })
    .min(min, rule)
    .max(MAX_TIMER_MS, rule);
}

const COUNT_RULE = 'must be an integer between 1 and 1000000';
const count = z.int(COUNT_RULE).min(1, COUNT_RULE).max(1_000_000, COUNT_RULE);

/** A BullMQ queue name or key prefix (BullMQ separates its keys with ":"). */
const NAME_RULE = 'must be a non-empty string without ":"';
const redisName = z.string(NAME_RULE).refine((name) => name.trim() !== '' && !name.includes(':'), NAME_RULE);

/**
 * An object with these methods, duck-typed as the module always did: a class instance (a store,
 * a tracker, a Redis client) passes through as it is, never copied, never checked with instanceof.
 */
function implementing<T>(name: string, methods: readonly string[], hint: string) {
  const missing = (value: unknown): readonly string[] =>
    typeof value === 'object' && value !== null ? methods.filter((method) => typeof (value as Record<string, unknown>)[method] !== 'function') : methods;
  return z.custom<T>((value) => missing(value).length === 0, {
    error: (issue) => `must implement ${name} (missing ${missing(issue.input).join(', ')}): ${hint}`,
  });
}

const eventStore = implementing<PaymntEventStore>('PaymntEventStore', ['claim', 'complete', 'release'], 'use MemoryEventStore or RedisEventStore').refine(
  // A store written for 0.1 (getVersion / setVersion) has the same three names with other answers:
  // run with it, it would take every redelivery for a new claim.
  (store) => typeof (store as unknown as Record<string, unknown>).getVersion !== 'function' && typeof (store as unknown as Record<string, unknown>).setVersion !== 'function',
  'implements the PaymntEventStore of @paymnt/nestjs 0.1 (getVersion / setVersion): claim() now takes the objectKey and answers { status, version }, complete() takes the objectKey and version (see the README, "Stores")',
);

// ---- What shapes the webhook route (also checked at module creation by resolveWebhookRoute) ----

const PATH_RULE = 'must be a non-empty route path such as "webhooks/paymnt"';
/** `'/webhooks/paymnt/'` → `'webhooks/paymnt'`: the form routes are registered and compared with. */
export const webhookPathSchema = z
  .string(PATH_RULE)
  .transform((path) => path.trim().replace(/^\/+|\/+$/g, ''))
  .refine((path) => path !== '', PATH_RULE);

/** Kept as given (the same array): decorators given twice are compared by identity. */
export const webhookDecoratorsSchema = z.custom<ClassDecorator[]>(
  (value) => Array.isArray(value) && value.every((decorator) => typeof decorator === 'function'),
  'must be an array of class decorators, e.g. [Public()] or [SkipThrottle()]',
);

const extendsClass = (value: unknown, base: abstract new (...args: never[]) => unknown): boolean =>
  typeof value === 'function' && (value === base || value.prototype instanceof base);

export const webhookProcessorSchema = z
  .custom<Type<PaymntWebhookProcessor>>(
    (value) => extendsClass(value, PaymntWebhookProcessor),
    'must be a class extending PaymntWebhookProcessor (the class itself, not an instance)',
  )
  .refine(
    (value) => !extendsClass(value, PaymntIntakeWebhookProcessor),
    'must extend PaymntWebhookProcessor, not PaymntIntakeWebhookProcessor: durable intake is turned on by webhook.intake',
  );

// ---- The instance's name (checked at module creation, like the route) ----

const INSTANCE_NAME_RULE = 'must be 1 to 64 letters, digits, "_" or "-" (it names the instance\'s injection tokens and event-store keys)';
/** `name`: it goes into injection tokens and event-store keys, so it is kept to characters neither gives a meaning to. */
export const instanceNameSchema = z.string(INSTANCE_NAME_RULE).regex(/^[A-Za-z0-9_-]{1,64}$/, INSTANCE_NAME_RULE);

// ---- The options ----

const intakeDefaults = DEFAULT_PAYMNT_INTAKE_OPTIONS;
/** `webhook.intake`. */
export const intakeOptionsSchema = agreesWith<PaymntIntakeOptions, ResolvedPaymntIntakeOptions>()(
  z
    .strictObject(
      {
        connection: z.custom<PaymntRedisConnection>(
          (value) => typeof value === 'object' && value !== null,
          'is required: ioredis options ({ host, port }) or an ioredis instance created with maxRetriesPerRequest: null',
        ),
        queueName: redisName.default(intakeDefaults.queueName),
        deadLetterQueueName: redisName.optional(),
        prefix: redisName.default(intakeDefaults.prefix),
        attempts: count.default(intakeDefaults.attempts),
        backoffMs: milliseconds(0).default(intakeDefaults.backoffMs),
        concurrency: count.default(intakeDefaults.concurrency),
        worker: z.boolean('must be a boolean').default(intakeDefaults.worker),
        enqueueTimeoutMs: milliseconds(1).default(intakeDefaults.enqueueTimeoutMs),
        closeTimeoutMs: milliseconds(0).default(intakeDefaults.closeTimeoutMs),
      },
      'must be an object: { connection, queueName?, attempts?, backoffMs?, concurrency? }',
    )
    .transform((intake) => ({ ...intake, deadLetterQueueName: intake.deadLetterQueueName ?? `${intake.queueName}-dead-letters` }))
    .refine((intake) => intake.deadLetterQueueName !== intake.queueName, { path: ['deadLetterQueueName'], error: 'must differ from queueName' }),
);

const STATUSES_RULE = 'must be a non-empty array of payment statuses';
const reconciliationDefaults = DEFAULT_PAYMNT_RECONCILIATION_OPTIONS;
/** `reconciliation`. */
export const reconciliationOptionsSchema = agreesWith<PaymntReconciliationOptions, ResolvedPaymntReconciliationOptions>()(
  z
    .strictObject(
      {
        pendingAfterMs: milliseconds(0, 'is required: how long a payment may stay pending, in milliseconds'),
        intervalMs: milliseconds(1).optional(),
        statuses: z
          .array(z.string(STATUSES_RULE).min(1, STATUSES_RULE), STATUSES_RULE)
          .min(1, STATUSES_RULE)
          .default(() => [...reconciliationDefaults.statuses]),
        maxAgeMs: milliseconds(1).default(reconciliationDefaults.maxAgeMs),
        batchSize: count.default(reconciliationDefaults.batchSize),
        tracker: implementing<PaymntPaymentTracker>('PaymntPaymentTracker', ['track', 'due', 'untrack', 'size'], 'use MemoryPaymentTracker or RedisPaymentTracker').default(
          () => new MemoryPaymentTracker(),
        ),
      },
      'must be an object: { pendingAfterMs, intervalMs?, statuses? }',
    )
    // `intervalMs: undefined` (no timer) is written out, like every other resolved option.
    .transform(({ intervalMs, ...reconciliation }) => ({ ...reconciliation, intervalMs })),
);

const THRESHOLD_RULE = 'must be an integer between 0 and 1000000';
const threshold = z.int(THRESHOLD_RULE).min(0, THRESHOLD_RULE).max(1_000_000, THRESHOLD_RULE);
const healthDefaults = DEFAULT_PAYMNT_HEALTH_OPTIONS;
/** `health`. */
export const healthOptionsSchema = agreesWith<PaymntHealthOptions>()(
  z.strictObject(
    {
      apiCacheMs: milliseconds(0).default(healthDefaults.apiCacheMs),
      timeoutMs: milliseconds(1).default(healthDefaults.timeoutMs),
      maxQueueDepth: threshold.default(healthDefaults.maxQueueDepth),
      maxFailed: threshold.default(healthDefaults.maxFailed),
      maxDeadLetters: threshold.default(healthDefaults.maxDeadLetters),
    },
    'must be an object: { apiCacheMs?, timeoutMs?, maxQueueDepth?, maxFailed?, maxDeadLetters? }',
  ),
);

const selfCheckDefaults = DEFAULT_PAYMNT_SELF_CHECK_OPTIONS;
const checkSwitch = z.boolean('must be a boolean');
/** `selfCheck` (an object; `false` is turned into every check off by the resolver). */
export const selfCheckOptionsSchema = agreesWith<PaymntSelfCheckOptions>()(
  z.strictObject(
    {
      keyEnvironment: checkSwitch.default(selfCheckDefaults.keyEnvironment),
      webhookSecret: checkSwitch.default(selfCheckDefaults.webhookSecret),
      rawBody: checkSwitch.default(selfCheckDefaults.rawBody),
      wildcardListeners: checkSwitch.default(selfCheckDefaults.wildcardListeners),
    },
    'must be false or an object: { keyEnvironment?, webhookSecret?, rawBody?, wildcardListeners? }',
  ),
);

/** `telemetry`. */
export const telemetryOptionsSchema = agreesWith<PaymntTelemetryOptions>()(
  z.strictObject({ enabled: z.boolean('must be a boolean').default(DEFAULT_PAYMNT_TELEMETRY_OPTIONS.enabled) }, 'must be an object: { enabled? }'),
);

const SECRET_RULE = "is required: a non-empty string (the profile's webhook key), or a non-empty array of them during a rotation";
const webhookSecret = z.string(SECRET_RULE).min(1, SECRET_RULE);
const TOLERANCE_RULE = 'must be a number of seconds >= 0 (0 disables the check)';
/** `webhook`. */
export const webhookOptionsSchema = agreesWith<PaymntWebhookOptions>()(
  z.strictObject(
    {
      secret: z.union([webhookSecret, z.array(webhookSecret, SECRET_RULE).min(1, SECRET_RULE)], SECRET_RULE),
      path: webhookPathSchema.optional(),
      decorators: webhookDecoratorsSchema.optional(),
      processor: webhookProcessorSchema.optional(),
      toleranceSeconds: z.number(TOLERANCE_RULE).min(0, TOLERANCE_RULE).default(DEFAULT_WEBHOOK_TOLERANCE_SECONDS),
      store: eventStore.optional(),
      leaseMs: milliseconds(1).optional(),
      dedupeTtlMs: milliseconds(1).optional(),
      intake: intakeOptionsSchema.optional(),
    },
    'must be an object',
  ),
);

/** The module's own options, and `apiKey`. The other client options are checked by `new PaymntClient()`. */
type OwnModuleOptions = Pick<PaymntModuleOptions, 'apiKey'> & Omit<PaymntModuleOptions, keyof PaymntClientOptions>;

const PUBLISHABLE_KEY_RULE = 'must be the publishable key (pk_snd_..., pk_prd_...), for example from process.env.PAYMNT_PUBLISHABLE_KEY: never the secret API key';
const API_KEY_RULE = 'is required: the secret API key (snd_..., prd_...), for example from process.env.PAYMNT_API_KEY';
/**
 * `PaymntModuleOptions` without the client's options (they are left out of the result, and passed
 * as they are to `new PaymntClient()`, which validates them and refuses unknown keys).
 */
export const moduleOptionsSchema = agreesWith<OwnModuleOptions>()(
  z.strictObject(
    {
      apiKey: z.string(API_KEY_RULE).refine((key) => key.trim() !== '', API_KEY_RULE),
      // The browser receives it: a secret key here would be handed to every customer.
      publishableKey: z.string(PUBLISHABLE_KEY_RULE).regex(/^pk_[A-Za-z0-9_-]+$/, PUBLISHABLE_KEY_RULE).optional(),
      webhook: webhookOptionsSchema.optional(),
      // store, leaseMs and dedupeTtlMs may be given here or in webhook: defaulted once merged.
      store: eventStore.optional(),
      leaseMs: milliseconds(1).optional(),
      dedupeTtlMs: milliseconds(1).optional(),
      publishServiceEvents: z.boolean('must be a boolean').default(DEFAULT_PAYMNT_MODULE_OPTIONS.publishServiceEvents),
      reconciliation: reconciliationOptionsSchema.optional(),
      health: healthOptionsSchema.default(() => healthOptionsSchema.parse({})),
      selfCheck: z
        .union([z.literal(false), selfCheckOptionsSchema], 'must be false or an object: { keyEnvironment?, webhookSecret?, rawBody?, wildcardListeners? }')
        .default(() => selfCheckOptionsSchema.parse({}))
        .transform((selfCheck) => (selfCheck === false ? { keyEnvironment: false, webhookSecret: false, rawBody: false, wildcardListeners: false } : selfCheck)),
      telemetry: telemetryOptionsSchema.default(() => telemetryOptionsSchema.parse({})),
    },
    'must be an object (check what the forRootAsync() factory returns)',
  ),
).strip();
