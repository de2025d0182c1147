import { BadRequestException } from '@nestjs/common';

/** 400: the webhook is correctly signed but its body is not a Paymnt event. */
export class PaymntWebhookPayloadException extends BadRequestException {
  constructor(message: string) {
    super({ statusCode: 400, error: 'Bad Request', code: 'malformed_payload', message });
  }
}
