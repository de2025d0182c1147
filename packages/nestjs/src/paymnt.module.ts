import { type DynamicModule, Module, type OnModuleDestroy, type Provider } from '@nestjs/common';
import { PaymntClient, PaymntValidationError } from '@paymnt/client';
import { PaymntStartupChecks } from './diagnostics/paymnt-startup.checks';
import { PaymntConfigurationError } from './errors/paymnt-configuration.error';
import { PaymntEventPublisher } from './events/paymnt-event.publisher';
import { createIntakeWebhookProcessor } from './intake/create-intake-webhook.processor';
import { PaymntIntakeWebhookProcessor } from './intake/paymnt-intake-webhook.processor';
import { PaymntIntakeService } from './intake/paymnt-intake.service';
import type { PaymntModuleOptions, ResolvedPaymntOptions } from './options/paymnt-module-options.interface';
import { resolvePaymntOptions } from './options/resolve-paymnt-options';
import { type PaymntWebhookRoute, resolveWebhookRoute } from './options/resolve-webhook-route';
import { PAYMNT_CLIENT, PAYMNT_EVENT_STORE, PAYMNT_OPTIONS, PAYMNT_WEBHOOK_PATH } from './paymnt.constants';
import { InjectPaymntClient } from './paymnt.decorators';
import { ASYNC_OPTIONS_TYPE, ConfigurableModuleClass, MODULE_OPTIONS_TOKEN, OPTIONS_TYPE } from './paymnt.module-definition';
import { PaymntReconciliationService } from './reconciliation/paymnt-reconciliation.service';
import { CustomersService } from './services/customers.service';
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
/** The decorators and processor class given at module creation, for `resolvePaymntOptions`. */
const PAYMNT_WEBHOOK_ROUTE = Symbol('paymnt:webhook_route');

/**
 * Adds what the webhook route fixed at module creation: the path token, the built-in controller
 * (with its decorators) when there is a path, and the processor providers. The one provided as
 * `PaymntWebhookProcessor` is the user's class (or the default), or, with `webhook.intake`, that
 * same class enqueueing instead of publishing: one processor for the built-in route, the guard and intake.
 */
function withWebhookRoute(definition: DynamicModule, route: PaymntWebhookRoute): DynamicModule {
  const providers: Provider[] = [
    { provide: PAYMNT_WEBHOOK_PATH, useValue: route.path ?? null },
    { provide: PAYMNT_WEBHOOK_ROUTE, useValue: route },
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
  ];
  return {
    ...definition,
    providers: [...(definition.providers ?? []), ...providers],
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
 */
@Module({
  providers: [
    {
      provide: PAYMNT_OPTIONS,
      useFactory: (options: PaymntModuleOptions, route: PaymntWebhookRoute) => resolvePaymntOptions(options, route.path, route),
      inject: [MODULE_OPTIONS_TOKEN, PAYMNT_WEBHOOK_ROUTE],
    },
    { provide: PAYMNT_CLIENT, useFactory: createPaymntClient, inject: [PAYMNT_OPTIONS] },
    { provide: PAYMNT_EVENT_STORE, useFactory: (options: ResolvedPaymntOptions) => options.store, inject: [PAYMNT_OPTIONS] },
    PaymntEventPublisher,
    PaymntIntakeService,
    PaymntIntakeWebhookProcessor,
    PaymntReconciliationService,
    PaymentsService,
    RefundsService,
    CustomersService,
    EventsService,
    PaymntStartupChecks,
  ],
  exports: [
    PAYMNT_OPTIONS,
    PAYMNT_CLIENT,
    PAYMNT_EVENT_STORE,
    PaymntEventPublisher,
    PaymntWebhookProcessor,
    PaymntIntakeService,
    PaymntReconciliationService,
    PaymentsService,
    RefundsService,
    CustomersService,
    EventsService,
  ],
})
export class PaymntModule extends ConfigurableModuleClass implements OnModuleDestroy {
  constructor(@InjectPaymntClient() private readonly client: PaymntClient) {
    super();
  }

  /**
   * Configures the module with static options. The built-in webhook route is registered at
   * `webhookPath` or `webhook.path`, with `webhookDecorators` or `webhook.decorators` on its class;
   * `webhookProcessor` or `webhook.processor` replaces the webhook processor everywhere.
   */
  static forRoot(options: typeof OPTIONS_TYPE): DynamicModule {
    return withWebhookRoute(super.forRoot(options), resolveWebhookRoute(options, options.webhook));
  }

  /**
   * Configures the module with options from a factory (e.g. `ConfigService`), `useClass` or
   * `useExisting`. The built-in webhook route needs `webhookPath` here (and `webhookDecorators`,
   * `webhookProcessor`): the controller and providers are created before the factory runs.
   */
  static forRootAsync(options: typeof ASYNC_OPTIONS_TYPE): DynamicModule {
    return withWebhookRoute(super.forRootAsync(options), resolveWebhookRoute(options, undefined));
  }

  async onModuleDestroy(): Promise<void> {
    await this.client.close();
  }
}
