import { buildWebhookEvent, sendSignedWebhook } from '@paymnt/nestjs/testing';
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

  it('creates an order with no payment yet, and gives its access token once', async () => {
    const { status, body } = await shop.api.createOrder([{ ...BEANS, quantity: 2 }, MUG]);
    expect(status).toBe(201);
    expect(body).toMatchObject({ status: 'pending_payment', amount: 6050, currency: 'USD', paymentId: null, paymentAttempt: 0, capturedAmount: 0, history: [] });
    expect(body.accessToken).toMatch(/^[\w-]{43}$/);
    expect(shop.paymentsOf(body.id)).toEqual([]);
    const read = await shop.api.order(body.id);
    expect(read.id).toBe(body.id);
    expect(read).not.toHaveProperty('accessToken');
    expect(read).not.toHaveProperty('accessTokenHash');
  });

  it('pays with a plain card, then ships everything: authorized, then paid, each webhook delivered once applied', async () => {
    const order = await shop.newOrder([{ ...BEANS, quantity: 2 }, MUG]);
    const paid = await shop.api.pay(order.id, CARDS.success);
    expect(paid.status).toBe(200);
    expect(paid.body.redirectUrl).toBeNull();
    expect(paid.body.order).toMatchObject({ status: 'authorized', authorizedAmount: 6050, capturableAmount: 6050, paymentAttempt: 1, attemptPending: false });
    const paymentId = paid.body.order.paymentId as string;
    expect(shop.sandbox.state.getPayment(paymentId)).toMatchObject({
      amount: 6050,
      capture_method: 'manual',
      authentication_type: 'three_ds',
      merchant_order_reference_id: order.id,
      metadata: { order_id: order.id, attempt: '1' },
    });
    await shop.settle();

    const shipped = await shop.api.ship(order.id);
    expect(shipped.status).toBe(200);
    expect(shipped.body).toMatchObject({ status: 'paid', capturedAmount: 6050, capturableAmount: 0, refundableAmount: 6050 });
    await shop.settle();

    expect(shop.sandbox.state.getPayment(paymentId)).toMatchObject({ status: 'succeeded', amount_received: 6050 });
    expect(webhooksOf(paymentId)).toEqual([
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
    expect(webhooksOf(body.order.paymentId as string)).toEqual([{ type: 'payment_failed', delivered: true }]);
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

  it('lists orders, newest first (for the admin)', async () => {
    const order = await shop.newOrder();
    const { status, body } = await shop.api.request<{ id: string }[]>('GET', '/orders', undefined, shop.api.admin);
    expect(status).toBe(200);
    expect(body[0].id).toBe(order.id);
  });

  describe('payment attempts: one idempotency key per attempt, the same key for a retry of it', () => {
    /** The idempotency keys of the shop's `POST /payments` calls for an order, one per HTTP attempt. */
    function createKeys(orderId: string): string[] {
      return shop.timeline.find('api', 'POST /payments ', `key ${orderId}:`).map((entry) => /key (\S+)\)$/.exec(entry.text)?.[1] ?? '?');
    }

    it('a card Paymnt refuses (expired), then a valid card: the order is paid', async () => {
      const order = await shop.newOrder();
      const refused = await shop.api.pay(order.id, { ...CARDS.success, expYear: '2019' });
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ code: 'IR_16' });
      // Before attempts had keys of their own, this was 409 idempotency_key_mismatch for ever.
      const paid = await shop.api.pay(order.id, CARDS.success);
      expect(paid.status).toBe(200);
      expect(paid.body.order).toMatchObject({ status: 'authorized', authorizedAmount: 1250, paymentAttempt: 2 });
      expect(createKeys(order.id)).toEqual([`${order.id}:pay:1`, `${order.id}:pay:2`]);
      expect(shop.paymentsOf(order.id).map((p) => [p.payment_id, p.status])).toEqual([[paid.body.order.paymentId, 'requires_capture']]);
    });

    it("a declined card, then another card: a second payment, and only it is the order's", async () => {
      const order = await shop.newOrder();
      const declined = await shop.api.pay(order.id, CARDS.decline);
      expect(declined.body.order.status).toBe('payment_failed');
      await shop.settle();
      const paid = await shop.api.pay(order.id, CARDS.success);
      expect(paid.status).toBe(200);
      expect(paid.body.order).toMatchObject({ status: 'authorized', paymentAttempt: 2, failureReason: null });
      const [first, second] = shop.paymentsOf(order.id);
      expect([first.status, second.status]).toEqual(['failed', 'requires_capture']);
      expect(paid.body.order.paymentId).toBe(second.payment_id);
      expect(paid.body.order.history.map((h) => [h.key, h.status])).toEqual([
        [`${first.payment_id}:payment_failed`, 'payment_failed'],
        [`${second.payment_id}:payment_authorized`, 'authorized'],
      ]);
      // An event of the first payment, even a newer one, no longer concerns the order.
      const later = new Date(Date.now() + 1000).toISOString();
      const stray = buildWebhookEvent('payment_authorized', { ...first, status: 'requires_capture', amount_capturable: 1250, updated: later, modified_at: later });
      const answer = await sendSignedWebhook(`${shop.shopUrl}/webhooks/payments`, stray, shop.sandbox.webhookSecret);
      expect(answer.body).toEqual({ received: true, outcome: 'dispatched' });
      expect(shop.timeline.find('event', order.id, stray.event_id, "is not the payment of the order's current attempt")).toHaveLength(1);
      expect(await shop.api.order(order.id)).toMatchObject({ status: 'authorized', paymentId: second.payment_id });

      const shipped = await shop.api.ship(order.id);
      expect(shipped.body).toMatchObject({ status: 'paid', capturedAmount: 1250 });
      expect(shop.sandbox.state.getPayment(second.payment_id)?.status).toBe('succeeded');
    });

    it('a request retried by the client after a lost answer reuses its key: one payment', async () => {
      const order = await shop.newOrder();
      // The payment is created, then the connection drops before the answer; the client sends it again.
      const [rule] = shop.sandbox.faults.add({ route: 'POST /payments', sequence: [{ reset: true, when: 'after' }] });
      try {
        const paid = await shop.api.pay(order.id, CARDS.success);
        expect(paid.status).toBe(200);
        expect(paid.body.order.status).toBe('authorized');
      } finally {
        shop.sandbox.faults.remove(rule.id as string);
      }
      expect(createKeys(order.id)).toEqual([`${order.id}:pay:1`, `${order.id}:pay:1`]);
      expect(shop.paymentsOf(order.id).map((p) => p.payment_id)).toHaveLength(1);
      await shop.settle();
      expect(shop.handlerRuns(order.id, 'payment_authorized')).toBe(1);
    });

    it('the same pay request sent twice at once creates one payment', async () => {
      const order = await shop.newOrder();
      const answers = await Promise.all([shop.api.pay(order.id, CARDS.success), shop.api.pay(order.id, CARDS.success)]);
      // The second is answered with the same payment (Paymnt's replay), or 409 while the first runs.
      expect(answers.map((a) => a.status).sort()).toEqual(expect.arrayContaining([200]));
      expect(answers.every((a) => a.status === 200 || a.status === 409)).toBe(true);
      await shop.settle();
      expect(shop.paymentsOf(order.id).map((p) => p.payment_id)).toHaveLength(1);
      expect(createKeys(order.id).every((key) => key === `${order.id}:pay:1`)).toBe(true);
      expect(await shop.api.order(order.id)).toMatchObject({ status: 'authorized', paymentAttempt: 1, authorizedAmount: 1250 });
    });

    it("an answer lost for good: the payment's webhook tells the order, and paying again makes no second payment", async () => {
      const order = await shop.newOrder();
      // Every try of the create call (the client's 3) is answered 503 after the payment was made.
      const [rule] = shop.sandbox.faults.add({ route: 'POST /payments', fault: { status: 503, when: 'after' }, times: 3 });
      try {
        const failed = await shop.api.pay(order.id, CARDS.success);
        expect(failed.status).toBe(502);
      } finally {
        shop.sandbox.faults.remove(rule.id as string);
      }
      const authorized = await shop.waitForStatus(order.id, 'authorized');
      expect(authorized).toMatchObject({ status: 'authorized', paymentAttempt: 1, attemptPending: false });
      expect(authorized.history.map((h) => [h.type, h.source])).toEqual([['payment_authorized', 'webhook']]);
      const again = await shop.api.pay(order.id, CARDS.success);
      expect(again.status).toBe(409);
      expect(shop.paymentsOf(order.id).map((p) => p.payment_id)).toHaveLength(1);
    });
  });

  describe("events that come before the shop has stored the payment's id", () => {
    it('the webhook overtakes the create answer: the order, found by its metadata, is authorized once, then paid once', async () => {
      const order = await shop.newOrder();
      // The payment is made at once, but its answer comes 400 ms later: its webhook arrives first.
      const [rule] = shop.sandbox.faults.add({ route: 'POST /payments', sequence: [{ latencyMs: 400, when: 'after' }] });
      try {
        const paid = await shop.api.pay(order.id, CARDS.success);
        expect(paid.status).toBe(200);
        expect(paid.body.order).toMatchObject({ status: 'authorized', authorizedAmount: 1250 });
      } finally {
        shop.sandbox.faults.remove(rule.id as string);
      }
      const [payment] = shop.paymentsOf(order.id);
      const applied = shop.timeline.find('event', order.id, 'payment_authorized');
      expect(applied).toHaveLength(1);
      expect(applied[0].text).toContain('(webhook, ');
      // The answer's own event (published inside payments.create) was then a duplicate: the handler ran once.
      expect(shop.handlerRuns(order.id, 'payment_authorized')).toBe(1);
      expect(shop.timeline.find('webhook', payment.payment_id, 'payment_authorized', 'dispatched')).toHaveLength(1);

      const shipped = await shop.api.ship(order.id);
      expect(shipped.body).toMatchObject({ status: 'paid', capturedAmount: 1250 });
      await shop.settle();
      expect(shop.sandbox.state.getPayment(payment.payment_id)?.captures).toHaveLength(1);
      const final = await shop.api.order(order.id);
      expect(final.history.map((h) => h.type)).toEqual(['payment_authorized', 'payment_succeeded']);
      expect(shop.handlerRuns(order.id, 'payment_succeeded')).toBe(1);
    });

    it("the event published inside payments.create({ confirm: true }) moves the order before the call returns", async () => {
      const order = await shop.newOrder();
      const paid = await shop.api.pay(order.id, CARDS.threeDs);
      expect(paid.body.order.status).toBe('requires_action');
      const history = paid.body.order.history;
      expect(history.map((h) => [h.type, h.source])).toEqual([['action_required', 'api']]);
      // Its event came from the API's answer, inside the create call, before the shop stored the payment id.
      expect(paid.body.order.paymentId).toBe(shop.paymentsOf(order.id)[0].payment_id);
    });
  });
});
