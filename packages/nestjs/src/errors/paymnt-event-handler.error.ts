import { PaymntModuleError } from './paymnt-module.error';
import { PaymntRetryLaterError } from './paymnt-retry-later.error';

/**
 * A handler of a domain event threw. The event's claim was released, so a redelivery of the
 * webhook runs the handlers again. The handler's error is in `cause`.
 */
export class PaymntEventHandlerError extends PaymntModuleError {
  /** The handler threw `PaymntRetryLaterError`: it could not apply the event yet (not a failure). */
  readonly retryLater: boolean;

  constructor(
    /** The domain event name, e.g. `paymnt.payment_succeeded`. */
    readonly eventName: string,
    /** The webhook `event_id`, or the generated id of an API-sourced event. */
    readonly eventId: string,
    cause: unknown,
  ) {
    super(`A handler of ${eventName} (event ${eventId}) failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.retryLater = cause instanceof PaymntRetryLaterError;
  }
}
