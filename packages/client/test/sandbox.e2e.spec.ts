import { createSandbox, type Sandbox } from '@paymnt/sandbox';
import {
  PaymntAuthenticationError,
  PaymntClient,
  PaymntIdempotencyError,
  PaymntInvalidRequestError,
  PaymntNotFoundError,
  WEBHOOK_SIGNATURE_HEADER,
  type PaymentCreateParams,
} from '@paymnt/client';
import { TestServer, sendJson } from './support/test-server';

const card = (card_number: string) => ({ card: { card_number, card_exp_month: '10', card_exp_year: '35', card_cvc: '123', card_holder_name: 'Joseph Doe' } });
const cardPayment = (number: string, extra: Partial<PaymentCreateParams> = {}): PaymentCreateParams => ({
  amount: 6540,
  currency: 'USD',
  confirm: true,
  authentication_type: 'no_three_ds',
  payment_method: 'card',
  payment_method_type: 'credit',
  payment_method_data: card(number),
  ...extra,
});

describe('PaymntClient against the real @paymnt/sandbox', () => {
  let sandbox: Sandbox;
  let client: PaymntClient;

  beforeAll(async () => {
    sandbox = await createSandbox({ webhooksEnabled: false });
    client = new PaymntClient({ apiKey: sandbox.apiKey, baseUrl: sandbox.url, initialRetryDelayMs: 1, maxRetryDelayMs: 20 });
  });

  afterAll(async () => {
    await client.close();
    await sandbox.close();
  });

  afterEach(() => sandbox.faults.clear());

  it('create → confirm → capture → refund', async () => {
    const created = await client.payments.create({ amount: 6540, currency: 'USD', capture_method: 'manual', authentication_type: 'no_three_ds', description: 'order 42' });
    expect(created.status).toBe('requires_payment_method');
    expect(created.profile_id).toBe(sandbox.profileId);

    const confirmed = await client.payments.confirm(created.payment_id, { payment_method: 'card', payment_method_type: 'credit', payment_method_data: card('4242424242424242') });
    expect(confirmed.status).toBe('requires_capture');
    expect(confirmed.amount_capturable).toBe(6540);

    const captured = await client.payments.capture(created.payment_id, { amount_to_capture: 6540 });
    expect(captured.status).toBe('succeeded');
    expect(captured.amount_received).toBe(6540);

    const refund = await client.refunds.create({ payment_id: created.payment_id, amount: 1000, reason: 'requested_by_customer' });
    expect(['succeeded', 'pending']).toContain(refund.status);
    expect(refund.amount).toBe(1000);
    const again = await client.refunds.retrieve(refund.refund_id);
    expect(again.refund_id).toBe(refund.refund_id);
    const updated = await client.refunds.update(refund.refund_id, { reason: 'damaged' });
    expect(updated.reason).toBe('damaged');

    const listed = await client.refunds.list({ payment_id: created.payment_id });
    expect(listed.data.map((r) => r.refund_id)).toEqual([refund.refund_id]);
    expect(listed.totalCount).toBe(1);
  });

  it('a declined card is a result (status failed), not an exception', async () => {
    const payment = await client.payments.create(cardPayment('4000000000000002'));
    expect(payment.status).toBe('failed');
    expect(payment.error_code).toEqual(expect.any(String));
    expect(payment.error_message).toEqual(expect.any(String));
  });

  it('maps the sandbox errors to the error classes', async () => {
    await expect(client.payments.retrieve('pay_doesnotexist00000000')).rejects.toBeInstanceOf(PaymntNotFoundError);
    const created = await client.payments.create({ amount: 100, currency: 'USD' });
    const error = await client.payments.capture(created.payment_id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaymntInvalidRequestError);
    expect((error as PaymntInvalidRequestError).code).toBe('IR_14');
    const wrongKey = new PaymntClient({ apiKey: 'snd_not_a_real_key', baseUrl: sandbox.url });
    await expect(wrongKey.payments.retrieve(created.payment_id)).rejects.toBeInstanceOf(PaymntAuthenticationError);
    await wrongKey.close();
  });

  it('idempotent replay: same key and body gives the stored answer; another body is refused', async () => {
    const key = `order-${Date.now()}`;
    const first = await client.payments.create(cardPayment('4242424242424242'), { idempotencyKey: key });
    const second = await client.payments.create(cardPayment('4242424242424242'), { idempotencyKey: key });
    expect(second.payment_id).toBe(first.payment_id);
    expect(first.lastResponse.idempotentReplayed).toBe(false);
    expect(second.lastResponse.idempotentReplayed).toBe(true);
    const mismatch = await client.payments.create(cardPayment('4242424242424242', { amount: 1 }), { idempotencyKey: key }).catch((e: unknown) => e);
    expect(mismatch).toBeInstanceOf(PaymntIdempotencyError);
    expect((mismatch as PaymntIdempotencyError).code).toBe('idempotency_key_mismatch');
  });

  it('a 503 AFTER the capture was applied: the retry reuses the key and nothing is captured twice', async () => {
    const payment = await client.payments.create(cardPayment('4242424242424242', { capture_method: 'manual' }));
    sandbox.faults.add({ route: 'POST /payments/:id/capture', sequence: [{ status: 503, when: 'after' }] });
    const captured = await client.payments.capture(payment.payment_id, { amount_to_capture: 6540 });
    expect(captured.status).toBe('succeeded');
    expect(captured.lastResponse.attempts).toBe(2);
    expect(sandbox.faults.stats().injected).toBeGreaterThanOrEqual(1);
    expect(sandbox.state.getPayment(payment.payment_id)?.amount_received).toBe(6540);
  });

  it('a connection reset AFTER the create was applied: one payment, not two', async () => {
    const before = sandbox.state.listPayments().length;
    sandbox.faults.add({ route: 'POST /payments', sequence: [{ reset: true, when: 'after' }] });
    const payment = await client.payments.create(cardPayment('4242424242424242'));
    expect(payment.status).toBe('succeeded');
    expect(payment.lastResponse.attempts).toBe(2);
    expect(payment.lastResponse.idempotentReplayed).toBe(true);
    expect(sandbox.state.listPayments().length).toBe(before + 1);
  });

  it('lists every payment exactly once across pages, including same-millisecond ones', async () => {
    const customer = { id: `cus_paging_${Date.now()}` };
    // Created concurrently, so several share a `created` millisecond.
    const created = await Promise.all(Array.from({ length: 23 }, () => client.payments.create({ amount: 100, currency: 'USD', customer })));
    const ids: string[] = [];
    for await (const payment of client.payments.list({ customer_id: customer.id, limit: 5 })) ids.push(payment.payment_id);
    expect(ids).toHaveLength(23);
    expect(new Set(ids)).toEqual(new Set(created.map((p) => p.payment_id)));
  });

  it('verifies the webhooks the sandbox sends', async () => {
    const receiver = await TestServer.start((_req, res) => sendJson(res, 200, { received: true }));
    sandbox.setWebhookUrl(`${receiver.url}/webhooks`);
    sandbox.setWebhooksEnabled(true);
    try {
      const payment = await client.payments.create(cardPayment('4242424242424242'));
      await sandbox.waitForWebhooks();
      const delivery = receiver.requests.find((r) => r.body.includes(payment.payment_id));
      expect(delivery).toBeDefined();
      const event = client.webhooks.constructEvent(delivery!.body, delivery!.headers[WEBHOOK_SIGNATURE_HEADER], sandbox.webhookSecret);
      expect(event.event_type).toBe('payment_succeeded');
      if (event.event_type === 'payment_succeeded') expect(event.content.object.payment_id).toBe(payment.payment_id);
      expect(() => client.webhooks.constructEvent(delivery!.body, delivery!.headers[WEBHOOK_SIGNATURE_HEADER], 'not-the-secret')).toThrow();
    } finally {
      sandbox.setWebhooksEnabled(false);
      sandbox.setWebhookUrl(null);
      await receiver.close();
    }
  });
});
