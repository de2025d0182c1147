import { PaymntError, type PaymntErrorParams } from './paymnt-error';

/**
 * The request never got an HTTP answer (refused, reset, hang-up, timeout) once retries are spent.
 * The original failure is in `cause`. The operation MAY have been applied: retry with the same
 * idempotency key to find out safely.
 */
export class PaymntConnectionError extends PaymntError {
  /** True when the last attempt ended on the client's timeout. */
  readonly timedOut: boolean;

  constructor(params: Omit<PaymntErrorParams, 'type'> & { timedOut?: boolean }) {
    super({ ...params, type: 'connection' });
    this.timedOut = params.timedOut ?? false;
  }
}
