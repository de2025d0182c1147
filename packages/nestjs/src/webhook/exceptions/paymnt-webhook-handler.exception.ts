import { InternalServerErrorException } from '@nestjs/common';
import { PaymntWebhookMessages } from '../paymnt-webhook.messages';

/**
 * 500: a handler of the event threw. The claim was released, so the API's redelivery runs the
 * handlers again. The handler's error is logged and kept in `cause`, never sent to the caller.
 */
export class PaymntWebhookHandlerException extends InternalServerErrorException {
  constructor(
    readonly eventId: string,
    cause: unknown,
  ) {
    super({ statusCode: 500, error: 'Internal Server Error', code: 'handler_failed', message: PaymntWebhookMessages.HANDLER_FAILED, eventId }, { cause });
  }
}
