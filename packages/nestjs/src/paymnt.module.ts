import { type DynamicModule, Inject, Module, type OnModuleDestroy, type OnModuleInit, type Provider, type Type } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { PaymntClient, PaymntValidationError } from '@paymnt/client';
import { PaymntStartupChecks } from './diagnostics/paymnt-startup.checks';
import { PaymntConfigurationError } from './errors/paymnt-configuration.error';
import { PaymntEventPublisher } from './events/paymnt-event.publisher';
import { PaymntHealthIndicator } from './health/paymnt-health.indicator';
import { PaymntTelemetry } from './telemetry/paymnt-telemetry';
import { createIntakeWebhookProcessor } from './intake/create-intake-webhook.processor';
import { PaymntIntakeWebhookProcessor } from './intake/paymnt-intake-webhook.processor';
import { PaymntIntakeService } from './intake/paymnt-intake.service';
import type { PaymntModuleOptions, ResolvedPaymntOptions } from './options/paymnt-module-options.interface';
import { parseOption } from './options/parse-option';
import { instanceNameSchema } from './options/paymnt-options.schema';
import { resolvePaymntOptions } from './options/resolve-paymnt-options';
import { type PaymntWebhookRoute, resolveWebhookRoute } from './options/resolve-webhook-route';
import { PAYMNT_CLIENT, PAYMNT_EVENT_STORE, PAYMNT_OPTIONS, PAYMNT_WEBHOOK_PATH } from './paymnt.constants';
import { ASYNC_OPTIONS_TYPE, ConfigurableModuleClass, MODULE_OPTIONS_TOKEN, OPTIONS_TYPE } from './paymnt.module-definition';
import { getPaymntClientToken, getPaymntEventStoreToken, getPaymntOptionsToken, getPaymntServiceToken, isDefaultPaymntInstance, PAYMNT_DEFAULT_INSTANCE } from './paymnt.tokens';
import { PaymntReconciliationService } from './reconciliation/paymnt-reconciliation.service';
import { PaymntCheckoutService } from './services/checkout.service';
import { CustomersService } from './services/customers.service';
import { MandatesService } from './services/mandates.service';
import { PaymentMethodsService } from './services/payment-methods.service';
import { DisputesService } from './services/disputes.service';
import { EventsService } from './services/events.service';
import { PaymentsService } from './services/payments.service';
import { RefundsService } from './services/refunds.service';
import { createPaymntWebhookController } from './webhook/paymnt-webhook.controller';
import { PaymntWebhookProcessor } from './webhook/paymnt-webhook.processor';

/** The client's constructor validates its own options; report them like the module's. */
function createPaymntClient(options: ResolvedPaymntOptions): PaymntClient {
  try {
    return new PaymntClient(options.client);
  } catch (error) {
    if (error instanceof PaymntValidationError) throw new PaymntConfigurationError(error.field, error.rule);
    throw error;
  }
}

/** The webhook processor (the default one or `webhook.processor`), provided under this token so intake mode can replace it (see below). */
const DEFAULT_WEBHOOK_PROCESSOR = Symbol('paymnt:default_webhook_processor');
/** The same processor with publishing replaced by enqueueing (`webhook.intake`). */
const INTAKE_WEBHOOK_PROCESSOR = Symbol('paymnt:intake_webhook_processor');
/** The instance's name and route path, fixed at module creation: what two instances may not share. */
const PAYMNT_INSTANCE = Symbol('paymnt:instance');

interface PaymntInstance {
  readonly name: string;
  readonly path: string | undefined;
}

/**
 * The services an app injects, in every instance (`@InjectPaymntService(service, name)` for a
 * named one). A new service is one more entry here. A named instance provides them under named
 * tokens only: a service injects the module's parts (client, publisher...), never another service.
 */
const PAYMNT_SERVICES: readonly Type<unknown>[] = [
  PaymentsService,
  RefundsService,
  CustomersService,
  PaymentMethodsService,
  MandatesService,
  DisputesService,
  EventsService,
  PaymntCheckoutService,
];

/** The module's own parts an app may inject too, in every instance. */
const PAYMNT_PARTS: readonly Type<unknown>[] = [
  PaymntEventPublisher,
  PaymntWebhookProcessor,
  PaymntIntakeService,
  PaymntReconciliationService,
  PaymntHealthIndicator,
  PaymntTelemetry,
];

