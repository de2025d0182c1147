import { type DynamicModule, Module, type OnModuleDestroy, type Provider } from '@nestjs/common';
import { PaymntClient, PaymntValidationError } from '@paymnt/client';
import { PaymntConfigurationError } from './errors/paymnt-configuration.error';
import { PaymntEventPublisher } from './events/paymnt-event.publisher';
import { PaymntIntakeWebhookProcessor } from './intake/paymnt-intake-webhook.processor';
import { PaymntIntakeService } from './intake/paymnt-intake.service';
import type { PaymntModuleOptions, ResolvedPaymntOptions } from './options/paymnt-module-options.interface';
import { normalizeWebhookPath, resolvePaymntOptions } from './options/resolve-paymnt-options';
import { PAYMNT_CLIENT, PAYMNT_EVENT_STORE, PAYMNT_OPTIONS, PAYMNT_WEBHOOK_PATH } from './paymnt.constants';
import { InjectPaymntClient } from './paymnt.decorators';
import { ASYNC_OPTIONS_TYPE, ConfigurableModuleClass, MODULE_OPTIONS_TOKEN, OPTIONS_TYPE } from './paymnt.module-definition';
import { PaymntReconciliationService } from './reconciliation/paymnt-reconciliation.service';
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

/** The default webhook processor, provided under this token so intake mode can replace it (see below). */
const DEFAULT_WEBHOOK_PROCESSOR = Symbol('paymnt:default_webhook_processor');

/** Adds the path token, and the built-in controller when there is a path. */
function withWebhookRoute(definition: DynamicModule, path: string | undefined): DynamicModule {
  const pathProvider: Provider = { provide: PAYMNT_WEBHOOK_PATH, useValue: path ?? null };
  return {
    ...definition,
    providers: [...(definition.providers ?? []), pathProvider],
    controllers: path === undefined ? [] : [createPaymntWebhookController(path)],
  };
}

/**
 * The Paymnt module: an injectable `PaymntClient` (`@InjectPaymntClient()`), `PaymentsService`,
 * `RefundsService`, verified and de-duplicated webhooks, and typed domain events on the app's
 * `EventEmitter2` (the app imports `EventEmitterModule.forRoot()`).
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
      useFactory: (options: PaymntModuleOptions, path: string | null) => resolvePaymntOptions(options, path ?? undefined),
      inject: [MODULE_OPTIONS_TOKEN, PAYMNT_WEBHOOK_PATH],
    },
    { provide: PAYMNT_CLIENT, useFactory: createPaymntClient, inject: [PAYMNT_OPTIONS] },
    { provide: PAYMNT_EVENT_STORE, useFactory: (options: ResolvedPaymntOptions) => options.store, inject: [PAYMNT_OPTIONS] },
    PaymntEventPublisher,
    { provide: DEFAULT_WEBHOOK_PROCESSOR, useClass: PaymntWebhookProcessor },
    PaymntIntakeService,
    PaymntIntakeWebhookProcessor,
    // Durable intake (webhook.intake) enqueues verified events instead of publishing them in the request.
    {
      provide: PaymntWebhookProcessor,
      useFactory: (options: ResolvedPaymntOptions, standard: PaymntWebhookProcessor, intake: PaymntIntakeWebhookProcessor) =>
        options.intake === undefined ? standard : intake,
      inject: [PAYMNT_OPTIONS, DEFAULT_WEBHOOK_PROCESSOR, PaymntIntakeWebhookProcessor],
    },
    PaymntReconciliationService,
    PaymentsService,
    RefundsService,
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
  ],
})
export class PaymntModule extends ConfigurableModuleClass implements OnModuleDestroy {
  constructor(@InjectPaymntClient() private readonly client: PaymntClient) {
    super();
  }

  /**
   * Configures the module with static options. The built-in webhook route is registered at
   * `webhookPath` or `webhook.path`.
   */
  static forRoot(options: typeof OPTIONS_TYPE): DynamicModule {
    const extra = options.webhookPath === undefined ? undefined : normalizeWebhookPath(options.webhookPath, 'webhookPath');
    const fromOptions = options.webhook?.path === undefined ? undefined : normalizeWebhookPath(options.webhook.path, 'webhook.path');
    if (extra !== undefined && fromOptions !== undefined && extra !== fromOptions) {
      throw new PaymntConfigurationError('webhookPath', `differs from webhook.path ("${extra}" vs "${fromOptions}"): give only one`);
    }
    return withWebhookRoute(super.forRoot(options), extra ?? fromOptions);
  }

  /**
   * Configures the module with options from a factory (e.g. `ConfigService`), `useClass` or
   * `useExisting`. The built-in webhook route needs `webhookPath` here: routes are registered
   * before the factory runs.
   */
  static forRootAsync(options: typeof ASYNC_OPTIONS_TYPE): DynamicModule {
    const path = options.webhookPath === undefined ? undefined : normalizeWebhookPath(options.webhookPath, 'webhookPath');
    return withWebhookRoute(super.forRootAsync(options), path);
  }

  async onModuleDestroy(): Promise<void> {
    await this.client.close();
  }
}
