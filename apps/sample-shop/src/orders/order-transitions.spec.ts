import type { Dispute, Payment, Refund } from '@paymnt/client';
import { PaymntRetryLaterError } from '@paymnt/nestjs';
import type { Order } from './order';
import { applyDisputeEvent, applyPaymentEvent, applyRefundEvent, type DisputeChange, OrderNotReadyError, type PaymentChange, paymentMetadata, type RefundChange } from './order-transitions';

function newOrder(): Order {
  return {
    id: 'ord_1',
    status: 'pending_payment',
    currency: 'USD',
    amount: 10_000,
    items: [{ name: 'Thing', quantity: 1, unitAmount: 10_000 }],
    paymentId: 'pay_1',
    paymentAttempt: 1,
    attemptPending: false,
    accessTokenHash: '',
    accountId: null,
    authorizedAmount: 0,
    capturedAmount: 0,
    refundedAmount: 0,
    chargedBackAmount: 0,
    dispute: null,
    refunds: {},
    failureReason: null,
    history: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}

let seq = 0;
function paymentEvent(type: string, payment: Partial<Payment>): PaymentChange {
  seq += 1;
  const full = { payment_id: 'pay_1', currency: 'USD', amount: 10_000, amount_capturable: 0, amount_received: null, error_code: null, error_message: null, ...payment } as Payment;
  return { eventId: `evt_${seq}`, type, timestamp: new Date().toISOString(), source: 'webhook', payment: full };
}

function refundEvent(type: string, refund: Partial<Refund>): RefundChange {
  seq += 1;
  const full = { refund_id: 'ref_1', payment_id: 'pay_1', currency: 'USD', amount: 1_000, status: 'succeeded', ...refund } as Refund;
  return { eventId: `evt_${seq}`, type, timestamp: new Date().toISOString(), source: 'webhook', refund: full };
}

function disputeEvent(type: string, dispute: Partial<Dispute> = {}): DisputeChange {
  seq += 1;
  const full = { dispute_id: 'dp_1', payment_id: 'pay_1', amount: '10000', currency: 'USD', dispute_status: type, connector_reason: 'fraudulent', ...dispute } as Dispute;
  return { eventId: `evt_${seq}`, type, timestamp: new Date().toISOString(), source: 'webhook', dispute: full };
}

function paid(captured = 10_000): Order {
  const order = newOrder();
  applyPaymentEvent(order, paymentEvent('payment_authorized', { amount_capturable: 10_000 }));
  applyPaymentEvent(order, paymentEvent(captured === 10_000 ? 'payment_succeeded' : 'payment_captured', { amount_received: captured }));
  return order;
}

describe('applyPaymentEvent', () => {
  it('walks an order through 3DS, authorization and capture, recording each event', () => {
    const order = newOrder();
    expect(applyPaymentEvent(order, paymentEvent('action_required', {})).applied).toBe(true);
    expect(order.status).toBe('requires_action');
    expect(applyPaymentEvent(order, paymentEvent('payment_authorized', { amount_capturable: 10_000 })).applied).toBe(true);
    expect(order).toMatchObject({ status: 'authorized', authorizedAmount: 10_000 });
    expect(applyPaymentEvent(order, paymentEvent('payment_captured', { amount_received: 6_000 })).applied).toBe(true);
    expect(order).toMatchObject({ status: 'paid', capturedAmount: 6_000 });
    expect(order.history.map((h) => [h.type, h.status, h.amount])).toEqual([
      ['action_required', 'requires_action', undefined],
      ['payment_authorized', 'authorized', 10_000],
      ['payment_captured', 'paid', 6_000],
    ]);
  });

  it('ignores a replayed event: same payment and type, even with another event id', () => {
    const order = newOrder();
    applyPaymentEvent(order, paymentEvent('payment_authorized', { amount_capturable: 10_000 }));
    const before = structuredClone(order);
    const result = applyPaymentEvent(order, paymentEvent('payment_authorized', { amount_capturable: 10_000 }));
    expect(result).toEqual({ applied: false, reason: 'already applied' });
    expect(order).toEqual(before);
  });

  it('ignores an event the order has moved past (a failure arriving after the capture)', () => {
    const order = paid();
    const before = structuredClone(order);
    const result = applyPaymentEvent(order, paymentEvent('payment_failed', { error_message: 'late' }));
    expect(result.applied).toBe(false);
    expect(order).toEqual(before);
  });

  it('applies a capture that arrives before its authorization, then drops the late authorization', () => {
    const order = newOrder();
    applyPaymentEvent(order, paymentEvent('payment_succeeded', { amount_received: 10_000 }));
    expect(order).toMatchObject({ status: 'paid', authorizedAmount: 10_000, capturedAmount: 10_000 });
    expect(applyPaymentEvent(order, paymentEvent('payment_authorized', { amount_capturable: 10_000 })).applied).toBe(false);
    expect(order.status).toBe('paid');
  });

  it('refuses a payment whose amount or currency differ from the order', () => {
    const order = newOrder();
    expect(applyPaymentEvent(order, paymentEvent('payment_authorized', { amount: 1, amount_capturable: 1 })).applied).toBe(false);
    expect(applyPaymentEvent(order, paymentEvent('payment_authorized', { currency: 'EUR', amount_capturable: 10_000 })).applied).toBe(false);
    expect(order.status).toBe('pending_payment');
  });

  it('refuses a capture above the order total', () => {
    const order = newOrder();
    expect(applyPaymentEvent(order, paymentEvent('payment_succeeded', { amount_received: 10_001 })).applied).toBe(false);
    expect(order.capturedAmount).toBe(0);
  });

  it('records the decline reason', () => {
    const order = newOrder();
    applyPaymentEvent(order, paymentEvent('payment_failed', { error_code: 'DC_08', error_message: 'Payment declined: Card declined' }));
    expect(order).toMatchObject({ status: 'payment_failed', failureReason: 'Payment declined: Card declined' });
  });

  it('releases the authorization on a void', () => {
    const order = newOrder();
    applyPaymentEvent(order, paymentEvent('payment_authorized', { amount_capturable: 10_000 }));
    applyPaymentEvent(order, paymentEvent('payment_cancelled', {}));
    expect(order).toMatchObject({ status: 'cancelled', authorizedAmount: 0 });
  });
});

describe('applyPaymentEvent: the payment of an attempt', () => {
  /** An order whose attempt 2 was sent, with no answer yet: it does not know its payment. */
  function awaitingAttempt2(): Order {
    return { ...newOrder(), paymentId: null, paymentAttempt: 2, attemptPending: true };
  }

  it("applies an event that comes before the create call's answer, and learns the payment id from it", () => {
    const order = awaitingAttempt2();
    const event = paymentEvent('payment_authorized', { payment_id: 'pay_2', amount_capturable: 10_000, metadata: paymentMetadata('ord_1', 2) });
    expect(applyPaymentEvent(order, event).applied).toBe(true);
    expect(order).toMatchObject({ status: 'authorized', paymentId: 'pay_2', attemptPending: false, authorizedAmount: 10_000 });
    // The same payment's next event is then matched by its id.
    expect(applyPaymentEvent(order, paymentEvent('payment_succeeded', { payment_id: 'pay_2', amount_received: 10_000 })).applied).toBe(true);
  });

  it("ignores an earlier attempt's payment, and a payment naming another order", () => {
    const order = awaitingAttempt2();
    const before = structuredClone(order);
    const earlier = paymentEvent('payment_authorized', { payment_id: 'pay_1', amount_capturable: 10_000, metadata: paymentMetadata('ord_1', 1) });
    expect(applyPaymentEvent(order, earlier)).toEqual({ applied: false, reason: "payment pay_1 is not the payment of the order's current attempt" });
    const otherOrder = paymentEvent('payment_authorized', { payment_id: 'pay_9', amount_capturable: 10_000, metadata: paymentMetadata('ord_9', 2) });
    expect(applyPaymentEvent(order, otherOrder).applied).toBe(false);
    const noMetadata = paymentEvent('payment_authorized', { payment_id: 'pay_8', amount_capturable: 10_000, metadata: null });
    expect(applyPaymentEvent(order, noMetadata).applied).toBe(false);
    expect(order).toEqual(before);
  });

  it('asks for a redelivery (PaymntRetryLaterError) of a payment of an attempt the order has not recorded yet', () => {
    const order = awaitingAttempt2();
    const later = paymentEvent('payment_authorized', { payment_id: 'pay_3', amount_capturable: 10_000, metadata: paymentMetadata('ord_1', 3) });
    expect(() => applyPaymentEvent(order, later)).toThrow(OrderNotReadyError);
    expect(() => applyPaymentEvent(order, later)).toThrow(PaymntRetryLaterError);
    expect(order.paymentId).toBeNull();
  });

  it('does not take a payment of the current attempt whose amount differs from the order', () => {
    const order = awaitingAttempt2();
    const event = paymentEvent('payment_authorized', { payment_id: 'pay_2', amount: 1, amount_capturable: 1, metadata: paymentMetadata('ord_1', 2) });
    expect(applyPaymentEvent(order, event).applied).toBe(false);
    expect(order).toMatchObject({ paymentId: null, attemptPending: true, status: 'pending_payment' });
  });
});

describe('applyRefundEvent', () => {
  it('counts partial then full refunds once each, up to what was captured', () => {
    const order = paid(6_000);
    expect(applyRefundEvent(order, refundEvent('refund_succeeded', { refund_id: 'ref_a', amount: 1_000 })).applied).toBe(true);
    expect(order).toMatchObject({ status: 'partially_refunded', refundedAmount: 1_000 });
    expect(applyRefundEvent(order, refundEvent('refund_succeeded', { refund_id: 'ref_a', amount: 1_000 })).applied).toBe(false);
    expect(applyRefundEvent(order, refundEvent('refund_succeeded', { refund_id: 'ref_b', amount: 5_000 })).applied).toBe(true);
    expect(order).toMatchObject({ status: 'refunded', refundedAmount: 6_000, refunds: { ref_a: 1_000, ref_b: 5_000 } });
  });

  it('never counts more than was captured', () => {
    const order = paid(6_000);
    const result = applyRefundEvent(order, refundEvent('refund_succeeded', { refund_id: 'ref_x', amount: 6_001 }));
    expect(result.applied).toBe(false);
    expect(order.refundedAmount).toBe(0);
  });

  it('asks for a redelivery when the refund arrives before the capture', () => {
    const order = newOrder();
    applyPaymentEvent(order, paymentEvent('payment_authorized', { amount_capturable: 10_000 }));
    expect(() => applyRefundEvent(order, refundEvent('refund_succeeded', {}))).toThrow(OrderNotReadyError);
    expect(() => applyRefundEvent(order, refundEvent('refund_succeeded', {}))).toThrow(PaymntRetryLaterError);
    expect(order.refundedAmount).toBe(0);
  });

  it('records a failed refund without moving money', () => {
    const order = paid();
    expect(applyRefundEvent(order, refundEvent('refund_failed', { status: 'failed' })).applied).toBe(true);
    expect(order).toMatchObject({ status: 'paid', refundedAmount: 0 });
  });

  it('ignores a refund of another payment', () => {
    const order = paid();
    expect(applyRefundEvent(order, refundEvent('refund_succeeded', { payment_id: 'pay_other' })).applied).toBe(false);
  });
});

describe('applyDisputeEvent', () => {
  it('flags a paid order, then settles it: challenged and won is paid again', () => {
    const order = paid();
    expect(applyDisputeEvent(order, disputeEvent('dispute_opened')).applied).toBe(true);
    expect(order).toMatchObject({ status: 'disputed', dispute: { disputeId: 'dp_1', status: 'dispute_opened', amount: 10_000, reason: 'fraudulent' } });
    expect(applyDisputeEvent(order, disputeEvent('dispute_challenged')).applied).toBe(true);
    expect(order.status).toBe('dispute_challenged');
    expect(applyDisputeEvent(order, disputeEvent('dispute_won')).applied).toBe(true);
    expect(order).toMatchObject({ status: 'paid', chargedBackAmount: 0, dispute: { status: 'dispute_won' } });
  });

  it('counts the disputed amount as charged back when lost, accepted or expired', () => {
    for (const [steps, last] of [
      [['dispute_opened', 'dispute_challenged'], 'dispute_lost'],
      [['dispute_opened'], 'dispute_accepted'],
      [['dispute_opened'], 'dispute_expired'],
    ] as const) {
      const order = paid();
      for (const type of steps) applyDisputeEvent(order, disputeEvent(type, { amount: '4000' }));
      expect(applyDisputeEvent(order, disputeEvent(last, { amount: '4000' })).applied).toBe(true);
      expect(order).toMatchObject({ status: 'charged_back', chargedBackAmount: 4000 });
    }
  });

  it('ignores replays, late events, other payments and other disputes', () => {
    const order = paid();
    applyDisputeEvent(order, disputeEvent('dispute_opened'));
    expect(applyDisputeEvent(order, disputeEvent('dispute_opened'))).toEqual({ applied: false, reason: 'already applied' });
    expect(applyDisputeEvent(order, disputeEvent('dispute_won', { dispute_id: 'dp_2' })).applied).toBe(false);
    expect(applyDisputeEvent(order, disputeEvent('dispute_opened', { dispute_id: 'dp_3', payment_id: 'pay_other' })).applied).toBe(false);
    applyDisputeEvent(order, disputeEvent('dispute_won'));
    const before = structuredClone(order);
    expect(applyDisputeEvent(order, disputeEvent('dispute_challenged')).applied).toBe(false);
    expect(order).toEqual(before);
  });

  it('does not apply a dispute to an order that captured nothing, or above what it captured', () => {
    const authorized = newOrder();
    applyPaymentEvent(authorized, paymentEvent('payment_authorized', { amount_capturable: 10_000 }));
    expect(applyDisputeEvent(authorized, disputeEvent('dispute_opened')).applied).toBe(false);
    const partly = paid(6_000);
    expect(applyDisputeEvent(partly, disputeEvent('dispute_opened', { amount: '6001' })).applied).toBe(false);
    expect(partly.status).toBe('paid');
  });
});
