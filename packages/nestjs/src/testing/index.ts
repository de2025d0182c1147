export * from './build-webhook-event';
export * from './send-signed-webhook';
