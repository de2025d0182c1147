import { UnauthorizedException } from '@nestjs/common';
import type { SignatureFailureReason } from '@paymnt/client';

/** 401: the webhook has no signature, or it does not match (wrong secret, altered body, too old). */
export class PaymntWebhookSignatureException extends UnauthorizedException {
  constructor(
    /** Why verification failed, e.g. `missing_header`, `no_match`. */
    readonly reason: SignatureFailureReason,
    message: string,
  ) {
    super({ statusCode: 401, error: 'Unauthorized', code: reason, message });
  }
}
