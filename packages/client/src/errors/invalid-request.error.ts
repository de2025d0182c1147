import { PaymntError } from './paymnt-error';

/** The API rejected the request as invalid (HTTP 400 or 422). */
export class PaymntInvalidRequestError extends PaymntError {}
