import { randomBytes } from 'node:crypto';
import type { Payment, Refund } from '@paymnt/client';
import { buildWebhookEvent, sendSignedWebhook } from '@paymnt/nestjs/testing';
import { sandboxClient, sandboxEvents } from '../src/demo/scenarios';
import { type AuthorizedOrder, startTestShop, type TestShop } from './support/test-shop';

/**
 * `/webhooks/payments`: only verified events reach the order, each transition once. A redelivered,
 * replayed, stale or out-of-order event changes nothing.
 */
describe('sample shop: webhooks', () => {
  let shop: TestShop;
  let url: string;

  beforeAll(async () => {
    shop = await startTestShop();
    url = `${shop.shopUrl}/webhooks/payments`;
  });

  afterAll(async () => {
    await shop?.close();
  });

  async function paidOrder(): Promise<AuthorizedOrder> {
    const order = await shop.authorizedOrder();
    await shop.api.ship(order.id);
    await shop.settle();
    return { ...(await shop.api.order(order.id)), paymentId: order.paymentId };
  }

  function paymentOf(paymentId: string): Payment {
    const payment = shop.sandbox.state.getPayment(paymentId);
    if (payment === undefined) throw new Error(`no payment ${paymentId}`);
    return payment;
  }

  describe('refusals', () => {
    it('answers 401 to a webhook without a signature, and 401 to a wrong one', async () => {
      const order = await shop.authorizedOrder();
      const event = buildWebhookEvent('payment_failed', { ...paymentOf(order.paymentId), status: 'failed' });
      const unsigned = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });
      expect(unsigned.status).toBe(401);
      const forged = await sendSignedWebhook(url, event, shop.sandbox.webhookSecret, { signature: 'ab'.repeat(64) });
      expect(forged.status).toBe(401);
      const otherKey = await sendSignedWebhook(url, event, randomBytes(32).toString('hex'));
      expect(otherKey.status).toBe(401);
      expect(otherKey.body.message).toMatch(/does not match/);
      expect((await shop.api.order(order.id)).status).toBe('authorized');
      expect(shop.handlerRuns(order.id, 'payment_failed')).toBe(0);
    });

    it('answers 400 to a signed body that is not an event', async () => {
      const answer = await sendSignedWebhook(url, { hello: 'world' }, shop.sandbox.webhookSecret);
      expect(answer.status).toBe(400);
    });
  });

  describe('duplicates', () => {
    it('a delivered event resent by Paymnt (events API retry) is acknowledged 2xx and not applied again', async () => {
      const order = await paidOrder();
      const event = (await sandboxEvents(shop.sandbox, order.paymentId)).find((e) => e.event_type === 'payment_succeeded');
      expect(event?.is_delivery_successful).toBe(true);
      const runs = shop.handlerRuns(order.id, 'payment_succeeded');

      const attempt = await sandboxClient(shop.sandbox).events.retry(event?.event_id ?? '');
      expect(attempt.delivery_attempt).toBe('manual_retry');
      expect(attempt.response.status_code).toBe(200);
      expect(JSON.parse(attempt.response.body ?? '')).toEqual({ received: true, outcome: 'duplicate' });
      expect(shop.handlerRuns(order.id, 'payment_succeeded')).toBe(runs);
      expect(await shop.api.order(order.id)).toEqual(order);
    });

    it('the exact bytes of a delivered webhook, replayed, change nothing', async () => {
      const order = await paidOrder();
      const [event] = shop.sandbox.state.listEvents().filter((e) => e.objectId === order.paymentId && e.eventType === 'payment_authorized');
      const answer = await sendSignedWebhook(url, event.body, shop.sandbox.webhookSecret);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ received: true, outcome: 'duplicate' });
      expect(await shop.api.order(order.id)).toEqual(order);
    });

    it('the same transition under a new event id is not applied twice', async () => {
      const order = await paidOrder();
      const runs = shop.handlerRuns(order.id, 'payment_succeeded');
      const event = buildWebhookEvent('payment_succeeded', paymentOf(order.paymentId));
      const answer = await sendSignedWebhook(url, event, shop.sandbox.webhookSecret);
      expect(answer.status).toBe(200);
      expect(answer.body.outcome).toBe('duplicate');
      expect(shop.handlerRuns(order.id, 'payment_succeeded')).toBe(runs);
      expect(await shop.api.order(order.id)).toEqual(order);
    });
  });

  describe('out of order', () => {
    it('an event older than what was applied is acknowledged and not dispatched', async () => {
      const order = await paidOrder();
      const anHourAgo = new Date(Date.now() - 3_600_000).toISOString();
      const stale = buildWebhookEvent('payment_failed', { ...paymentOf(order.paymentId), status: 'failed', updated: anHourAgo, modified_at: anHourAgo });
      const answer = await sendSignedWebhook(url, stale, shop.sandbox.webhookSecret);
      expect(answer.status).toBe(200);
      expect(answer.body.outcome).toBe('stale');
      expect(shop.handlerRuns(order.id, 'payment_failed')).toBe(0);
      expect(await shop.api.order(order.id)).toEqual(order);
    });

    it('a newer event the order has moved past reaches the handler, which changes nothing', async () => {
      const order = await paidOrder();
      const later = new Date(Date.now() + 1000).toISOString();
      const event = buildWebhookEvent('payment_failed', { ...paymentOf(order.paymentId), status: 'failed', updated: later, modified_at: later });
      const answer = await sendSignedWebhook(url, event, shop.sandbox.webhookSecret);
      expect(answer.status).toBe(200);
      expect(answer.body.outcome).toBe('dispatched');
      expect(shop.handlerRuns(order.id, 'payment_failed')).toBe(1);
      expect(shop.timeline.find('event', order.id, 'payment_failed', 'changed nothing')).toHaveLength(1);
      expect(await shop.api.order(order.id)).toEqual(order);
    });

    it('a refund that arrives before its capture is answered 503 (retry later), then applied once when redelivered after it', async () => {
      const order = await shop.authorizedOrder();
      const now = new Date().toISOString();
      const refund = {
        refund_id: `ref_${randomBytes(10).toString('hex')}`,
        payment_id: order.paymentId,
        amount: 500,
        currency: 'USD',
        status: 'succeeded',
        connector: 'sandbox',
        reason: null,
        metadata: null,
        error_code: null,
        error_message: null,
        created_at: now,
        updated_at: now,
        profile_id: shop.sandbox.profileId,
        merchant_connector_id: null,
      } satisfies Refund;
      const body = JSON.stringify(buildWebhookEvent('refund_succeeded', refund));

      const early = await sendSignedWebhook(url, body, shop.sandbox.webhookSecret);
      expect(early.status).toBe(503);
      expect(early.body.code).toBe('handler_retry_later');
      // A warning that it will come back, not an error.
      expect(shop.timeline.find('warn', order.id, 'can only be applied once the payment is captured; retry later')).toHaveLength(1);
      expect(shop.timeline.find('error', order.id)).toEqual([]);
      expect((await shop.api.order(order.id)).refundedAmount).toBe(0);

      await shop.api.ship(order.id);
      const redelivered = await sendSignedWebhook(url, body, shop.sandbox.webhookSecret);
      expect(redelivered.status).toBe(200);
      expect(redelivered.body.outcome).toBe('dispatched');
      expect(await shop.api.order(order.id)).toMatchObject({ status: 'partially_refunded', refundedAmount: 500, refunds: { [refund.refund_id]: 500 } });

      const again = await sendSignedWebhook(url, body, shop.sandbox.webhookSecret);
      expect(again.body.outcome).toBe('duplicate');
      expect((await shop.api.order(order.id)).refundedAmount).toBe(500);
    });
  });

  describe('events whose order the shop cannot find', () => {
    it("a payment of an attempt the order has not recorded yet is answered 503 (retry later), changing nothing", async () => {
      const order = await shop.authorizedOrder();
      const payment = paymentOf(order.paymentId);
      const nextAttempt = { ...payment, payment_id: `pay_${randomBytes(10).toString('hex')}`, metadata: { order_id: order.id, attempt: '2' } };
      const answer = await sendSignedWebhook(url, buildWebhookEvent('payment_failed', { ...nextAttempt, status: 'failed' }), shop.sandbox.webhookSecret);
      expect(answer.status).toBe(503);
      expect(answer.body.code).toBe('handler_retry_later');
      expect(shop.timeline.find('warn', order.id, 'has not recorded its payment attempt 2 yet')).toHaveLength(1);
      expect(await shop.api.order(order.id)).toMatchObject({ status: 'authorized', paymentId: order.paymentId, paymentAttempt: 1 });
    });

    it('a payment of no order of the shop is acknowledged and logged, not retried for a day', async () => {
      const order = await shop.authorizedOrder();
      const stranger = { ...paymentOf(order.paymentId), payment_id: `pay_${randomBytes(10).toString('hex')}`, metadata: { order_id: 'ord_made_elsewhere' } };
      const answer = await sendSignedWebhook(url, buildWebhookEvent('payment_authorized', stranger), shop.sandbox.webhookSecret);
      expect(answer.status).toBe(200);
      expect(answer.body.outcome).toBe('dispatched');
      expect(shop.timeline.find('warn', stranger.payment_id, 'no order of this shop has this payment, ignored')).toHaveLength(1);
    });
  });

  describe('delivery', () => {
    it('every webhook the sandbox sent was delivered, verified and answered 2xx', async () => {
      await shop.settle();
      const events = shop.sandbox.state.listEvents();
      expect(events.length).toBeGreaterThan(0);
      expect(events.filter((e) => e.isDeliverySuccessful !== true)).toEqual([]);
      expect(shop.timeline.find('webhook', 'verified').length).toBeGreaterThanOrEqual(events.length);
    });
  });
});
