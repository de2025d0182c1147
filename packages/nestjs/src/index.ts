export * from './paymnt.constants';
export * from './paymnt.decorators';
export * from './paymnt.module';
export type { PaymntModuleExtras } from './paymnt.module-definition';
export * from './options/paymnt-module-options.interface';
export { DEFAULT_PAYMNT_INTAKE_OPTIONS, DEFAULT_PAYMNT_MODULE_OPTIONS, DEFAULT_PAYMNT_RECONCILIATION_OPTIONS } from './options/paymnt-options.defaults';
export { resolvePaymntOptions, type PaymntRegisteredWebhookRoute } from './options/resolve-paymnt-options';
export { PAYMNT_REDACTED, redactPaymntOptions } from './options/redact-paymnt-options';

export * from './errors/paymnt-module.error';
export * from './errors/paymnt-configuration.error';
export * from './errors/paymnt-event-handler.error';
export * from './errors/paymnt-retry-later.error';
export * from './errors/paymnt-redis-timeout.error';

export * from './services/payments.service';
export * from './services/refunds.service';

export * from './events/paymnt-events';
export * from './events/paymnt-event.types';
export * from './events/payment.event';
export * from './events/refund.event';
export * from './events/paymnt-resource.event';
export * from './events/on-paymnt-event.decorator';
export * from './events/paymnt-event.publisher';

export * from './stores/paymnt-event.store';
export * from './stores/memory-event.store';
export * from './stores/redis-event.store';

export * from './webhook/paymnt-webhook.processor';
export * from './webhook/paymnt-webhook.guard';
export * from './webhook/paymnt-webhook.decorators';
export * from './webhook/paymnt-webhook.controller';
export * from './webhook/paymnt-webhook.messages';
export * from './diagnostics/paymnt-diagnostics.messages';
export * from './webhook/exceptions/paymnt-webhook-signature.exception';
export * from './webhook/exceptions/paymnt-webhook-payload.exception';
export * from './webhook/exceptions/paymnt-webhook-content-type.exception';
export * from './webhook/exceptions/paymnt-webhook-in-progress.exception';
export * from './webhook/exceptions/paymnt-webhook-handler.exception';
export * from './webhook/exceptions/paymnt-webhook-store.exception';
export * from './webhook/exceptions/paymnt-webhook-retry-later.exception';
export * from './webhook/exceptions/paymnt-raw-body-missing.exception';

export * from './filters/paymnt-exception.filter';

export * from './intake/paymnt-intake.service';
export * from './intake/paymnt-intake-webhook.processor';

export * from './reconciliation/paymnt-payment.tracker';
export * from './reconciliation/memory-payment.tracker';
export * from './reconciliation/redis-payment.tracker';
export * from './reconciliation/paymnt-reconciliation.service';
export * from './redis/paymnt-redis.types';
