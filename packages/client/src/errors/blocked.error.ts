import { PaymntError } from './paymnt-error';

/**
 * The API answered HTTP 200 with an error envelope of type `blocked` (e.g. a risk or fraud rule
 * blocked the operation). Not retried: the same request would be blocked again.
 */
export class PaymntBlockedError extends PaymntError {}
