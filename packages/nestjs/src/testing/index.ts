export * from './paymnt-testing-sandbox';
export * from './build-webhook-event';
export * from './send-signed-webhook';
