import { PaymntError } from './paymnt-error';

/** The API key is not allowed to do this (HTTP 403). */
export class PaymntPermissionError extends PaymntError {}