/** The `name` given to `forRoot()` / `forRootAsync()`, checked by the options schema; `'default'` without one. */
function instanceName(name: unknown): string {
  return name === undefined ? PAYMNT_DEFAULT_INSTANCE : parseOption(instanceNameSchema, name, 'name');
}

/**
 * The providers of an instance's services and what it exports. The default instance: the tokens
 * and classes themselves, as always. A named one: its services under their named tokens only (so
 * `app.get(PaymentsService)` stays the default instance's), and its other parts, which its services
 * inject by class, under their classes plus named aliases; it exports the named tokens only, so
 * importing it never changes what `PaymentsService` or `PAYMNT_CLIENT` resolve to in the app.
 */
function instanceProviders(name: string): { providers: Provider[]; exports: Array<string | symbol | Type<unknown>> } {
  const parts = [PAYMNT_OPTIONS, PAYMNT_CLIENT, PAYMNT_EVENT_STORE, ...PAYMNT_PARTS];
  if (isDefaultPaymntInstance(name)) return { providers: [...PAYMNT_SERVICES], exports: [...parts, ...PAYMNT_SERVICES] };
  const named = (token: symbol | Type<unknown>): string | symbol | Type<unknown> => {
    if (token === PAYMNT_OPTIONS) return getPaymntOptionsToken(name);
    if (token === PAYMNT_CLIENT) return getPaymntClientToken(name);
    if (token === PAYMNT_EVENT_STORE) return getPaymntEventStoreToken(name);
    return getPaymntServiceToken(token as Type<unknown>, name);
  };
  const providers: Provider[] = [
    ...PAYMNT_SERVICES.map((service) => ({ provide: named(service), useClass: service })),
    ...parts.map((token) => ({ provide: named(token), useExisting: token })),
  ];
  return { providers, exports: providers.map((provider) => (provider as { provide: string | symbol }).provide) };
}

/**
 * Adds the instance's providers to the definition `ConfigurableModuleBuilder` made: the client,
 * the options resolved under its name, the services, and what the webhook route fixed at module
 * creation: the path token, the built-in controller (with its decorators) when there is a path,
 * and the processor providers. The one provided as `PaymntWebhookProcessor` is the user's class
 * (or the default), or, with `webhook.intake`, that same class enqueueing instead of publishing:
 * one processor for the built-in route, the guard and intake.
 *
 * Every instance provides its client, options and parts under the same tokens inside its own module
 * (so a service injects its own instance's client and publisher, and a new service needs no
 * wiring); only its exports are named.
 */
function withInstance(definition: DynamicModule, route: PaymntWebhookRoute, name: string): DynamicModule {
  const instance = instanceProviders(name);
  const providers: Provider[] = [
    { provide: PAYMNT_INSTANCE, useValue: { name, path: route.path } satisfies PaymntInstance },
    {
      provide: PAYMNT_OPTIONS,
      useFactory: (options: PaymntModuleOptions) => resolvePaymntOptions(options, route.path, route, name),
      inject: [MODULE_OPTIONS_TOKEN],
    },
    { provide: PAYMNT_CLIENT, useFactory: createPaymntClient, inject: [PAYMNT_OPTIONS] },
    { provide: PAYMNT_EVENT_STORE, useFactory: (options: ResolvedPaymntOptions) => options.store, inject: [PAYMNT_OPTIONS] },
    PaymntEventPublisher,
    PaymntIntakeService,
    PaymntIntakeWebhookProcessor,
    PaymntReconciliationService,
    PaymntHealthIndicator,
    PaymntTelemetry,
    PaymntStartupChecks,
    { provide: PAYMNT_WEBHOOK_PATH, useValue: route.path ?? null },
    { provide: DEFAULT_WEBHOOK_PROCESSOR, useClass: route.processor ?? PaymntWebhookProcessor },
    route.processor === undefined
      ? { provide: INTAKE_WEBHOOK_PROCESSOR, useExisting: PaymntIntakeWebhookProcessor }
      : { provide: INTAKE_WEBHOOK_PROCESSOR, useClass: createIntakeWebhookProcessor(route.processor) },
    // Durable intake (webhook.intake) enqueues verified events instead of publishing them in the request.
    {
      provide: PaymntWebhookProcessor,
      useFactory: (options: ResolvedPaymntOptions, standard: PaymntWebhookProcessor, intake: PaymntWebhookProcessor) =>
        options.intake === undefined ? standard : intake,
      inject: [PAYMNT_OPTIONS, DEFAULT_WEBHOOK_PROCESSOR, INTAKE_WEBHOOK_PROCESSOR],
    },
    ...instance.providers,
  ];
  return {
    ...definition,
    providers: [...(definition.providers ?? []), ...providers],
    exports: [...(definition.exports ?? []), ...instance.exports],
    controllers: route.path === undefined ? [] : [createPaymntWebhookController(route.path, route.decorators)],
  };
}

