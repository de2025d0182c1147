import { request } from 'undici';
import { verifyRedirectSignature, verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER } from '@paymnt/client';
import { createSandbox, type Sandbox } from '../src';
import { createPayment, get, post, startReceiver, type Receiver } from './helpers';

const THREE_DS_CARD = '4000003800000446';

/** A browser-like GET that does not follow redirects. */
async function browse(url: string): Promise<{ status: number; location?: string; html: string; headers: Record<string, unknown> }> {
  const res = await request(url, { method: 'GET' });
  const html = await res.body.text();
  const location = res.headers.location as string | undefined;
  return { status: res.statusCode, location, html, headers: res.headers };
}

/** Reads the action of a button's form on the challenge page, as a browser would submit it. */
function formUrl(base: string, html: string, buttonId: 'complete' | 'reject'): string {
  const form = new RegExp(`<form id="${buttonId}-form" method="get" action="([^"]+)"><input type="hidden" name="confirm" value="(true|false)"><button id="${buttonId}"`).exec(html);
  if (!form) throw new Error(`no ${buttonId} form in page`);
  const url = new URL(form[1]!.replace(/&amp;/g, '&'), base);
  url.searchParams.set('confirm', form[2]!);
  return url.toString();
}

describe('3DS challenge over HTTP', () => {
  let sb: Sandbox;
  let receiver: Receiver;
  beforeEach(async () => {
    receiver = await startReceiver();
    sb = await createSandbox({ webhookUrl: receiver.url });
  });
  afterEach(async () => {
    await sb.close();
    await receiver.close();
  });

  async function challenge(extra: Record<string, unknown> = {}) {
    const p = await createPayment(sb, { return_url: 'https://shop.example/checkout/return?order=42', authentication_type: 'three_ds', ...extra }, THREE_DS_CARD);
    expect(p.status).toBe('requires_customer_action');
    expect(p.next_action).toEqual({
      type: 'redirect_to_url',
      redirect_to_url: `${sb.url}/payments/redirect/${p.payment_id}/${sb.merchantId}/${p.payment_id}_1`,
    });
    const hop = await browse(p.next_action.redirect_to_url);
    expect(hop.status).toBe(302);
    const pageUrl = new URL(hop.location!, sb.url).toString();
    const page = await browse(pageUrl);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.html).toContain('Complete Payment');
    expect(page.html).toContain('Reject Payment');
    expect(page.html).toContain('65.40 USD');
    return { p, pageUrl, page };
  }

  it('the 3DS card always challenges, even with no_three_ds', async () => {
    const p = await createPayment(sb, { authentication_type: 'no_three_ds' }, THREE_DS_CARD);
    expect(p.status).toBe('requires_customer_action');
    expect(p.amount_capturable).toBe(6540);
    await sb.waitForWebhooks();
    expect(receiver.received.map((w) => w.json.event_type)).toEqual(['action_required']);
  });

  it('"Complete Payment" → succeeded, webhook, signed 302 to return_url', async () => {
    const { p, pageUrl, page } = await challenge();
    const done = await browse(formUrl(pageUrl, page.html, 'complete'));
    expect(done.status).toBe(302);
    const location = new URL(done.location!);
    expect(`${location.origin}${location.pathname}`).toBe('https://shop.example/checkout/return');
    const params = verifyRedirectSignature(location.search, sb.webhookSecret);
    expect(params).toEqual({
      order: '42',
      status: 'succeeded',
      payment_id: p.payment_id,
      payment_intent_client_secret: p.client_secret,
      amount: '6540',
      manual_retry_allowed: 'false',
    });
    expect(location.searchParams.get('signature_algorithm')).toBe('HMAC-SHA512');
    expect(() => verifyRedirectSignature(location.search.replace('status=succeeded', 'status=failed'), sb.webhookSecret)).toThrow();

    const after = (await get(sb, `/payments/${p.payment_id}`)).json;
    expect(after).toMatchObject({ status: 'succeeded', next_action: null, amount_received: 6540, amount_capturable: 0 });
    await sb.waitForWebhooks();
    const events = receiver.received.map((w) => w.json.event_type);
    expect(events).toEqual(['action_required', 'payment_succeeded']);
    const last = receiver.received[1]!;
    expect(() => verifyWebhookSignature(last.body, last.headers[WEBHOOK_SIGNATURE_HEADER], sb.webhookSecret)).not.toThrow();

    // The link is spent: the page now says so, and completing again changes nothing.
    expect((await browse(pageUrl)).html).toContain('This link is not valid or it is expired');
    const again = await browse(`${sb.url}/dummy-connector/complete/${p.payment_id}_1?confirm=false`);
    expect(again.status).toBe(302);
    expect(new URL(again.location!).searchParams.get('status')).toBe('succeeded');
  });

  it('"Reject Payment" → failed, payment_failed webhook, signed redirect with status=failed', async () => {
    const { p, pageUrl, page } = await challenge();
    const done = await browse(formUrl(pageUrl, page.html, 'reject'));
    const params = verifyRedirectSignature(new URL(done.location!).search, sb.webhookSecret);
    expect(params).toMatchObject({ status: 'failed', payment_id: p.payment_id, manual_retry_allowed: 'true' });
    expect((await get(sb, `/payments/${p.payment_id}`)).json).toMatchObject({ status: 'failed', amount_capturable: 0, next_action: null });
    await sb.waitForWebhooks();
    expect(receiver.received.map((w) => w.json.event_type)).toEqual(['action_required', 'payment_failed']);
  });

  it('manual capture: completing gives requires_capture (payment_authorized)', async () => {
    const { p, pageUrl, page } = await challenge({ capture_method: 'manual' });
    const done = await browse(formUrl(pageUrl, page.html, 'complete'));
    expect(new URL(done.location!).searchParams.get('status')).toBe('requires_capture');
    expect((await get(sb, `/payments/${p.payment_id}`)).json).toMatchObject({ status: 'requires_capture', amount_capturable: 6540 });
    await sb.waitForWebhooks();
    expect(receiver.received.map((w) => w.json.event_type)).toEqual(['action_required', 'payment_authorized']);
  });

  it('falls back to the profile’s return_url; without any, shows the result page', async () => {
    const withProfile = await createSandbox({ returnUrl: 'https://shop.example/profile-return' });
    try {
      const p = await createPayment(withProfile, {}, THREE_DS_CARD);
      const done = await browse(`${withProfile.url}/dummy-connector/complete/${p.payment_id}_1?confirm=true`);
      expect(done.location).toMatch(/^https:\/\/shop\.example\/profile-return\?status=succeeded&/);
      verifyRedirectSignature(new URL(done.location!).search, withProfile.webhookSecret);
    } finally {
      await withProfile.close();
    }
    const p = await createPayment(sb, {}, THREE_DS_CARD);
    const done = await browse(`${sb.url}/dummy-connector/complete/${p.payment_id}_1?confirm=true`);
    expect(done.status).toBe(200);
    expect(done.html).toContain(`Payment ${p.payment_id}: succeeded`);
  });

  it('confirm/capture/cancel while awaiting the customer follow the state machine', async () => {
    const p = await createPayment(sb, {}, THREE_DS_CARD);
    expect((await post(sb, `/payments/${p.payment_id}/confirm`, {})).json.error.message).toBe(
      'You cannot confirm this payment because it has status requires_customer_action',
    );
    expect((await post(sb, `/payments/${p.payment_id}/capture`, {})).json.error.code).toBe('IR_14');
    const cancelled = await post(sb, `/payments/${p.payment_id}/cancel`, {});
    expect(cancelled.json).toMatchObject({ status: 'cancelled', next_action: null });
    // The challenge link no longer works.
    const page = await browse(`${sb.url}/payments/redirect/${p.payment_id}/${sb.merchantId}/${p.payment_id}_1`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('This link is not valid or it is expired');
  });

  it('bad links: unknown attempt (404 page), missing confirm (400)', async () => {
    expect((await browse(`${sb.url}/dummy-connector/complete/pay_nope_1?confirm=true`)).status).toBe(404);
    expect((await browse(`${sb.url}/dummy-connector/authorize/pay_nope_1`)).html).toContain('not valid or it is expired');
    const p = await createPayment(sb, {}, THREE_DS_CARD);
    const missing = await browse(`${sb.url}/dummy-connector/complete/${p.payment_id}_1`);
    expect(missing.status).toBe(400);
    expect(missing.html).toBe('Query deserialize error: missing field `confirm`');
  });
});
