import { PaymntError } from './paymnt-error';

/** The object or route does not exist (HTTP 404). */
export class PaymntNotFoundError extends PaymntError {}
