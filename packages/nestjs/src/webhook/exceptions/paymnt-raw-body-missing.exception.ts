import { InternalServerErrorException } from '@nestjs/common';
import { PaymntWebhookMessages } from '../paymnt-webhook.messages';

/** 500: the app was created without `{ rawBody: true }`; the message says how to fix it. */
export class PaymntRawBodyMissingException extends InternalServerErrorException {
  constructor() {
    super({ statusCode: 500, error: 'Internal Server Error', code: 'raw_body_missing', message: PaymntWebhookMessages.RAW_BODY_MISSING });
  }
}
