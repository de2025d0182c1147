import { PaymntError } from './paymnt-error';

/** The API failed (HTTP 5xx, or an unexpected response), once retries are spent. */
export class PaymntApiError extends PaymntError {}
