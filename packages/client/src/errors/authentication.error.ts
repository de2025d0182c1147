import { PaymntError } from './paymnt-error';

/** Missing or invalid API key or profile (HTTP 401). */
export class PaymntAuthenticationError extends PaymntError {}
