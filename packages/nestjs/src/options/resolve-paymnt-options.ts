import type { Type } from '@nestjs/common';
import type { PaymntClientOptions } from '@paymnt/client';
import type { z } from 'zod';
import { PaymntConfigurationError } from '../errors/paymnt-configuration.error';
import { isDefaultPaymntInstance, PAYMNT_DEFAULT_INSTANCE } from '../paymnt.tokens';
import { MemoryEventStore } from '../stores/memory-event.store';
import type { PaymntWebhookProcessor } from '../webhook/paymnt-webhook.processor';
import type { PaymntModuleOptions, ResolvedPaymntOptions, ResolvedPaymntWebhookOptions } from './paymnt-module-options.interface';
import { parseOption } from './parse-option';
import { DEFAULT_PAYMNT_MODULE_OPTIONS } from './paymnt-options.defaults';
import { moduleOptionsSchema } from './paymnt-options.schema';
import { withoutSecretsWhenPrinted } from './redact-paymnt-options';

/** What shapes the built-in route and the processor provider, fixed at module creation (besides the path). */
export interface PaymntRegisteredWebhookRoute {
  /** `webhookDecorators` / `webhook.decorators` as given to `forRoot` / `forRootAsync`. */
  readonly decorators?: readonly ClassDecorator[];
  /** `webhookProcessor` / `webhook.processor` as given to `forRoot` / `forRootAsync`. */
  readonly processor?: Type<PaymntWebhookProcessor>;
}

type ParsedOptions = z.output<typeof moduleOptionsSchema>;
type ParsedWebhook = NonNullable<ParsedOptions['webhook']>;

/** The schema's result, with the hint a webhook secret missing next to event-store settings deserves. */
function parse(options: PaymntModuleOptions, registeredPath: string | undefined): ParsedOptions {
  try {
    return parseOption(moduleOptionsSchema, options);
  } catch (error) {
    const webhook = (options as { webhook?: Record<string, unknown> } | undefined)?.webhook;
    const storeOnly =
      error instanceof PaymntConfigurationError &&
      error.option === 'webhook.secret' &&
      webhook?.secret === undefined &&
      registeredPath === undefined &&
      ['store', 'leaseMs', 'dedupeTtlMs'].some((key) => webhook?.[key] !== undefined);
    if (!storeOnly) throw error;
    throw new PaymntConfigurationError(
      error.option,
      `${error.rule}. To configure the event store without receiving webhooks, use the top-level store, leaseMs and dedupeTtlMs options`,
    );
  }
}

/** What routes and providers were built from at module creation cannot change when the factory runs. */
function checkFixedAtCreation(webhook: ParsedWebhook, registeredPath: string | undefined, registered: PaymntRegisteredWebhookRoute): void {
  const fixed = [
    ['path', registeredPath, 'webhookPath', 'routes are registered'],
    ['decorators', registered.decorators, 'webhookDecorators', 'the controller and providers are created'],
    ['processor', registered.processor, 'webhookProcessor', 'the controller and providers are created'],
  ] as const;
  for (const [key, atCreation, extra, why] of fixed) {
    if (webhook[key] !== undefined && webhook[key] !== atCreation) {
      throw new PaymntConfigurationError(
        `webhook.${key}`,
        `cannot be set by the forRootAsync() factory: ${why} before it runs. Pass it to PaymntModule.forRootAsync({ ${extra}: ... }) instead`,
      );
    }
  }
}

/** `store`, `leaseMs` and `dedupeTtlMs` are given at the top level or, as before, in `webhook`: one of them. */
function eventStoreSettings(parsed: ParsedOptions) {
  for (const key of ['store', 'leaseMs', 'dedupeTtlMs'] as const) {
    if (parsed[key] !== undefined && parsed.webhook?.[key] !== undefined) {
      throw new PaymntConfigurationError(key, `is also given as webhook.${key}: give only one of them`);
    }
  }
  return {
    store: parsed.store ?? parsed.webhook?.store ?? new MemoryEventStore(),
    leaseMs: parsed.leaseMs ?? parsed.webhook?.leaseMs ?? DEFAULT_PAYMNT_MODULE_OPTIONS.leaseMs,
    dedupeTtlMs: parsed.dedupeTtlMs ?? parsed.webhook?.dedupeTtlMs ?? DEFAULT_PAYMNT_MODULE_OPTIONS.dedupeTtlMs,
  };
}

