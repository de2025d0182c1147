import { randomBytes } from 'node:crypto';

/** A payment as `GET /payments/{id}` returns it (about 1.6 KB of JSON). */
export function paymentObject(paymentId: string, status = 'succeeded', extra: Record<string, unknown> = {}): Record<string, unknown> {
  const created = '2025-01-15T10:20:30.000Z';
  return {
    payment_id: paymentId,
    merchant_id: 'merchant_1736936430',
    status,
    amount: 6540,
    net_amount: 6540,
    amount_capturable: 0,
    amount_received: status === 'succeeded' ? 6540 : null,
    connector: 'stripe',
    client_secret: `${paymentId}_secret_F1pG7bA2xQ9kLmN3oP4r`,
    created,
    modified_at: created,
    currency: 'USD',
    customer_id: 'cus_7Hk2mN9pQ4rS1tUv',
    customer: { id: 'cus_7Hk2mN9pQ4rS1tUv', name: 'John Doe', email: 'john@example.com', phone: '999999999', phone_country_code: '+1' },
    description: 'Order #10293: two items',
    refunds: null,
    disputes: null,
    mandate_id: null,
    setup_future_usage: null,
    off_session: null,
    capture_on: null,
    capture_method: 'automatic',
    payment_method: 'card',
    payment_method_type: 'credit',
    payment_method_data: {
      card: {
        last4: '4242',
        card_type: 'CREDIT',
        card_network: 'Visa',
        card_issuer: 'STRIPE PAYMENTS UK LIMITED',
        card_issuing_country: 'UNITEDKINGDOM',
        card_isin: '424242',
        card_exp_month: '10',
        card_exp_year: '2030',
        card_holder_name: 'John Doe',
      },
      billing: null,
    },
    shipping: null,
    billing: {
      address: { line1: '1467 Harrison Street', city: 'San Francisco', state: 'California', zip: '94122', country: 'US', first_name: 'John', last_name: 'Doe' },
      phone: { number: '9123456789', country_code: '+1' },
      email: 'john@example.com',
    },
    order_details: null,
    email: 'john@example.com',
    name: 'John Doe',
    phone: '999999999',
    return_url: 'https://shop.example.com/return',
    authentication_type: 'no_three_ds',
    statement_descriptor_name: null,
    next_action: null,
    cancellation_reason: null,
    error_code: null,
    error_message: null,
    connector_transaction_id: 'pi_3Qh7kLmN9pQ4rS1t0aBcDeFg',
    profile_id: 'pro_2a6Gq8sK4mWn1xY3zB5c',
    attempt_count: 1,
    merchant_connector_id: 'mca_9b7Tz2Xw4vU6sR8q',
    metadata: { order_id: '10293', channel: 'web' },
    manual_retry_allowed: false,
    incremental_authorization_allowed: null,
    updated: created,
    ...extra,
  };
}

/** Builds unique, valid webhook events (unique `event_id` and `payment_id`, fresh `timestamp`). */
export class WebhookEventFactory {
  readonly #tag = randomBytes(4).toString('hex');
  #counter = 0;

  /**
   * The next event as JSON, padded in the payment's metadata to `targetBytes` when it is shorter.
   * `compact` carries a payment with only its main fields (to make 1 KB events possible).
   */
  next(targetBytes = 0, compact = false): string {
    const n = this.#counter++;
    const hex = `${this.#tag}${n.toString(16).padStart(24, '0')}`;
    // Unique too: the module de-duplicates on payment_id + event_type.
    const paymentId = `pay_${this.#tag}${n.toString(16).padStart(12, '0')}`;
    const now = new Date().toISOString();
    const object = compact
      ? { payment_id: paymentId, merchant_id: 'merchant_1736936430', status: 'succeeded', amount: 6540, currency: 'USD', created: now, modified_at: now, metadata: {} as Record<string, unknown> }
      : paymentObject(paymentId, 'succeeded', { modified_at: now, updated: now });
    const event: Record<string, unknown> = {
      merchant_id: 'merchant_1736936430',
      event_id: `evt_${hex}`,
      event_type: 'payment_succeeded',
      timestamp: now,
      content: { type: 'payment_details', object },
    };
    let body = JSON.stringify(event);
    if (body.length < targetBytes) {
      // Pad inside the payment's metadata so the event stays a valid Paymnt event.
      const metadata = object.metadata as Record<string, unknown>;
      const overhead = Object.keys(metadata).length === 0 ? '"notes":""'.length : ',"notes":""'.length;
      metadata.notes = 'x'.repeat(Math.max(0, targetBytes - body.length - overhead));
      body = JSON.stringify(event);
    }
    return body;
  }
}
