// The public surface: what an app imports. Internals (option defaults, the resolver, the built-in
// controller factory, request keys, job ids) stay behind the module.
export { PAYMNT_CLIENT, PAYMNT_EVENT_STORE, PAYMNT_EVENT_WILDCARD, PAYMNT_OPTIONS } from './paymnt.constants';
export * from './paymnt.decorators';
export { getPaymntClientToken, getPaymntEventStoreToken, getPaymntOptionsToken, getPaymntServiceToken, PAYMNT_DEFAULT_INSTANCE } from './paymnt.tokens';
export * from './paymnt.module';
export type { PaymntModuleExtras } from './paymnt.module-definition';
export * from './options/paymnt-module-options.interface';
export { PAYMNT_REDACTED, redactPaymntOptions } from './options/redact-paymnt-options';

export * from './errors/paymnt-module.error';
export * from './errors/paymnt-configuration.error';
export * from './errors/paymnt-event-handler.error';
export * from './errors/paymnt-retry-later.error';
export * from './errors/paymnt-redis-timeout.error';

export * from './services/payments.service';
export * from './services/refunds.service';
export * from './services/disputes.service';
export * from './services/customers.service';
export * from './services/payment-methods.service';
export * from './services/mandates.service';
export * from './services/events.service';
export * from './services/checkout.service';

export { PaymntEvents, type OtherEventType, type PaymntEventName } from './events/paymnt-events';
export * from './events/paymnt-event.types';
export * from './events/payment.event';
export * from './events/refund.event';
export * from './events/mandate.event';
export * from './events/dispute.event';
export * from './events/paymnt-resource.event';
export * from './events/on-paymnt-event.decorator';
export { PaymntEventPublisher } from './events/paymnt-event.publisher';
export * from './events/paymnt-publish-outcome';
export type { PaymntTransition } from './events/paymnt-transition';

export * from './stores/paymnt-event.store';
export * from './stores/memory-event.store';
export { RedisEventStore, type RedisEventStoreOptions } from './stores/redis-event.store';

export * from './webhook/paymnt-webhook.processor';
export * from './webhook/paymnt-webhook.guard';
export * from './webhook/paymnt-webhook.decorators';
export type { PaymntWebhookResponse } from './webhook/paymnt-webhook.controller';
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

export { PaymntIntakeService, type PaymntDeadLetterJobData, type PaymntIntakeCounts, type PaymntIntakeJobData } from './intake/paymnt-intake.service';
export * from './intake/paymnt-intake-webhook.processor';

export * from './reconciliation/paymnt-payment.tracker';
export * from './reconciliation/memory-payment.tracker';
export * from './reconciliation/redis-payment.tracker';
export * from './reconciliation/paymnt-reconciliation.service';
export * from './redis/paymnt-redis.types';

export * from './health/paymnt-health.indicator';
export * from './health/paymnt-health.types';
export { PaymntTelemetry, type PaymntReceivedWebhook } from './telemetry/paymnt-telemetry';
export { PaymntTelemetryNames } from './telemetry/paymnt-telemetry.names';