/**
 * A named instance's queues are its own by default: two instances sharing a Redis would otherwise
 * take each other's jobs, and publish them as the wrong instance.
 */
function intakeOf(webhook: ParsedWebhook | undefined, given: PaymntModuleOptions, name: string) {
  const intake = webhook?.intake;
  if (intake === undefined || isDefaultPaymntInstance(name) || given.webhook?.intake?.queueName !== undefined) return intake;
  const queueName = `${intake.queueName}-${name}`;
  const deadLetterQueueName = given.webhook?.intake?.deadLetterQueueName ?? `${queueName}-dead-letters`;
  return { ...intake, queueName, deadLetterQueueName };
}

/**
 * Validates the module options once, at bootstrap, and applies the defaults (the rules are the
 * schema in `paymnt-options.schema.ts`; what depends on the module's creation or on several
 * options is checked here). Throws `PaymntConfigurationError` naming the option; messages never
 * contain a secret or the API key. The result prints and serializes with its secrets redacted
 * (`util.inspect`, `JSON.stringify`, Nest's logger). The client's own options are validated by
 * `new PaymntClient()` right after.
 *
 * @param registeredPath the built-in controller's path, fixed when the module was created.
 * @param registered the controller's decorators and the processor class, fixed when the module was created.
 * @param name the instance's name, fixed when the module was created.
 */
export function resolvePaymntOptions(
  options: PaymntModuleOptions,
  registeredPath: string | undefined,
  registered: PaymntRegisteredWebhookRoute = {},
  name: string = PAYMNT_DEFAULT_INSTANCE,
): ResolvedPaymntOptions {
  // Tokens are named before the factory runs; a name coming from it would otherwise reach the client as an unknown option.
  if (typeof options === 'object' && options !== null && Object.hasOwn(options, 'name')) {
    throw new PaymntConfigurationError(
      'name',
      'cannot be set by the forRootAsync() factory: the injection tokens are named before it runs. Pass it to PaymntModule.forRootAsync({ name: ... }) instead',
    );
  }
  const parsed = parse(options, registeredPath);
  // `settings`: the top-level options that need no resolving (e.g. publishServiceEvents), as parsed.
  const { apiKey: _apiKey, publishableKey, webhook, reconciliation, store: _store, leaseMs: _leaseMs, dedupeTtlMs: _dedupeTtlMs, ...settings } = parsed;
  if (webhook === undefined && registeredPath !== undefined) {
    throw new PaymntConfigurationError('webhook.secret', `is required: a webhook route is registered at "${registeredPath}"`);
  }
  if (webhook !== undefined) checkFixedAtCreation(webhook, registeredPath, registered);
  if (reconciliation !== undefined && !settings.publishServiceEvents) {
    throw new PaymntConfigurationError('reconciliation', 'publishes the events of fetched payments as service results: it needs publishServiceEvents: true');
  }
  const secrets = typeof webhook?.secret === 'string' ? [webhook.secret] : webhook?.secret;
  const resolvedWebhook: ResolvedPaymntWebhookOptions | undefined =
    webhook === undefined || secrets === undefined ? undefined : { secrets, path: registeredPath, toleranceSeconds: webhook.toleranceSeconds };
  // Everything that is not the module's own option is the client's (checked by new PaymntClient()).
  const client = Object.fromEntries(
    Object.entries(options).filter(([key]) => key === 'apiKey' || !Object.hasOwn(moduleOptionsSchema.shape, key)),
  ) as unknown as PaymntClientOptions;
  return withoutSecretsWhenPrinted({
    client: secrets === undefined ? client : { ...client, webhookSecret: [...secrets] },
    webhook: resolvedWebhook,
    publishableKey,
    name,
    ...eventStoreSettings(parsed),
    ...settings,
    intake: intakeOf(webhook, options, name),
    reconciliation,
  });
}
