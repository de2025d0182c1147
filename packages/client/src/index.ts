export * from './models/common';
export * from './models/payment';
export * from './models/refund';
export * from './models/webhook-event';

export * from './errors/paymnt-error';
export * from './errors/invalid-request.error';
export * from './errors/authentication.error';
export * from './errors/permission.error';
export * from './errors/not-found.error';
export * from './errors/idempotency.error';
export * from './errors/rate-limit.error';
export * from './errors/api.error';
export * from './errors/connection.error';
export * from './errors/validation.error';
export * from './errors/signature-verification.error';

export * from './webhooks/webhook-signature';
export * from './webhooks/redirect-signature';
