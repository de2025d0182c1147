export * from './paymnt-client';
export { PAYMNT_BASE_URLS, DEFAULT_CLIENT_OPTIONS, type PaymntClientOptions, type PaymntEnvironment, type AppInfo } from './client-options';
export * from './version';

export * from './models/common';
export * from './models/payment';
export * from './models/refund';
export * from './models/customer';
export * from './models/payment-method';
export * from './models/mandate';
export * from './models/dispute';
export * from './models/webhook-event';
export * from './models/webhook-delivery';

export * from './resources/payments.resource';
export * from './resources/refunds.resource';
export * from './resources/customers.resource';
export * from './resources/payment-methods.resource';
export * from './resources/mandates.resource';
export * from './resources/disputes.resource';
export * from './resources/events.resource';
export * from './resources/webhooks.resource';

export * from './pagination/page';
export * from './pagination/page-promise';

export * from './http/transport';
export * from './http/undici-transport';
export * from './http/fetch-transport';
export * from './http/transport-timeout.error';
export type { RequestEvent, ResponseEvent, PaymntClientEventMap, PaymntClientListener, LastResponse, PaymntResponse } from './http/request-events';

export * from './errors/paymnt-error';
export * from './errors/invalid-request.error';
export * from './errors/authentication.error';
export * from './errors/permission.error';
export * from './errors/not-found.error';
export * from './errors/idempotency.error';
export * from './errors/rate-limit.error';
export * from './errors/api.error';
export * from './errors/blocked.error';
export * from './errors/connection.error';
export * from './errors/validation.error';
export * from './errors/signature-verification.error';
export { createErrorFromResponse, type ErrorResponse } from './errors/error-factory';

export * from './webhooks/webhook-signature';
export * from './webhooks/redirect-signature';
export * from './webhooks/construct-webhook-event';
export * from './webhooks/webhook-event-shape';
export { parseIsoTime } from './webhooks/parse-iso-time';