/**
 * The Paymnt module: an injectable `PaymntClient` (`@InjectPaymntClient()`), `PaymentsService`,
 * `RefundsService`, `CustomersService`, `EventsService`, verified and de-duplicated webhooks, and typed domain
 * events on the app's `EventEmitter2` (the app imports `EventEmitterModule.forRoot()`).
 *
 * ```ts
 * imports: [
 *   EventEmitterModule.forRoot({ wildcard: true }),
 *   PaymntModule.forRoot({ apiKey: process.env.PAYMNT_API_KEY!, webhook: { secret: process.env.PAYMNT_WEBHOOK_SECRET!, path: 'webhooks/paymnt' } }),
 * ]
 * ```
 *
 * Several accounts or profiles: one more `forRoot({ name: 'eu', ... })` per account, injected with
 * `@InjectPaymntClient('eu')` and `@InjectPaymntService(PaymentsService, 'eu')`.
 */
@Module({})
export class PaymntModule extends ConfigurableModuleClass implements OnModuleInit, OnModuleDestroy {
  constructor(
    @Inject(PAYMNT_CLIENT) private readonly client: PaymntClient,
    @Inject(PAYMNT_INSTANCE) private readonly instance: PaymntInstance,
    private readonly modules: ModulesContainer,
  ) {
    super();
  }

  /**
   * Configures the module with static options. The built-in webhook route is registered at
   * `webhookPath` or `webhook.path`, with `webhookDecorators` or `webhook.decorators` on its class;
   * `webhookProcessor` or `webhook.processor` replaces the webhook processor everywhere. `name`
   * makes it a named instance, next to the default one.
   */
  static forRoot(options: typeof OPTIONS_TYPE): DynamicModule {
    const name = instanceName(options.name);
    return withInstance(super.forRoot(options), resolveWebhookRoute(options, options.webhook), name);
  }

  /**
   * Configures the module with options from a factory (e.g. `ConfigService`), `useClass` or
   * `useExisting`. The built-in webhook route needs `webhookPath` here (and `webhookDecorators`,
   * `webhookProcessor`), and a named instance its `name`: the controller, providers and tokens
   * are created before the factory runs.
   */
  static forRootAsync(options: typeof ASYNC_OPTIONS_TYPE): DynamicModule {
    const name = instanceName(options.name);
    return withInstance(super.forRootAsync(options), resolveWebhookRoute(options, undefined), name);
  }

  /**
   * Two instances with one name would export the same tokens (one of them silently wins), and two
   * on one path would answer each other's webhooks with the wrong secret: refuse both at startup.
   */
  onModuleInit(): void {
    for (const module of this.modules.values()) {
      if (module.metatype !== PaymntModule) continue;
      const other = module.providers.get(PAYMNT_INSTANCE)?.instance as PaymntInstance | undefined;
      if (other === undefined || other === this.instance) continue;
      const { name, path } = this.instance;
      if (other.name === name) {
        throw new PaymntConfigurationError(
          'name',
          `is "${name}" for two PaymntModule instances (routes ${describePath(path)} and ${describePath(other.path)}): give each forRoot() / forRootAsync() its own name`,
        );
      }
      if (path !== undefined && other.path === path) {
        throw new PaymntConfigurationError(
          'webhook.path',
          `is "${path}" for the PaymntModule instances "${name}" and "${other.name}": each instance verifies with its own secret, so give each its own webhook path`,
        );
      }
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.client.close();
  }
}

function describePath(path: string | undefined): string {
  return path === undefined ? 'none' : `"${path}"`;
}
