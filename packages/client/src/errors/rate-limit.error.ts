import { PaymntError } from './paymnt-error';

/** Too many requests (HTTP 429), once retries are spent. */
export class PaymntRateLimitError extends PaymntError {}
