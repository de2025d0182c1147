import { EVENT_TYPES } from '@paymnt/client';
import { paymentEventTypeFor, PaymntEvents, refundEventTypeFor } from './paymnt-events';

describe('PaymntEvents', () => {
  it('has one constant per API event type, named after it', () => {
    const expected = Object.fromEntries(EVENT_TYPES.map((type) => [type.toUpperCase(), `paymnt.${type}`]));
    expect(PaymntEvents).toEqual(expected);
    expect(PaymntEvents.PAYMENT_SUCCEEDED).toBe('paymnt.payment_succeeded');
  });
});

describe('status to event type (PAYMNT_API.md section 6)', () => {
  it.each([
    ['succeeded', 'payment_succeeded'],
    ['failed', 'payment_failed'],
    ['processing', 'payment_processing'],
    ['partially_captured_and_processing', 'payment_processing'],
    ['requires_customer_action', 'action_required'],
    ['requires_merchant_action', 'action_required'],
    ['conflicted', 'action_required'],
    ['review', 'action_required'],
    ['cancelled', 'payment_cancelled'],
    ['cancelled_post_capture', 'payment_cancelled_post_capture'],
    ['expired', 'payment_expired'],
    ['partially_captured', 'payment_captured'],
    ['partially_captured_and_capturable', 'payment_captured'],
    ['requires_capture', 'payment_authorized'],
    ['partially_authorized_and_requires_capture', 'payment_partially_authorized'],
    ['requires_payment_method', undefined],
    ['requires_confirmation', undefined],
    ['toString', undefined],
  ])('payment %s -> %s', (status, type) => {
    expect(paymentEventTypeFor(status)).toBe(type);
  });

  it.each([
    ['succeeded', 'refund_succeeded'],
    ['failed', 'refund_failed'],
    ['pending', undefined],
    ['review', undefined],
  ])('refund %s -> %s', (status, type) => {
    expect(refundEventTypeFor(status)).toBe(type);
  });
});
