import { ServiceUnavailableException } from '@nestjs/common';
import { PaymntWebhookMessages } from '../paymnt-webhook.messages';

/** 503: the event store (e.g. Redis) failed, so the event could not be de-duplicated safely. */
export class PaymntWebhookStoreException extends ServiceUnavailableException {
  constructor(
    readonly eventId: string,
    cause: unknown,
  ) {
    super({ statusCode: 503, error: 'Service Unavailable', code: 'store_unavailable', message: PaymntWebhookMessages.STORE_FAILED, eventId }, { cause });
  }
}
