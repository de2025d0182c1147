import { answerThreeDsChallenge } from '../src/local/three-ds-challenge';
import { BEANS, CARDS, MUG, startTestShop, type TestShop } from './support/test-shop';

/**
 * The payment flows through the shop's HTTP API, against the embedded sandbox with real webhook
 * delivery to the shop's `/webhooks/payments`.
 */
describe('sample shop: order flows', () => {
  let shop: TestShop;

  beforeAll(async () => {
    shop = await startTestShop();
  });

  afterAll(async () => {
    await shop?.close();
  });

  /** The events the sandbox sent for a payment, and whether each reached the shop with a 2xx. */
  function webhooksOf(paymentId: string): { type: string; delivered: boolean | null }[] {
    return shop.sandbox.state
      .listEvents()
      .filter((e) => e.objectId === paymentId)
      .map((e) => ({ type: e.eventType, delivered: e.isDeliverySuccessful }));
  }

  it('creates an order with a manual-capture payment for the items total', async () => {
    const { status, body } = await shop.api.createOrder([{ ...BEANS, quantity: 2 }, MUG]);
    expect(status).toBe(201);
    expect(body).toMatchObject({ status: 'pending_payment', amount: 6050, currency: 'USD', capturedAmount: 0, refundedAmount: 0, history: [] });
    const payment = shop.sandbox.state.getPayment(body.paymentId);
    expect(payment).toMatchObject({ amount: 6050, currency: 'USD', capture_method: 'manual', authentication_type: 'three_ds', status: 'requires_payment_method' });
    expect(payment?.metadata).toEqual({ order_id: body.id });
    expect((await shop.api.order(body.id)).id).toBe(body.id);
  });

  it('pays with a plain card, then ships everything: authorized, then paid, each webhook delivered once applied', async () => {
    const order = await shop.newOrder([{ ...BEANS, quantity: 2 }, MUG]);
    const paid = await shop.api.pay(order.id, CARDS.success);
    expect(paid.status).toBe(200);
    expect(paid.body.redirectUrl).toBeNull();
    expect(paid.body.order).toMatchObject({ status: 'authorized', authorizedAmount: 6050, capturableAmount: 6050 });
    await shop.settle();

    const shipped = await shop.api.ship(order.id);
    expect(shipped.status).toBe(200);
    expect(shipped.body).toMatchObject({ status: 'paid', capturedAmount: 6050, capturableAmount: 0, refundableAmount: 6050 });
    await shop.settle();

    expect(shop.sandbox.state.getPayment(order.paymentId)).toMatchObject({ status: 'succeeded', amount_received: 6050 });
    expect(webhooksOf(order.paymentId)).toEqual([
      { type: 'payment_authorized', delivered: true },
      { type: 'payment_succeeded', delivered: true },
    ]);
    const final = await shop.api.order(order.id);
    expect(final.history.map((h) => [h.type, h.status, h.amount])).toEqual([
      ['payment_authorized', 'authorized', 6050],
      ['payment_succeeded', 'paid', 6050],
    ]);
    // Learned from the API answer first, then the webhook was a duplicate: each handler ran once.
    expect(shop.handlerRuns(order.id, 'payment_authorized')).toBe(1);
    expect(shop.handlerRuns(order.id, 'payment_succeeded')).toBe(1);
  });

  it('captures part of the authorization and releases the rest', async () => {
    const order = await shop.authorizedOrder([{ ...BEANS, quantity: 3 }]);
    const shipped = await shop.api.ship(order.id, 4800);
    expect(shipped.body).toMatchObject({ status: 'paid', authorizedAmount: 7200, capturedAmount: 4800, capturableAmount: 0, refundableAmount: 4800 });
    await shop.settle();
    expect(shop.sandbox.state.getPayment(order.paymentId)).toMatchObject({ status: 'partially_captured', amount_received: 4800, amount_capturable: 0 });
    expect(webhooksOf(order.paymentId)).toContainEqual({ type: 'payment_captured', delivered: true });
  });

  it('a retried ship reaches Paymnt with the same idempotency key and captures once', async () => {
    const order = await shop.authorizedOrder();
    const [first, second] = await Promise.all([shop.api.ship(order.id), shop.api.ship(order.id)]);
    const statuses = [first.status, second.status];
    expect(statuses).toContain(200);
    // The other one either found the order already paid (409) or got Paymnt's replay of the same capture (200).
    expect(statuses.every((status) => status === 200 || status === 409)).toBe(true);
    await shop.settle();
    const payment = shop.sandbox.state.getPayment(order.paymentId);
    expect(payment).toMatchObject({ status: 'succeeded', amount_received: 1250 });
    expect(payment?.captures).toHaveLength(1);
    expect((await shop.api.order(order.id)).capturedAmount).toBe(1250);
  });

  it('voids an authorized order', async () => {
    const order = await shop.authorizedOrder();
    const cancelled = await shop.api.cancel(order.id);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', authorizedAmount: 0, capturableAmount: 0 });
    await shop.settle();
    expect(shop.sandbox.state.getPayment(order.paymentId)?.status).toBe('cancelled');
    expect(webhooksOf(order.paymentId)).toContainEqual({ type: 'payment_cancelled', delivered: true });
  });

  it('refunds part, then the rest; never more than was captured', async () => {
    const order = await shop.authorizedOrder([{ ...BEANS, quantity: 2 }]);
    await shop.api.ship(order.id);
    const partial = await shop.api.refund(order.id, 1000);
    expect(partial.status).toBe(201);
    expect(partial.body.refund).toMatchObject({ status: 'succeeded', amount: 1000 });
    expect(partial.body.order).toMatchObject({ status: 'partially_refunded', refundedAmount: 1000, refundableAmount: 3800 });
    const rest = await shop.api.refund(order.id);
    expect(rest.body.order).toMatchObject({ status: 'refunded', refundedAmount: 4800, refundableAmount: 0 });
    await shop.settle();
    const refunds = shop.sandbox.state.listRefunds().filter((r) => r.payment_id === order.paymentId);
    expect(refunds.map((r) => r.amount).sort((a, b) => a - b)).toEqual([1000, 3800]);
    const refundEvents = shop.sandbox.state.listEvents().filter((e) => refunds.some((r) => r.refund_id === e.objectId));
    expect(refundEvents.map((e) => [e.eventType, e.isDeliverySuccessful])).toEqual([
      ['refund_succeeded', true],
      ['refund_succeeded', true],
    ]);
    const again = await shop.api.refund(order.id, 1);
    expect(again.status).toBe(409);
  });

  it('a declined card is a result: the order is payment_failed, the answer 200', async () => {
    const order = await shop.newOrder();
    const { status, body } = await shop.api.pay(order.id, CARDS.decline);
    expect(status).toBe(200);
    expect(body.redirectUrl).toBeNull();
    expect(body.order).toMatchObject({ status: 'payment_failed', authorizedAmount: 0 });
    expect(body.order.failureReason).toMatch(/declined/i);
    await shop.settle();
    expect(webhooksOf(order.paymentId)).toEqual([{ type: 'payment_failed', delivered: true }]);
  });

  it('3DS completed: redirect, signed return to the shop, and the webhook authorizes the order', async () => {
    const order = await shop.newOrder();
    const paid = await shop.api.pay(order.id, CARDS.threeDs);
    expect(paid.body.order.status).toBe('requires_action');
    expect(paid.body.redirectUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    await shop.settle();

    const returnUrl = await answerThreeDsChallenge(paid.body.redirectUrl as string, 'complete');
    expect(returnUrl.startsWith(`${shop.shopUrl}/checkout/return/${order.id}?`)).toBe(true);
    const page = await fetch(returnUrl);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('data-verified="true"');
    expect(html).toContain('status &quot;requires_capture&quot;');

    const authorized = await shop.waitForStatus(order.id, 'authorized');
    expect(authorized).toMatchObject({ status: 'authorized', authorizedAmount: 1250 });
    // Nothing called Paymnt after the challenge: the verified webhook moved the order.
    expect(authorized.history.find((h) => h.type === 'payment_authorized')?.source).toBe('webhook');
  });

  it('3DS rejected: the webhook fails the order', async () => {
    const order = await shop.newOrder();
    const paid = await shop.api.pay(order.id, CARDS.threeDs);
    const returnUrl = await answerThreeDsChallenge(paid.body.redirectUrl as string, 'reject');
    const page = await fetch(returnUrl);
    expect(page.status).toBe(200);
    const failed = await shop.waitForStatus(order.id, 'payment_failed');
    expect(failed).toMatchObject({ status: 'payment_failed', authorizedAmount: 0 });
    expect(failed.history.map((h) => [h.type, h.source])).toEqual([
      ['action_required', 'api'],
      ['payment_failed', 'webhook'],
    ]);
  });

  it('sync pulls the payment state from Paymnt through the same handlers', async () => {
    const order = await shop.newOrder();
    shop.sandbox.setWebhooksEnabled(false);
    try {
      const paid = await shop.api.pay(order.id, CARDS.threeDs);
      await answerThreeDsChallenge(paid.body.redirectUrl as string, 'complete');
      expect((await shop.api.order(order.id)).status).toBe('requires_action');
      const synced = await shop.api.sync(order.id);
      expect(synced.status).toBe(200);
      expect(synced.body).toMatchObject({ status: 'authorized', authorizedAmount: 1250 });
      expect(synced.body.history.at(-1)).toMatchObject({ type: 'payment_authorized', source: 'api' });
    } finally {
      shop.sandbox.setWebhooksEnabled(true);
    }
  });

  it('lists orders, newest first', async () => {
    const order = await shop.newOrder();
    const { status, body } = await shop.api.request<{ id: string }[]>('GET', '/orders');
    expect(status).toBe(200);
    expect(body[0].id).toBe(order.id);
  });
});
