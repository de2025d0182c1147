import { randomBytes } from 'node:crypto';
import { createSandbox, type Sandbox } from '@paymnt/sandbox';
import { createShopApp } from '../src/create-shop-app';
import type { CheckoutView } from '../src/demo/shop-api';
import { MUG, startTestShop, type TestShop } from './support/test-shop';

/** What the checkout page's script sends to Paymnt: the card, with the publishable key and the client secret. */
async function confirmAsTheBrowser(checkout: CheckoutView, cardNumber: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${checkout.apiBaseUrl}/payments/${checkout.paymentId}/confirm`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'api-key': checkout.publishableKey },
    body: JSON.stringify({
      client_secret: checkout.clientSecret,
      payment_method: 'card',
      payment_method_type: 'credit',
      payment_method_data: { card: { card_number: cardNumber, card_exp_month: '12', card_exp_year: '2030', card_cvc: '123' } },
    }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/**
 * `POST /orders/:id/checkout`: the shop creates the payment without a card and hands its customer
 * what the browser confirms it with; the order moves on the webhook. On Express and Fastify.
 */
describe.each(['express', 'fastify'] as const)('sample shop: checkout confirmed in the browser, on %s', (adapter) => {
  let shop: TestShop;

  beforeAll(async () => {
    shop = await startTestShop({ adapter });
  });

  afterAll(async () => {
    await shop?.close();
  });

  it('hands out the payment, its client secret and the publishable key; the webhook authorizes the order', async () => {
    const order = await shop.newOrder();
    const { status, body } = await shop.api.checkout(order.id);
    expect(status).toBe(200);
    expect(body).toMatchObject({ publishableKey: shop.sandbox.publishableKey, apiBaseUrl: shop.sandbox.url.replace(/\/+$/, '') });
    expect(body.order).toMatchObject({ id: order.id, status: 'pending_payment', paymentId: body.paymentId, paymentAttempt: 1 });
    const payment = shop.sandbox.state.getPayment(body.paymentId);
    expect(payment).toMatchObject({ status: 'requires_payment_method', client_secret: body.clientSecret, payment_method_data: null });
    expect(payment?.return_url).toBe(`${shop.shopUrl}/checkout/return/${order.id}`);

    // Asked again (the page reloaded): the same payment, not a second one.
    expect((await shop.api.checkout(order.id)).body.paymentId).toBe(body.paymentId);

    const confirmed = await confirmAsTheBrowser(body, '4242424242424242');
    expect(confirmed.body.status).toBe('requires_capture');
    const authorized = await shop.waitForStatus(order.id, 'authorized');
    expect(authorized.history.map((entry) => [entry.type, entry.source])).toEqual([['payment_authorized', 'webhook']]);
    expect(shop.paymentsOf(order.id)).toHaveLength(1);
    // Paid: no more checkout.
    expect((await shop.api.checkout(order.id)).status).toBe(409);
  });

  it("only for the order's customer: another customer's token is refused, and no payment is made", async () => {
    const mine = await shop.newOrder();
    const theirs = await shop.newOrder();
    expect((await shop.api.request('POST', `/orders/${mine.id}/checkout`, {})).status).toBe(401);
    expect((await shop.api.request('POST', `/orders/${mine.id}/checkout`, {}, shop.api.customerOf(theirs.id))).status).toBe(403);
    expect(shop.paymentsOf(mine.id)).toEqual([]);
  });

  it('a payment the browser has confirmed but whose webhook has not come yet is not handed out again', async () => {
    const order = await shop.newOrder();
    const { body } = await shop.api.checkout(order.id);
    shop.sandbox.setWebhookUrl('http://127.0.0.1:9/unreachable');
    try {
      await confirmAsTheBrowser(body, '4242424242424242');
      const again = await shop.api.checkout(order.id);
      expect(again.status).toBe(409);
      expect(JSON.stringify(again.body)).toContain('requires_capture');
    } finally {
      shop.sandbox.setWebhookUrl(`${shop.shopUrl}/webhooks/payments`);
    }
  });
});

describe('sample shop: checkout without PAYMNT_PUBLISHABLE_KEY', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await createSandbox({ port: 0, webhooksEnabled: false });
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  const settings = () => ({
    PAYMNT_API_KEY: sandbox.apiKey,
    PAYMNT_BASE_URL: sandbox.url,
    PAYMNT_WEBHOOK_SECRET: sandbox.webhookSecret,
    SHOP_ADMIN_TOKEN: randomBytes(32).toString('base64url'),
  });

  it('starts, and answers 503 naming the variable, before any payment is created', async () => {
    const app = await createShopApp({ logger: false, settings: settings() });
    try {
      await app.listen(0, '127.0.0.1');
      const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
      const created = await fetch(`${url}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ amount: 1250, currency: 'USD', items: [MUG] }),
      });
      const order = (await created.json()) as { id: string; accessToken: string };
      const response = await fetch(`${url}/orders/${order.id}/checkout`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${order.accessToken}` },
        body: '{}',
      });
      expect(response.status).toBe(503);
      expect(((await response.json()) as { message: string }).message).toContain('PAYMNT_PUBLISHABLE_KEY');
      expect(sandbox.state.listPayments()).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('refuses to start with a secret key given as the publishable key, without echoing it', async () => {
    const message = await createShopApp({ logger: false, settings: { ...settings(), PAYMNT_PUBLISHABLE_KEY: sandbox.apiKey } }).then(
      async (app) => {
        await app.close();
        return 'started';
      },
      (error: Error) => error.message,
    );
    expect(message).toMatch(/PAYMNT_PUBLISHABLE_KEY: PAYMNT_PUBLISHABLE_KEY must be a publishable key/);
    expect(message).not.toContain(sandbox.apiKey);
  });
});
