import { randomBytes } from 'node:crypto';
import type { Dispute, Payment, Refund } from '@paymnt/client';

export const WEBHOOK_SECRET = 'whsec_test_0123456789abcdef';

function id(prefix: string): string {
  return `${prefix}_${randomBytes(10).toString('hex')}`;
}

/** A payment as the API returns it, for webhooks built without the sandbox. */
export function paymentFixture(overrides: Partial<Payment> = {}): Payment {
  const now = new Date().toISOString();
  return {
    payment_id: id('pay'),
    merchant_id: 'merchant_test',
    processor_merchant_id: 'merchant_test',
    status: 'succeeded',
    amount: 6540,
    net_amount: 6540,
    amount_capturable: 0,
    amount_received: 6540,
    currency: 'USD',
    client_secret: null,
    created: now,
    modified_at: now,
    updated: now,
    connector: 'stripe_test',
    customer_id: null,
    description: null,
    metadata: null,
    refunds: null,
    capture_method: 'automatic',
    payment_method: 'card',
    authentication_type: 'no_three_ds',
    next_action: null,
    cancellation_reason: null,
    profile_id: null,
    attempt_count: 1,
    error_code: null,
    error_message: null,
    ...overrides,
  };
}

export function disputeFixture(overrides: Partial<Dispute> = {}): Dispute {
  const now = new Date().toISOString();
  return {
    dispute_id: id('dp'),
    payment_id: id('pay'),
    attempt_id: id('pay'),
    amount: '6540',
    currency: 'USD',
    dispute_stage: 'dispute',
    dispute_status: 'dispute_opened',
    connector: 'stripe_test',
    connector_status: 'needs_response',
    connector_dispute_id: id('du'),
    connector_reason: 'fraudulent',
    connector_reason_code: null,
    challenge_required_by: null,
    connector_created_at: now,
    connector_updated_at: now,
    created_at: now,
    profile_id: null,
    merchant_connector_id: null,
    is_already_refunded: false,
    ...overrides,
  };
}

export function refundFixture(overrides: Partial<Refund> = {}): Refund {
  const now = new Date().toISOString();
  return {
    refund_id: id('ref'),
    payment_id: id('pay'),
    amount: 6540,
    currency: 'USD',
    status: 'succeeded',
    connector: 'stripe_test',
    reason: null,
    metadata: null,
    error_code: null,
    error_message: null,
    created_at: now,
    updated_at: now,
    profile_id: null,
    merchant_connector_id: null,
    ...overrides,
  };
}
