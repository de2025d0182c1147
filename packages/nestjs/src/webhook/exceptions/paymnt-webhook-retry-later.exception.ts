import { ServiceUnavailableException } from '@nestjs/common';
import { PaymntWebhookMessages } from '../paymnt-webhook.messages';

/** 503: a handler threw `PaymntRetryLaterError`. The claim was released; the API's redelivery runs the handlers again. */
export class PaymntWebhookRetryLaterException extends ServiceUnavailableException {
  constructor(
    readonly eventId: string,
    cause: unknown,
  ) {
    super({ statusCode: 503, error: 'Service Unavailable', code: 'handler_retry_later', message: PaymntWebhookMessages.HANDLER_RETRY_LATER, eventId }, { cause });
  }
}
