import type { KnownDisputeStatus } from '@paymnt/client';
import type { IntentStatus, RefundStatus } from '../state/records';

/** Section 6: the event a payment status produces (none for requires_payment_method/confirmation). */
export function paymentEventType(status: IntentStatus): string | null {
  switch (status) {
    case 'succeeded':
      return 'payment_succeeded';
    case 'failed':
      return 'payment_failed';
    case 'processing':
    case 'partially_captured_and_processing':
      return 'payment_processing';
    case 'requires_customer_action':
    case 'requires_merchant_action':
    case 'conflicted':
    case 'review':
      return 'action_required';
    case 'cancelled':
      return 'payment_cancelled';
    case 'cancelled_post_capture':
      return 'payment_cancelled_post_capture';
    case 'expired':
      return 'payment_expired';
    case 'partially_captured':
    case 'partially_captured_and_capturable':
      return 'payment_captured';
    case 'requires_capture':
      return 'payment_authorized';
    case 'partially_authorized_and_requires_capture':
      return 'payment_partially_authorized';
    case 'requires_payment_method':
    case 'requires_confirmation':
      return null;
  }
}

/** Refund success/failure produce events; pending and review do not. */
export function refundEventType(status: RefundStatus): string | null {
  if (status === 'succeeded') return 'refund_succeeded';
  if (status === 'failed') return 'refund_failed';
  return null;
}

/** Every dispute status is also the name of its event (`dispute_opened` … `dispute_lost`). */
export function disputeEventType(status: KnownDisputeStatus): string {
  return status;
}
