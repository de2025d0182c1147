import { WEBHOOK_SIGNATURE_HEADER, WebhookEventMessages } from '@paymnt/client';

/** Every message the webhook route answers with, kept together. None contains a secret. */
export const PaymntWebhookMessages = {
  MISSING_SIGNATURE: `Missing ${WEBHOOK_SIGNATURE_HEADER} header: this request is not a signed Paymnt webhook.`,
  RAW_BODY_MISSING:
    'Paymnt webhook: the raw request body is not available, so the signature cannot be checked. ' +
    'Create the app with NestFactory.create(AppModule, { rawBody: true }) (Express and Fastify alike) ' +
    'and keep the built-in JSON body parser enabled.',
  UNSUPPORTED_CONTENT_TYPE: 'Paymnt webhooks are sent as application/json.',
  // The body checks are the client's: one wording wherever a webhook is verified.
  NOT_JSON: WebhookEventMessages.NOT_JSON,
  NOT_AN_EVENT: WebhookEventMessages.NOT_AN_EVENT,
  BAD_TIMESTAMP: WebhookEventMessages.BAD_TIMESTAMP,
  IN_PROGRESS: 'This event is being processed by another delivery; not acknowledged yet, so it will be delivered again.',
  HANDLER_FAILED: 'A handler of this event failed; the event will run again when it is redelivered.',
  HANDLER_RETRY_LATER: 'A handler cannot apply this event yet; it will run again when the event is redelivered.',
  STORE_FAILED: 'The event store is unavailable; the event will run when it is redelivered.',
} as const;
