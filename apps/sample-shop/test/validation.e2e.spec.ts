import { BEANS, CARDS, MUG, startTestShop, type TestShop } from './support/test-shop';

/** Bad input gets a 4xx with a message that says what is wrong; never a 500. */
describe('sample shop: bad requests', () => {
  let shop: TestShop;

  beforeAll(async () => {
    shop = await startTestShop();
  });

  afterAll(async () => {
    await shop?.close();
  });

  function messageOf(body: unknown): string {
    const message = (body as { message?: string | string[] }).message;
    return Array.isArray(message) ? message.join('; ') : String(message);
  }

  describe('POST /orders', () => {
    const valid = { amount: 1250, currency: 'USD', items: [MUG] };

    it.each([
      ['a negative amount', { ...valid, amount: -1250 }, /amount must be an integer amount in minor units/],
      ['a zero amount', { ...valid, amount: 0 }, /amount must be an integer amount/],
      ['a fractional amount', { ...valid, amount: 12.5 }, /amount must be an integer amount/],
      ['an amount given as a string', { ...valid, amount: '1250' }, /amount must be an integer amount/],
      ['an amount above the API maximum', { ...valid, amount: 1_000_000_000, items: [{ ...MUG, unitAmount: 1_000_000_000 }] }, /999999999/],
      ['an amount that is not the items total', { ...valid, amount: 1000 }, /amount 1000 does not match the items' total 1250/],
      ['a lowercase currency', { ...valid, currency: 'usd' }, /currency must be an uppercase ISO 4217 code/],
      ['an unknown currency', { ...valid, currency: 'XYZ' }, /currency must be an uppercase ISO 4217 code/],
      ['no items', { ...valid, items: [] }, /items must contain at least 1 elements/],
      ['a zero quantity', { ...valid, items: [{ ...MUG, quantity: 0 }] }, /quantity must be an integer from 1 to 1000/],
      ['an unknown field', { ...valid, discount: 100 }, /property discount should not exist/],
    ])('refuses %s with 400', async (_what, body, message) => {
      const { status, body: answer } = await shop.api.request('POST', '/orders', body);
      expect(status).toBe(400);
      expect(messageOf(answer)).toMatch(message);
    });

    it('refuses a body that is not JSON with 400', async () => {
      const response = await fetch(`${shop.shopUrl}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"amount":' });
      expect(response.status).toBe(400);
    });

    it('refuses items that are not objects (nested arrays) with 400', async () => {
      const { status, body } = await shop.api.request('POST', '/orders', { ...valid, items: [[MUG]] });
      expect(status).toBe(400);
      expect(messageOf(body)).toMatch(/each value in items must be an object/);
    });
  });

  describe('unknown orders are 404 on every route', () => {
    it.each([
      ['GET', '/orders/ord_missing', undefined],
      ['POST', '/orders/ord_missing/pay', { card: CARDS.success }],
      ['POST', '/orders/ord_missing/ship', {}],
      ['POST', '/orders/ord_missing/cancel', {}],
      ['POST', '/orders/ord_missing/refund', {}],
      ['POST', '/orders/ord_missing/sync', {}],
      ['GET', '/checkout/orders/ord_missing', undefined],
      ['GET', '/checkout/return/ord_missing?status=succeeded', undefined],
    ] as const)('%s %s', async (method, path, body) => {
      // As the admin, who may call every route: the answer is about the order, not the caller.
      const { status, body: answer } = await shop.api.request(method, path, body, shop.api.admin);
      expect(status).toBe(404);
      expect(messageOf(answer)).toBe('Order ord_missing not found');
    });
  });

  describe('POST /orders/:id/pay', () => {
    it.each([
      ['a short card number', { ...CARDS.success, number: '4242' }, /card.number must be 12 to 19 digits/],
      ['a month 13', { ...CARDS.success, expMonth: '13' }, /card.expMonth must be two digits/],
      ['a missing CVC', { ...CARDS.success, cvc: undefined }, /card.cvc must be 3 or 4 digits/],
    ])('refuses %s with 400, and the order stays payable', async (_what, card, message) => {
      const order = await shop.newOrder();
      const { status, body } = await shop.api.request('POST', `/orders/${order.id}/pay`, { card }, shop.api.customerOf(order.id));
      expect(status).toBe(400);
      expect(messageOf(body)).toMatch(message);
      expect(await shop.api.order(order.id)).toMatchObject({ status: 'pending_payment', paymentAttempt: 0 });
      expect(shop.paymentsOf(order.id)).toEqual([]);
    });

    it('maps the API refusing an expired card to a 400 (PaymntExceptionFilter), the order unchanged', async () => {
      const order = await shop.newOrder();
      const { status, body } = await shop.api.pay(order.id, { ...CARDS.success, expYear: '2019' });
      expect(status).toBe(400);
      expect(body).toMatchObject({ statusCode: 400, code: 'IR_16' });
      expect(messageOf(body)).toMatch(/expiry/i);
      // Paymnt created nothing; the next pay is a new attempt (with a key of its own).
      expect(await shop.api.order(order.id)).toMatchObject({ status: 'pending_payment', paymentId: null, paymentAttempt: 1, attemptPending: false });
      expect(shop.paymentsOf(order.id)).toEqual([]);
    });

    it('refuses to pay an order twice with 409', async () => {
      const order = await shop.authorizedOrder();
      const { status, body } = await shop.api.pay(order.id, CARDS.success);
      expect(status).toBe(409);
      expect(messageOf(body)).toBe(`Order ${order.id} cannot be paid: it is authorized`);
    });
  });

  describe('POST /orders/:id/ship', () => {
    it('refuses to capture more than was authorized with 400, and captures nothing', async () => {
      const order = await shop.authorizedOrder();
      const { status, body } = await shop.api.ship(order.id, 1251);
      expect(status).toBe(400);
      expect(messageOf(body)).toBe(`amount 1251 exceeds the 1250 authorized for order ${order.id} (minor units of USD)`);
      expect(shop.sandbox.state.getPayment(order.paymentId)?.status).toBe('requires_capture');
    });

    it.each([0, -5, 1.5])('refuses an amount of %p with 400', async (amount) => {
      const order = await shop.authorizedOrder();
      const { status } = await shop.api.request('POST', `/orders/${order.id}/ship`, { amount }, shop.api.admin);
      expect(status).toBe(400);
    });

    it('refuses to ship an order that is not paid for with 409', async () => {
      const order = await shop.newOrder();
      const { status, body } = await shop.api.ship(order.id);
      expect(status).toBe(409);
      expect(messageOf(body)).toBe(`Order ${order.id} cannot be shipped: it is pending_payment`);
    });
  });

  describe('POST /orders/:id/refund', () => {
    it('refuses to refund more than was captured with 400, and refunds nothing', async () => {
      const order = await shop.authorizedOrder([{ ...BEANS, quantity: 2 }]);
      await shop.api.ship(order.id, 3000);
      const { status, body } = await shop.api.refund(order.id, 3001);
      expect(status).toBe(400);
      expect(messageOf(body)).toBe(`amount 3001 exceeds the 3000 left to refund for order ${order.id} (captured 3000, refunded 0; minor units of USD)`);
      await shop.api.refund(order.id, 2000);
      const second = await shop.api.refund(order.id, 1001);
      expect(second.status).toBe(400);
      expect(messageOf(second.body)).toMatch(/exceeds the 1000 left to refund/);
      expect(shop.sandbox.state.listRefunds().filter((r) => r.payment_id === order.paymentId)).toHaveLength(1);
    });

    it('refuses to refund an order that was never captured with 409', async () => {
      const order = await shop.authorizedOrder();
      const { status, body } = await shop.api.refund(order.id, 100);
      expect(status).toBe(409);
      expect(messageOf(body)).toBe(`Order ${order.id} cannot be refunded: it is authorized`);
    });

    it('refuses a reason longer than 255 characters with 400', async () => {
      const order = await shop.authorizedOrder();
      await shop.api.ship(order.id);
      const { status } = await shop.api.request('POST', `/orders/${order.id}/refund`, { reason: 'x'.repeat(256) }, shop.api.admin);
      expect(status).toBe(400);
    });
  });

  describe('POST /orders/:id/cancel', () => {
    it('refuses to void a shipped order with 409', async () => {
      const order = await shop.authorizedOrder();
      await shop.api.ship(order.id);
      const { status, body } = await shop.api.cancel(order.id);
      expect(status).toBe(409);
      expect(messageOf(body)).toBe(`Order ${order.id} cannot be cancelled: it is paid`);
    });
  });

  describe('GET /checkout/return/:id', () => {
    it('refuses a return link without a valid signature with 400, changing nothing', async () => {
      const order = await shop.authorizedOrder();
      const forged = `${shop.shopUrl}/checkout/return/${order.id}?status=succeeded&payment_id=${order.paymentId}&signature=${'a'.repeat(128)}&signature_algorithm=HMAC-SHA512`;
      for (const url of [forged, `${shop.shopUrl}/checkout/return/${order.id}?status=succeeded&payment_id=${order.paymentId}`]) {
        const page = await fetch(url);
        expect(page.status).toBe(400);
        const html = await page.text();
        expect(html).toContain('data-verified="false"');
        expect(html).toContain('not signed by Paymnt');
      }
      expect((await shop.api.order(order.id)).status).toBe('authorized');
    });
  });
});
