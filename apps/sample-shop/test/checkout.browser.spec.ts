import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page, type Request } from 'playwright-core';
import { TEST_CARDS } from '../src/checkout/checkout.page';
import { startTestShop, type TestShop } from './support/test-shop';

/**
 * The checkout page in headless Chromium, through the sandbox's 3DS challenge and back. The page
 * confirms the payment with Paymnt itself (publishable key + client secret): every request the
 * browser makes is recorded, and none to the shop's origin may carry a card number.
 * Needs /usr/bin/chromium (`apt-get install -y chromium`): skipped with a notice when it is absent,
 * except on CI (`CI=true`), where its absence fails the run.
 */
const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
const onCi = process.env.CI === 'true';
/** Every card number a test types (the typo included): none may be sent to the shop. */
const CARD_NUMBERS = [...TEST_CARDS.map((card) => card.number), '4242424242424242'];

if (!available && !onCi) {
  console.warn(`SKIPPED checkout.browser.spec.ts: ${CHROMIUM} not found (apt-get install -y chromium to run it).`);
}

(available ? describe : describe.skip)('sample shop: checkout in a browser', () => {
  let shop: TestShop;
  let browser: Browser;
  let page: Page;
  /** Every request of the page, with its body: what left the browser, and for where. */
  let requests: Request[];

  beforeAll(async () => {
    shop = await startTestShop();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });

  afterAll(async () => {
    await browser?.close();
    await shop?.close();
  });

  beforeEach(async () => {
    page = await browser.newPage();
    requests = [];
    page.on('request', (request) => requests.push(request));
  });

  afterEach(async () => {
    // Whatever the test did, no card number reached the shop: not in a URL, not in a body.
    const toShop = requests.filter((request) => new URL(request.url()).origin === shop.shopUrl);
    expect(toShop.length).toBeGreaterThan(0);
    for (const request of toShop) {
      const sent = `${request.url()} ${request.postData() ?? ''}`;
      for (const number of CARD_NUMBERS) expect(sent).not.toContain(number);
    }
    await page?.close();
  });

  /** The requests that went to the sandbox's API (not the shop) to confirm a payment. */
  function confirmsSentToPaymnt(): Request[] {
    return requests.filter((request) => request.url().startsWith(`${shop.sandbox.url}/payments/`) && request.url().endsWith('/confirm') && request.method() === 'POST');
  }

  async function statusIs(status: string): Promise<void> {
    await page.locator('#order-status', { hasText: new RegExp(`^${status}$`) }).waitFor({ timeout: 10_000 });
  }

  async function text(selector: string): Promise<string> {
    return (await page.textContent(selector)) ?? '';
  }

  /** Fills the cart and the card, pays, and lands on the sandbox's 3DS page. */
  async function payWithThreeDsCard(): Promise<void> {
    await page.goto(`${shop.shopUrl}/`);
    await page.fill('#qty-beans', '1');
    await page.fill('#qty-mug', '2');
    expect(await text('#total')).toBe('$49.00');
    await page.click('.use-card[data-card="4000003800000446"]');
    expect(await page.inputValue('#card-number')).toBe('4000003800000446');
    await Promise.all([page.waitForURL(/\/dummy-connector\/authorize\//), page.click('#pay')]);
  }

  it('3DS completed: back on the shop with a verified signature, authorized when the webhook arrives, then shipped and refunded', async () => {
    await payWithThreeDsCard();
    // The card went to Paymnt, with the publishable key: never the shop's secret key.
    const [confirm] = confirmsSentToPaymnt();
    expect(confirm?.headers()['api-key']).toBe(shop.sandbox.publishableKey);
    expect(confirm?.postData()).toContain('4000003800000446');
    expect(requests.some((request) => request.url().includes(`/orders/`) && request.url().endsWith('/checkout'))).toBe(true);
    await Promise.all([page.waitForURL(/\/checkout\/return\//), page.click('text=Complete Payment')]);
    expect(await page.getAttribute('#return-check', 'data-verified')).toBe('true');
    await statusIs('authorized');
    expect(await text('#authorized')).toBe('$49.00');
    const orderId = await text('#order-id');
    const history = await shop.api.order(orderId);
    expect(history.history.find((h) => h.type === 'payment_authorized')?.source).toBe('webhook');

    // Merchant actions need the admin token; without it the shop refuses them.
    await page.click('#ship');
    await page.locator('#action-error', { hasText: /admin action/ }).waitFor();
    expect((await shop.api.order(orderId)).status).toBe('authorized');
    await page.fill('#admin-token', shop.adminToken);
    await page.click('#ship');
    await statusIs('paid');
    expect(await text('#captured')).toBe('$49.00');

    await page.fill('#refund-amount', '900');
    await page.click('#refund');
    await statusIs('partially_refunded');
    expect(await text('#refunded')).toBe('$9.00');
    expect(await page.locator('#history tr').count()).toBe(4);
    expect(await shop.api.order(orderId)).toMatchObject({ status: 'partially_refunded', capturedAmount: 4900, refundedAmount: 900 });
  });

  it('3DS rejected: back on the shop, and the order fails when the webhook arrives', async () => {
    await payWithThreeDsCard();
    await Promise.all([page.waitForURL(/\/checkout\/return\//), page.click('text=Reject Payment')]);
    expect(await page.getAttribute('#return-check', 'data-verified')).toBe('true');
    await statusIs('payment_failed');
    expect(await text('#failure')).not.toBe('');
    expect(await page.isDisabled('#ship')).toBe(true);
    expect(await page.isDisabled('#refund')).toBe(true);
  });

  it("shows Paymnt's refusals; the same payment is then confirmed with the corrected card, and nothing reached the shop", async () => {
    await page.goto(`${shop.shopUrl}/`);
    await page.fill('#card-number', '4242');
    await page.click('#pay');
    await page.locator('#error', { hasText: /\S/ }).waitFor();
    expect(await text('#error')).toMatch(/card/i);
    const before = (await shop.api.orders()).length;

    await page.fill('#card-number', '4242 4242 4242 4242');
    await page.fill('#card-exp-year', '2019');
    await page.click('#pay');
    await page.locator('#error', { hasText: /expir/i }).waitFor();

    await page.fill('#card-exp-year', '2030');
    await Promise.all([page.waitForURL(/\/checkout\/orders\//), page.click('#pay')]);
    await statusIs('authorized');
    // One order, one payment: the cards Paymnt refused left it waiting for a card, and the third try confirmed it.
    const orders = await shop.api.orders();
    expect(orders.length).toBe(before);
    const orderId = await text('#order-id');
    expect(orders[0]).toMatchObject({ id: orderId, status: 'authorized', paymentAttempt: 1 });
    expect(shop.paymentsOf(orderId)).toHaveLength(1);
    expect(confirmsSentToPaymnt()).toHaveLength(3);
    expect((await shop.api.order(orderId)).history.find((h) => h.type === 'payment_authorized')?.source).toBe('webhook');
  });

  it('a declined card fails the order (from the webhook); paying again is a new attempt with a new payment', async () => {
    await page.goto(`${shop.shopUrl}/`);
    await page.fill('#card-number', '4000000000000002');
    await Promise.all([page.waitForURL(/\/checkout\/orders\//), page.click('#pay')]);
    await statusIs('payment_failed');
    const orderId = await text('#order-id');
    // As the page would on a new try: with the order's cookie.
    const body = await page.evaluate(async (id) => {
      const response = await fetch(`/orders/${encodeURIComponent(id)}/checkout`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      return response.json();
    }, orderId);
    expect(body).toMatchObject({ order: { id: orderId, paymentAttempt: 2 }, publishableKey: shop.sandbox.publishableKey });
    expect(shop.paymentsOf(orderId)).toHaveLength(2);
  });

  it("shows nothing of another customer's order", async () => {
    const theirs = await shop.authorizedOrder();
    await page.goto(`${shop.shopUrl}/checkout/orders/${theirs.id}`);
    await page.locator('#action-error', { hasText: /access token/ }).waitFor();
    expect(await text('#order-status')).toBe('loading…');
    expect(await text('#amount')).toBe('');
  });
});

if (!available && onCi) {
  it('needs Chromium on CI', () => {
    throw new Error(`${CHROMIUM} is missing: .ci/run installs it with apt-get install -y chromium`);
  });
}
