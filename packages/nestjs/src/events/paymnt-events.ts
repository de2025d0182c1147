import { isDisputeEventType, type DisputeEventType, type DisputeStatus, type KnownEventType, type MandateEventType, type PaymentEventType, type PaymentStatus, type RefundEventType, type RefundStatus } from '@paymnt/client';

/**
 * Names of the domain events emitted on the app's `EventEmitter2`: one per event type of the API
 * (PAYMNT_API.md section 6), `'paymnt.' + event_type`. Use them with `@OnPaymntEvent()` or `@OnEvent()`.
 */
export const PaymntEvents = {
  PAYMENT_SUCCEEDED: 'paymnt.payment_succeeded',
  PAYMENT_FAILED: 'paymnt.payment_failed',
  PAYMENT_PROCESSING: 'paymnt.payment_processing',
  PAYMENT_CANCELLED: 'paymnt.payment_cancelled',
  PAYMENT_CANCELLED_POST_CAPTURE: 'paymnt.payment_cancelled_post_capture',
  PAYMENT_AUTHORIZED: 'paymnt.payment_authorized',
  PAYMENT_PARTIALLY_AUTHORIZED: 'paymnt.payment_partially_authorized',
  PAYMENT_CAPTURED: 'paymnt.payment_captured',
  PAYMENT_EXPIRED: 'paymnt.payment_expired',
  ACTION_REQUIRED: 'paymnt.action_required',
  REFUND_SUCCEEDED: 'paymnt.refund_succeeded',
  REFUND_FAILED: 'paymnt.refund_failed',
  DISPUTE_OPENED: 'paymnt.dispute_opened',
  DISPUTE_EXPIRED: 'paymnt.dispute_expired',
  DISPUTE_ACCEPTED: 'paymnt.dispute_accepted',
  DISPUTE_CANCELLED: 'paymnt.dispute_cancelled',
  DISPUTE_CHALLENGED: 'paymnt.dispute_challenged',
  DISPUTE_WON: 'paymnt.dispute_won',
  DISPUTE_LOST: 'paymnt.dispute_lost',
  MANDATE_ACTIVE: 'paymnt.mandate_active',
  MANDATE_REVOKED: 'paymnt.mandate_revoked',
  PAYOUT_SUCCESS: 'paymnt.payout_success',
  PAYOUT_FAILED: 'paymnt.payout_failed',
  PAYOUT_INITIATED: 'paymnt.payout_initiated',
  PAYOUT_PROCESSING: 'paymnt.payout_processing',
  PAYOUT_CANCELLED: 'paymnt.payout_cancelled',
  PAYOUT_EXPIRED: 'paymnt.payout_expired',
  PAYOUT_REVERSED: 'paymnt.payout_reversed',
  INVOICE_PAID: 'paymnt.invoice_paid',
} as const satisfies Record<string, `paymnt.${KnownEventType}`>;

/** A domain event name, e.g. `'paymnt.payment_succeeded'`. */
export type PaymntEventName = (typeof PaymntEvents)[keyof typeof PaymntEvents];

/** Event types that are neither payment, refund, mandate nor dispute events (payouts, invoices). */
export type OtherEventType = Exclude<KnownEventType, PaymentEventType | RefundEventType | MandateEventType | DisputeEventType>;

const PAYMENT_STATUS_EVENTS: Readonly<Record<string, PaymentEventType>> = {
  succeeded: 'payment_succeeded',
  failed: 'payment_failed',
  processing: 'payment_processing',
  partially_captured_and_processing: 'payment_processing',
  requires_customer_action: 'action_required',
  requires_merchant_action: 'action_required',
  conflicted: 'action_required',
  review: 'action_required',
  cancelled: 'payment_cancelled',
  cancelled_post_capture: 'payment_cancelled_post_capture',
  expired: 'payment_expired',
  partially_captured: 'payment_captured',
  partially_captured_and_capturable: 'payment_captured',
  requires_capture: 'payment_authorized',
  partially_authorized_and_requires_capture: 'payment_partially_authorized',
};

const REFUND_STATUS_EVENTS: Readonly<Record<string, RefundEventType>> = {
  succeeded: 'refund_succeeded',
  failed: 'refund_failed',
};

/**
 * The event type the API sends for a payment in `status` (section 6), or `undefined` when it sends
 * none (`requires_payment_method`, `requires_confirmation`, unknown statuses).
 */
export function paymentEventTypeFor(status: PaymentStatus): PaymentEventType | undefined {
  return Object.prototype.hasOwnProperty.call(PAYMENT_STATUS_EVENTS, status) ? PAYMENT_STATUS_EVENTS[status] : undefined;
}

/** The event type the API sends for a refund in `status`, or `undefined` (`pending`, `review`). */
export function refundEventTypeFor(status: RefundStatus): RefundEventType | undefined {
  return Object.prototype.hasOwnProperty.call(REFUND_STATUS_EVENTS, status) ? REFUND_STATUS_EVENTS[status] : undefined;
}

/** The event type the API sends for a dispute in `status`: the status itself (`dispute_opened` …), `undefined` for an unknown one. */
export function disputeEventTypeFor(status: DisputeStatus): DisputeEventType | undefined {
  return isDisputeEventType(status) ? status : undefined;
}
