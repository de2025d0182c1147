import { UnsupportedMediaTypeException } from '@nestjs/common';
import { PaymntWebhookMessages } from '../paymnt-webhook.messages';

/** 415: the request is not JSON, so it cannot be a Paymnt webhook (and has no raw body to verify). */
export class PaymntWebhookContentTypeException extends UnsupportedMediaTypeException {
  constructor() {
    super({ statusCode: 415, error: 'Unsupported Media Type', code: 'unsupported_content_type', message: PaymntWebhookMessages.UNSUPPORTED_CONTENT_TYPE });
  }
}
