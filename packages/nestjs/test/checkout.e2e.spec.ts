import { inspect } from 'node:util';
import type { INestApplication } from '@nestjs/common';
import type { Payment } from '@paymnt/client';
import { PaymentsService, PaymntCheckoutService, type PaymntClientConfirmation, PaymntConfigurationError } from '@paymnt/nestjs';
import { createPaymntTestingSandbox, type PaymntTestingSandbox } from '@paymnt/nestjs/testing';
import { ADAPTERS, startApp } from './support/apps';
import { flowAppModule, STYLES } from './support/flow-app';
import { EventRecorder } from './support/recorder';

jest.setTimeout(30_000);

const WEBHOOK_PATH = 'webhooks/paymnt';
/** The page's origin: another one than the API's, as a shop's checkout is. */
const SHOP_ORIGIN = 'http://shop.example.test';

const card = (number: string) => ({ card_number: number, card_exp_month: '10', card_exp_year: '35', card_cvc: '123' });

/** What a checkout page's script sends: only the publishable key and the client secret, never the secret key. */
async function confirmInBrowser(confirmation: PaymntClientConfirmation, cardNumber: string): Promise<{ status: number; headers: Headers; body: Payment }> {
  const response = await fetch(`${confirmation.apiBaseUrl}/payments/${encodeURIComponent(confirmation.paymentId)}/confirm`, {
    method: 'POST',
    headers: { 'api-key': confirmation.publishableKey, 'content-type': 'application/json', origin: SHOP_ORIGIN },
    body: JSON.stringify({
      client_secret: confirmation.clientSecret,
      payment_method: 'card',
      payment_method_type: 'credit',
      payment_method_data: { card: card(cardNumber) },
    }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Payment };
}

describe.each(ADAPTERS.flatMap((adapter) => STYLES.map((style) => [adapter, style] as const)))(
  'PaymntCheckoutService on %s with %s: the browser confirms with the publishable key, against the sandbox',
  (adapter, style) => {
    let paymnt: PaymntTestingSandbox;
    let app: INestApplication;
    let url: string;
    let payments: PaymentsService;
    let checkout: PaymntCheckoutService;
    let recorder: EventRecorder;

    beforeAll(async () => {
      paymnt = await createPaymntTestingSandbox();
      ({ app, url } = await startApp(flowAppModule(style, paymnt.moduleOptions(), WEBHOOK_PATH), adapter));
      paymnt.pointWebhooksAt(`${url}/${WEBHOOK_PATH}`);
      payments = app.get(PaymentsService);
      checkout = app.get(PaymntCheckoutService);
      recorder = app.get(EventRecorder);
    });

    afterAll(async () => {
      await app?.close();
      await paymnt?.close();
    });

    /** A payment the server creates without a card: the browser brings it. */
    function createForBrowser(extra: Record<string, unknown> = {}) {
      return payments.create({ amount: 2500, currency: 'USD', capture_method: 'manual', authentication_type: 'no_three_ds', ...extra });
    }

    it('hands over what a plain HTTP call needs to confirm; the server learns the outcome from the webhook', async () => {
      const created = await createForBrowser();
      expect(created.status).toBe('requires_payment_method');
      const confirmation = await checkout.clientConfirmation(created);
      expect(confirmation).toEqual({
        paymentId: created.payment_id,
        clientSecret: created.client_secret,
        publishableKey: paymnt.sandbox.publishableKey,
        apiBaseUrl: paymnt.sandbox.url.replace(/\/+$/, ''),
      });
      expect(confirmation.publishableKey).toMatch(/^pk_snd_/);
      // By id: fetched for its client secret.
      expect(await checkout.clientConfirmation(created.payment_id)).toEqual(confirmation);

      const confirmed = await confirmInBrowser(confirmation, '4242424242424242');
      expect(confirmed.status).toBe(200);
      expect(confirmed.body.status).toBe('requires_capture');
      // A page on the shop's origin may read the answer.
      expect(confirmed.headers.get('access-control-allow-origin')).toMatch(/^(\*|http:\/\/shop\.example\.test)$/);

      await paymnt.waitForWebhooksAcknowledged();
      expect(recorder.calls).toContainEqual(expect.objectContaining({ handler: 'wildcard', objectId: created.payment_id, type: 'payment_authorized', source: 'webhook' }));
      // The publishable key confirms only: capturing stays with the server's secret key.
      const capture = await fetch(`${confirmation.apiBaseUrl}/payments/${created.payment_id}/capture`, {
        method: 'POST',
        headers: { 'api-key': confirmation.publishableKey, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(capture.status).toBe(401);
      expect((await payments.capture(created.payment_id)).status).toBe('succeeded');
    });

    it("lets the page's preflight through (CORS) and refuses a confirm with another payment's client secret", async () => {
      const created = await createForBrowser();
      const { apiBaseUrl, publishableKey } = await checkout.clientConfirmation(created);
      const preflight = await fetch(`${apiBaseUrl}/payments/${created.payment_id}/confirm`, {
        method: 'OPTIONS',
        headers: { origin: SHOP_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'api-key, content-type' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
      expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('api-key');

      const confirmed = await confirmInBrowser({ paymentId: created.payment_id, clientSecret: 'pay_other_secret_x', publishableKey, apiBaseUrl }, '4242424242424242');
      expect(confirmed.status).toBe(400);
    });

    it('3DS: the confirm answers with the challenge URL; completing it sends the customer to return_url and the webhook authorizes', async () => {
      const returnUrl = `${SHOP_ORIGIN}/checkout/return/ord_1`;
      const created = await createForBrowser({ authentication_type: 'three_ds', return_url: returnUrl });
      const confirmed = await confirmInBrowser(await checkout.clientConfirmation(created), '4000003800000446');
      expect(confirmed.body.status).toBe('requires_customer_action');
      const redirect = confirmed.body.next_action?.redirect_to_url;
      expect(typeof redirect).toBe('string');

      // The challenge, as the browser walks it: redirect → authorize page → complete → return_url.
      const toChallenge = await fetch(redirect as string, { redirect: 'manual' });
      expect(toChallenge.status).toBe(302);
      const challenge = new URL(toChallenge.headers.get('location') as string, redirect as string);
      const completed = await fetch(new URL(challenge.pathname.replace('/authorize/', '/complete/') + '?confirm=true', challenge), { redirect: 'manual' });
      expect(completed.status).toBe(302);
      const back = new URL(completed.headers.get('location') as string);
      expect(`${back.origin}${back.pathname}`).toBe(returnUrl);
      expect(back.searchParams.get('payment_id')).toBe(created.payment_id);

      await paymnt.waitForWebhooksAcknowledged();
      expect(recorder.calls).toContainEqual(expect.objectContaining({ handler: 'wildcard', objectId: created.payment_id, type: 'payment_authorized', source: 'webhook' }));
    });

    it('never prints the publishable key', () => {
      expect(inspect(checkout)).not.toContain(paymnt.sandbox.publishableKey);
      expect(JSON.stringify(checkout)).not.toContain(paymnt.sandbox.publishableKey);
    });
  },
);

describe.each(ADAPTERS)('PaymntCheckoutService on %s without publishableKey', (adapter) => {
  let paymnt: PaymntTestingSandbox;
  let app: INestApplication;

  beforeAll(async () => {
    paymnt = await createPaymntTestingSandbox({ webhooksEnabled: false });
    const { publishableKey: _publishableKey, ...withoutKey } = paymnt.moduleOptions();
    ({ app } = await startApp(flowAppModule('forRoot', withoutKey, WEBHOOK_PATH), adapter));
  });

  afterAll(async () => {
    await app?.close();
    await paymnt?.close();
  });

  it('starts, and clientConfirmation() throws a PaymntConfigurationError naming publishableKey', async () => {
    const created = await app.get(PaymentsService).create({ amount: 1000, currency: 'USD' });
    const error = await app
      .get(PaymntCheckoutService)
      .clientConfirmation(created)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PaymntConfigurationError);
    expect(error).toMatchObject({ option: 'publishableKey' });
    expect((error as Error).message).toContain('"publishableKey": is not set');
    expect((error as Error).message).not.toContain(created.client_secret as string);
  });
});
