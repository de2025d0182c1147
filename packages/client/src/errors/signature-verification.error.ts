import { PaymntError } from './paymnt-error';

/** Why a webhook or redirect signature was refused. */
export type SignatureFailureReason =
  | 'missing_header'
  | 'malformed_header'
  | 'no_secret'
  | 'no_match'
  | 'parsed_body'
  | 'malformed_payload'
  | 'timestamp_outside_tolerance';

/** A webhook (or 3DS redirect) could not be verified. Safe to show: it never contains a secret. */
export class PaymntSignatureVerificationError extends PaymntError {
  readonly reason: SignatureFailureReason;

  constructor(reason: SignatureFailureReason, message: string) {
    super({ message, type: 'signature_verification', code: reason });
    this.reason = reason;
  }
}
