import { PaymntError } from './paymnt-error';

/** An Idempotency-Key was reused with another body, or its first request is still in flight (HTTP 409). */
export class PaymntIdempotencyError extends PaymntError {}
