import type { Payment, PaymentEventType, PaymentWebhookEvent } from '@paymnt/client';
import { PAYMNT_DEFAULT_INSTANCE } from '../paymnt.tokens';
import type { PaymntEventSource } from './paymnt-event.types';

/**
 * A payment changed state. Emitted as `'paymnt.' + type` (see `PaymntEvents`), once per
 * (payment, event type) whether it was learned from a webhook or from an API response.
 */
export class PaymentEvent<T extends PaymentEventType = PaymentEventType> {
  constructor(
    /** The webhook's `event_id`, or `api_<uuid>` when learned from an API response. */
    readonly eventId: string,
    /** The API's event type, e.g. `payment_succeeded`. */
    readonly type: T,
    /** The payment as the webhook or the API response had it. */
    readonly payment: Payment,
    /** The webhook's `timestamp`, or the payment's `updated` time for an API response. */
    readonly timestamp: string,
    /** Where the module learned it. */
    readonly source: PaymntEventSource,
    /** The verified webhook body, for `source: 'webhook'`. */
    readonly raw?: PaymentWebhookEvent<T>,
    /**
     * The module instance that published it: its `name` (see `PaymntModule.forRoot({ name })`),
     * `'default'` for the unnamed one. Lets one handler tell the accounts of an app apart.
     */
    readonly instance: string = PAYMNT_DEFAULT_INSTANCE,
  ) {}
}

export type PaymentSucceededEvent = PaymentEvent<'payment_succeeded'>;
export type PaymentFailedEvent = PaymentEvent<'payment_failed'>;
export type PaymentProcessingEvent = PaymentEvent<'payment_processing'>;
export type PaymentCancelledEvent = PaymentEvent<'payment_cancelled'>;
export type PaymentCancelledPostCaptureEvent = PaymentEvent<'payment_cancelled_post_capture'>;
export type PaymentAuthorizedEvent = PaymentEvent<'payment_authorized'>;
export type PaymentPartiallyAuthorizedEvent = PaymentEvent<'payment_partially_authorized'>;
export type PaymentCapturedEvent = PaymentEvent<'payment_captured'>;
export type PaymentExpiredEvent = PaymentEvent<'payment_expired'>;
export type ActionRequiredEvent = PaymentEvent<'action_required'>;
