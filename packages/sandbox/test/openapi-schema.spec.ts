/**
 * Every answer of the sandbox, over real HTTP, validates against the API's OpenAPI document, strictly:
 * no field the schema does not declare, none of its required fields missing, no value outside its
 * enums. Each call is validated against the schema the document gives its route and status (error
 * statuses against the real error envelope), webhook bodies against OutgoingWebhook. The document
 * is loaded, closed and patched (PAYMNT_API.md section 8) in ./openapi-contract.ts, the one place;
 * where it is absent the suite is skipped with a notice, except under CI=true, where that is a failure.
 *
 * The last tests prove the check can fail (an undeclared field, a missing required field, a value
 * outside an enum, each injected into a copy of a real answer) and that every route the sandbox
 * serves (ALL_ROUTES, the list its router is built from) was driven here, unless NOT_API below
 * excludes it with a reason.
 */
import { createSandbox, type Sandbox } from '../src';
import { Router } from '../src/http/router';
import { ALL_ROUTES } from '../src/sandbox';
import { call, card, paymentBody, startReceiver, type CallOptions, type Receiver } from './helpers';
import { describeErrors, OpenApiContract, SPEC_PATH, specAvailable } from './openapi-contract';

function describeWithSpec(name: string, fn: () => void): void {
  if (specAvailable) return describe(name, fn);
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs the OpenAPI document under CI', () => {
        throw new Error(`OpenAPI document not found at ${SPEC_PATH} (required when CI=true)`);
      });
    });
    return;
  }
  console.warn(`[@paymnt/sandbox] OpenAPI schema test SKIPPED: ${SPEC_PATH} not found (it is required when CI=true).`);
  describe.skip(name, fn);
}

/** The routes the sandbox serves that are not part of the API, each with why; every other route must be driven here. */
const NOT_API: Readonly<Record<string, string>> = {
  'GET /payments/redirect/:payment_id/:merchant_id/:attempt_id': '3DS: the browser page HS redirects to (HTML)',
  'GET /dummy-connector/authorize/:attempt_id': '3DS: the dummy connector ACS page (HTML)',
  'GET /dummy-connector/complete/:attempt_id': '3DS: the ACS button, a 302 back to return_url',
  'GET /__sandbox/faults': 'sandbox control: fault rules',
  'POST /__sandbox/faults': 'sandbox control: fault rules',
  'DELETE /__sandbox/faults': 'sandbox control: fault rules',
  'DELETE /__sandbox/faults/:id': 'sandbox control: fault rules',
  'GET /__sandbox/webhooks': 'sandbox control: webhook delivery switch and URL',
  'POST /__sandbox/webhooks': 'sandbox control: webhook delivery switch and URL',
  'GET /__sandbox/stats': 'sandbox control: counters',
  'GET /health': 'liveness probe (plain text)',
  'POST /__sandbox/disputes': "sandbox control: the processor opens a dispute (HS learns it from connector webhooks)",
  'POST /__sandbox/disputes/:id': "sandbox control: the processor's verdict on a dispute",
};
const routeKey = (r: { method: string; pattern: string }) => `${r.method} ${r.pattern}`;
const API_ROUTES = ALL_ROUTES.filter((r) => !(routeKey(r) in NOT_API));

interface Seen {
  method: string;
  path: string;
  status: number;
  body: unknown;
}

describeWithSpec('every answer validates strictly against the OpenAPI document', () => {
  let contract: OpenApiContract;
  let sb: Sandbox;
  let receiver: Receiver;
  const seen: Seen[] = [];

  const check = (what: string, result: { ok: boolean; schema: string; errors: any[] }, body: unknown): void => {
    if (!result.ok) {
      throw new Error(`${what} does not match ${result.schema}:\n${describeErrors(result.errors)}\n${JSON.stringify(body).slice(0, 400)}`);
    }
  };

  /** One API call: recorded, and its JSON answer validated against the document at once. */
  async function api(method: string, path: string, body?: unknown, opts?: CallOptions & { expect?: number; empty?: boolean }): Promise<any> {
    const res = await call(sb, method, path, body, opts);
    if (opts?.expect !== undefined && res.status !== opts.expect) {
      throw new Error(`${method} ${path}: expected ${opts.expect}, got ${res.status} ${res.text}`);
    }
    if (opts?.empty) {
      // HS's `ApplicationResponse::StatusOk`: 200 and no body, as the document's schema-less 200 says.
      if (res.text !== '' || contract.responseSchema(method, path, res.status) !== undefined) throw new Error(`${method} ${path}: expected an empty answer, got ${res.text}`);
      seen.push({ method, path, status: res.status, body: undefined });
      return undefined;
    }
    const isJson = String(res.headers['content-type'] ?? '').startsWith('application/json');
    if (!isJson) throw new Error(`${method} ${path}: ${res.status} answered without JSON: ${res.text}`);
    seen.push({ method, path, status: res.status, body: res.json });
    check(`${method} ${path} ${res.status}`, contract.validateResponse(method, path, res.status, res.json), res.json);
    return res.json;
  }
  const ok = (method: string, path: string, body?: unknown, opts?: CallOptions) => api(method, path, body, { ...opts, expect: 200 });
  const fails = (status: number, method: string, path: string, body?: unknown, opts?: CallOptions) => api(method, path, body, { ...opts, expect: status });

  beforeAll(async () => {
    contract = new OpenApiContract();
    // Compiling the large schemas takes seconds on a busy machine: here, under its own timeout, not in the first test's.
    for (const name of ['PaymentsResponse', 'OutgoingWebhook']) contract.validateSchema(name, {});
    receiver = await startReceiver();
    sb = await createSandbox({ webhookUrl: receiver.url, returnUrl: 'https://shop.example/return' });
  }, 60_000);
  afterAll(async () => {
    await sb?.close();
    await receiver?.close();
  });

  const rich = {
    description: 'validated',
    metadata: { order: 'A-1' },
    customer: { id: 'cus_schema', name: 'Jo Doe', email: 'jo@example.com', phone: '9123456789', phone_country_code: '+1' },
    billing: {
      address: { line1: '1 Main St', city: 'Paris', zip: '75001', country: 'FR', first_name: 'Jo', last_name: 'Doe' },
      phone: { number: '9123456789', country_code: '+33' },
      email: 'jo@example.com',
    },
    shipping: { address: { line1: '2 Side St', country: 'US' } },
    order_details: [{ product_name: 'Mug', quantity: 2, amount: 3270 }],
    return_url: 'https://shop.example/return',
    statement_descriptor_name: 'SHOP',
    setup_future_usage: 'on_session',
    browser_info: { user_agent: 'jest', language: 'en' },
    shipping_cost: 100,
    order_tax_amount: 50,
    merchant_order_reference_id: 'order-1',
  };

  it('payments: create without and with confirm, every outcome card, 3DS, retrieve with expand options', async () => {
    const bare = await ok('POST', '/payments', { amount: 100, currency: 'USD' });
    expect(bare.status).toBe('requires_payment_method');
    const withCard = await ok('POST', '/payments', { amount: 100, currency: 'USD', payment_method: 'card', payment_method_data: { card: card(), billing: rich.billing } });
    expect(withCard.status).toBe('requires_confirmation');
    expect((await ok('POST', '/payments', paymentBody(rich))).status).toBe('succeeded');
    expect((await ok('POST', '/payments', paymentBody({}, '4000000000000002'))).status).toBe('failed');
    expect((await ok('POST', '/payments', paymentBody({}, '4012888888881881'))).status).toBe('failed');
    const challenged = await ok('POST', '/payments', paymentBody({ authentication_type: 'three_ds', return_url: 'https://shop.example/r' }, '4000003800000446'));
    expect(challenged.status).toBe('requires_customer_action');
    expect(challenged.next_action.type).toBe('redirect_to_url');

    // The challenge answered in the "browser": then the payment is read back with every expand option.
    const attempt = String(challenged.next_action.redirect_to_url).split('/').pop();
    const page = await call(sb, 'GET', `/dummy-connector/complete/${attempt}?confirm=true`, undefined, { apiKey: null });
    expect(page.status).toBe(302);
    const q = '?expand_attempts=true&expand_captures=true&force_sync=true';
    const done = await ok('GET', `/payments/${challenged.payment_id}${q}`);
    expect(done.status).toBe('succeeded');
    expect(done.attempts.length).toBeGreaterThan(0);
    await ok('GET', `/payments/${challenged.payment_id}?client_secret=${challenged.client_secret}`, undefined, { apiKey: sb.publishableKey });
    await ok('GET', `/payments/${bare.payment_id}?expand_attempts=true`);
  });

  it('payments: update, confirm (secret and publishable key), and the client-secret flow', async () => {
    const p = await ok('POST', '/payments', { amount: 500, currency: 'EUR', customer_id: 'cus_update' });
    const updated = await ok('POST', `/payments/${p.payment_id}`, { amount: 700, description: 'more', metadata: { k: 'v' } });
    expect(updated.amount).toBe(700);
    const confirmed = await ok('POST', `/payments/${p.payment_id}/confirm`, {
      payment_method: 'card',
      payment_method_data: { card: card() },
      authentication_type: 'no_three_ds',
    });
    expect(confirmed.status).toBe('succeeded');

    const q = await ok('POST', '/payments', { amount: 300, currency: 'USD', capture_method: 'manual' });
    const byClient = await ok(
      'POST',
      `/payments/${q.payment_id}/confirm`,
      { client_secret: q.client_secret, payment_method: 'card', payment_method_data: { card: card() } },
      { apiKey: sb.publishableKey },
    );
    expect(byClient.status).toBe('requires_capture');
  });

  it('payments: capture full and partial (manual, manual_multiple), cancel, cancel_post_capture, incremental authorization', async () => {
    const full = await ok('POST', '/payments', paymentBody({ capture_method: 'manual' }));
    expect((await ok('POST', `/payments/${full.payment_id}/capture`, {})).status).toBe('succeeded');

    const partial = await ok('POST', '/payments', paymentBody({ capture_method: 'manual', request_incremental_authorization: true }));
    const incremented = await ok('POST', `/payments/${partial.payment_id}/incremental_authorization`, { amount: 9000, reason: 'tip' });
    expect(incremented.incremental_authorizations).toHaveLength(1);
    expect((await ok('POST', `/payments/${partial.payment_id}/capture`, { amount_to_capture: 1000 })).status).toBe('partially_captured');

    const multi = await ok('POST', '/payments', paymentBody({ capture_method: 'manual_multiple' }));
    expect((await ok('POST', `/payments/${multi.payment_id}/capture`, { amount_to_capture: 1000 })).status).toBe('partially_captured_and_capturable');
    await ok('GET', `/payments/${multi.payment_id}?expand_captures=true&expand_attempts=true`);

    const toCancel = await ok('POST', '/payments', paymentBody({ capture_method: 'manual' }));
    expect((await ok('POST', `/payments/${toCancel.payment_id}/cancel`, { cancellation_reason: 'fraud' })).status).toBe('cancelled');
    const unconfirmed = await ok('POST', '/payments', { amount: 100, currency: 'USD' });
    expect((await ok('POST', `/payments/${unconfirmed.payment_id}/cancel`, {})).status).toBe('cancelled');

    const captured = await ok('POST', '/payments', paymentBody());
    expect((await ok('POST', `/payments/${captured.payment_id}/cancel_post_capture`, { cancellation_reason: 'late' })).status).toBe('cancelled_post_capture');
    expect((await ok('GET', `/payments/${captured.payment_id}/cancel_post_capture`)).status).toBe('cancelled_post_capture');
  });

  it('payments: the list (GET /payments/list with its filters)', async () => {
    const a = await ok('POST', '/payments', paymentBody({ customer_id: 'cus_list' }));
    const list = await ok('GET', '/payments/list?limit=100');
    expect(list.size).toBeGreaterThan(3);
    await ok('GET', `/payments/list?customer_id=cus_list&starting_after=${a.payment_id}&limit=5`);
    await ok('GET', `/payments/list?created.gte=${encodeURIComponent(a.created)}`);
  });

  it('refunds: create (instant, scheduled), retrieve, update, list', async () => {
    const p = await ok('POST', '/payments', paymentBody());
    const r1 = await ok('POST', '/refunds', { payment_id: p.payment_id, amount: 40, reason: 'r', metadata: { a: 1 } });
    expect(r1.status).toBe('succeeded');
    const r2 = await ok('POST', '/refunds', { payment_id: p.payment_id, amount: 100, refund_type: 'scheduled', refund_id: 'ref_merchant_1' });
    expect(r2.status).toBe('pending');
    await ok('GET', `/refunds/${r1.refund_id}`);
    await ok('GET', `/refunds/${r2.refund_id}?force_sync=true`);
    await ok('POST', `/refunds/${r1.refund_id}`, { reason: 'updated', metadata: { b: 2 } });
    await ok('POST', '/refunds/list', { limit: 5 });
    await ok('POST', '/refunds/list', { payment_id: p.payment_id, refund_status: ['success'], amount_filter: { start_amount: 1 } });
    await ok('GET', `/payments/${p.payment_id}`);
  });

  it('customers: create, retrieve, update, list, payment methods, delete', async () => {
    const full = await ok('POST', '/customers', {
      name: 'Jo Doe',
      email: 'jo@example.com',
      phone: '9123456789',
      phone_country_code: '+65',
      description: 'validated',
      address: { line1: '1 Main St', city: 'Paris', zip: '75001', country: 'FR', first_name: 'Jo', last_name: 'Doe' },
      metadata: { tier: 'gold' },
    });
    const bare = await ok('POST', '/customers', {});
    await ok('POST', `/customers/${full.customer_id}`, { name: 'Jo D.' });
    await ok('GET', `/customers/${full.customer_id}`);
    await ok('GET', `/customers/${full.customer_id}/payment_methods`);
    await ok('DELETE', `/customers/${bare.customer_id}`);
    const list = await ok('GET', '/customers/list?limit=10');
    expect(list.length).toBeGreaterThanOrEqual(2);
  });

  const acceptance = { acceptance_type: 'online', accepted_at: '2025-01-01T00:00:00Z', online: { ip_address: '127.0.0.1', user_agent: 'jest' } };
  /** A customer-initiated payment that saves the card and creates a multi-use mandate. */
  const mandateSetup = (customerId: string) =>
    ok(
      'POST',
      '/payments',
      paymentBody({
        customer_id: customerId,
        setup_future_usage: 'off_session',
        customer_acceptance: acceptance,
        mandate_data: { customer_acceptance: acceptance, mandate_type: { multi_use: { amount: 10_000, currency: 'USD' } } },
      }),
    );

  it('payment methods: saved by a payment and by POST /payment_methods, retrieve, update, default, list, delete', async () => {
    const cid = 'cus_schema_pm';
    const setup = await mandateSetup(cid);
    expect(setup.payment_method_id).toMatch(/^pm_/);
    await ok('GET', `/payment_methods/${setup.payment_method_id}`);
    const second = await ok('POST', '/payment_methods', {
      payment_method: 'card',
      payment_method_type: 'credit',
      customer_id: cid,
      card: card('5555555555554444', { nick_name: 'Work' }),
      metadata: { k: 'v' },
    });
    await ok('POST', `/payment_methods/${second.payment_method_id}/update`, { card: { card_exp_month: '12', card_exp_year: '39', card_holder_name: 'New Name' } });
    const def = await ok('POST', `/customers/${cid}/payment_methods/${second.payment_method_id}/default`);
    expect(def.default_payment_method_id).toBe(second.payment_method_id);
    const list = await ok('GET', `/customers/${cid}/payment_methods`);
    expect(list.customer_payment_methods).toHaveLength(2);
    await ok('DELETE', `/payment_methods/${setup.payment_method_id}`);
  });

  it('mandates: created by a set-up payment, retrieve, lists, revoke', async () => {
    const cid = 'cus_schema_mandate';
    const first = await mandateSetup(cid);
    const second = await mandateSetup(cid);
    expect((await ok('GET', `/mandates/${first.mandate_id}`)).status).toBe('active');
    expect(await ok('GET', `/customers/${cid}/mandates`)).toHaveLength(2);
    await ok('GET', '/mandates/list?limit=10');
    // Merchant-initiated charges: by mandate, and by saved payment method.
    const mit = (recurring_details: unknown) =>
      ok('POST', '/payments', { amount: 1000, currency: 'USD', confirm: true, off_session: true, customer_id: cid, recurring_details, authentication_type: 'no_three_ds' });
    expect((await mit({ type: 'mandate_id', data: second.mandate_id })).status).toBe('succeeded');
    expect((await mit({ type: 'payment_method_id', data: first.payment_method_id })).status).toBe('succeeded');
    expect((await ok('POST', `/mandates/revoke/${second.mandate_id}`)).status).toBe('revoked');
    await ok('GET', '/mandates/list?mandate_status=revoked&limit=5');
    await ok('GET', `/mandates/${second.mandate_id}`);
  });

  it('disputes: list, retrieve, accept; attach, read and delete evidence; submit; the verdict', async () => {
    const accepted = sb.openDispute((await ok('POST', '/payments', paymentBody())).payment_id, { reason: 'fraudulent' });
    expect((await ok('GET', `/disputes/${accepted.dispute_id}`)).dispute_status).toBe('dispute_opened');
    expect((await ok('GET', `/payments/${accepted.payment_id}`)).disputes).toHaveLength(1); // DisputeResponsePaymentsRetrieve
    expect((await ok('POST', `/disputes/accept/${accepted.dispute_id}`)).dispute_status).toBe('dispute_accepted');

    const challenged = sb.openDispute((await ok('POST', '/payments', paymentBody())).payment_id, { amount: 1000 });
    const boundary = 'schema-boundary-7MA4YWxk';
    const part = (name: string, value: string, file = false) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${file ? '; filename="receipt.pdf"\r\nContent-Type: application/octet-stream' : ''}\r\n\r\n${value}\r\n`;
    const multipart = (type: string) =>
      part('dispute_id', challenged.dispute_id) + part('evidence_type', type) + part('file', '%PDF-1.4\n%sandbox evidence\n', true) + `--${boundary}--\r\n`;
    const form = { headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
    expect((await ok('PUT', '/disputes/evidence', undefined, { ...form, raw: multipart('receipt') })).file_id).toEqual(expect.any(String));
    await ok('PUT', '/disputes/evidence', undefined, { ...form, raw: multipart('customer_communication') });
    expect(await ok('GET', `/disputes/evidence/${challenged.dispute_id}`)).toHaveLength(2);
    await api('DELETE', '/disputes/evidence', { dispute_id: challenged.dispute_id, evidence_type: 'customer_communication' }, { expect: 200, empty: true });
    const submitted = await ok('POST', '/disputes/evidence', { dispute_id: challenged.dispute_id, uncategorized_text: 'delivered' });
    expect(submitted.dispute_status).toBe('dispute_challenged');
    await sb.settleDispute(challenged.dispute_id, 'won');
    expect((await ok('GET', '/disputes/list?limit=10')).length).toBeGreaterThanOrEqual(2);
    await ok('GET', '/disputes/list?dispute_status=dispute_won');
  });

  it('payment methods, mandates and disputes: their error statuses', async () => {
    const cid = 'cus_schema_errors';
    const setup = await mandateSetup(cid);
    await fails(404, 'GET', '/payment_methods/pm_doesnotexist0000000');
    await fails(404, 'DELETE', '/payment_methods/pm_doesnotexist0000000');
    await fails(404, 'POST', '/payment_methods/pm_doesnotexist0000000/update', { card: { card_holder_name: 'X' } });
    await fails(404, 'POST', `/customers/${cid}/payment_methods/pm_doesnotexist0000000/default`);
    await fails(404, 'POST', '/payment_methods', { payment_method: 'card', customer_id: 'cus_schema_nobody', card: card() });
    await fails(400, 'POST', '/payment_methods', { payment_method: 'card', customer_id: cid, card: card(), bogus: 1 });
    await fails(400, 'DELETE', `/payment_methods/${setup.payment_method_id}`); // the default method: IR_25
    await fails(404, 'GET', '/mandates/man_doesnotexist000000000');
    await fails(404, 'POST', '/mandates/revoke/man_doesnotexist000000000');
    await fails(404, 'GET', '/customers/cus_schema_nobody/mandates');
    await ok('POST', `/mandates/revoke/${setup.mandate_id}`);
    await fails(400, 'POST', `/mandates/revoke/${setup.mandate_id}`); // HE_03 already revoked
    const d = sb.openDispute((await ok('POST', '/payments', paymentBody())).payment_id);
    await ok('POST', `/disputes/accept/${d.dispute_id}`);
    await fails(400, 'POST', `/disputes/accept/${d.dispute_id}`); // HE_03 not opened
    await fails(400, 'POST', '/disputes/evidence', { dispute_id: d.dispute_id, uncategorized_text: 'late' });
    await fails(400, 'POST', '/disputes/evidence', { uncategorized_text: 'no id' });
    await fails(404, 'GET', '/disputes/dp_doesnotexist00000000');
    await fails(404, 'POST', '/disputes/accept/dp_doesnotexist00000000');
    await fails(404, 'GET', '/disputes/evidence/dp_doesnotexist00000000');
    await fails(404, 'DELETE', '/disputes/evidence', { dispute_id: 'dp_doesnotexist00000000', evidence_type: 'receipt' });
    await fails(400, 'PUT', '/disputes/evidence', undefined, { raw: '{}' });
  });

  it('webhook bodies (OutgoingWebhook) and the events API', async () => {
    await sb.waitForWebhooks();
    expect(receiver.received.length).toBeGreaterThan(10);
    const types = new Set<string>();
    for (const w of receiver.received) {
      types.add(w.json.event_type);
      check(`webhook ${w.json.event_type}`, contract.validateSchema('OutgoingWebhook', w.json), w.json);
    }
    expect([...types]).toEqual(
      expect.arrayContaining([
        ...['payment_succeeded', 'payment_failed', 'payment_authorized', 'payment_captured', 'payment_cancelled', 'action_required', 'refund_succeeded'],
        ...['mandate_active', 'mandate_revoked', 'dispute_opened', 'dispute_accepted', 'dispute_challenged', 'dispute_won'],
      ]),
    );
    const events = await ok('POST', `/events/${sb.merchantId}`, { limit: 100 });
    await ok('POST', `/events/${sb.merchantId}`, { event_classes: ['refunds'], is_delivered: true });
    const eventId = events.events[0].event_id;
    await ok('GET', `/events/${sb.merchantId}/${eventId}/attempts`);
    await ok('POST', `/events/${sb.merchantId}/${eventId}/retry`, {});
  });

  it('every error status answers the error envelope', async () => {
    const auth = await ok('POST', '/payments', paymentBody({ capture_method: 'manual' }));
    const paid = await ok('POST', '/payments', paymentBody());
    await fails(400, 'POST', '/payments', { currency: 'USD' }); // IR_04
    await fails(400, 'POST', '/payments', { amount: 1, currency: 'USD', bogus: 1 }); // IR_06, error_type envelope
    await fails(400, 'POST', '/payments', undefined, { raw: '{' });
    await fails(400, 'POST', '/payments', { amount: 1_000_000_000, currency: 'USD' }); // IR_16
    await fails(400, 'POST', `/payments/${paid.payment_id}/capture`, {}); // IR_14
    await fails(400, 'POST', `/payments/${paid.payment_id}/cancel`, {}); // IR_16
    await fails(400, 'POST', `/payments/${paid.payment_id}/confirm`, {}); // IR_16
    await fails(400, 'POST', `/payments/${paid.payment_id}`, { description: 'late' }); // IR_16
    await fails(400, 'POST', `/payments/${auth.payment_id}/incremental_authorization`, { amount: 9000 }); // IR_16
    await fails(400, 'POST', `/payments/${auth.payment_id}/cancel_post_capture`, {}); // IR_16
    await fails(400, 'POST', '/refunds', { payment_id: paid.payment_id, amount: 999_999 }); // IR_13
    await fails(400, 'POST', '/refunds', { payment_id: auth.payment_id }); // IR_14
    await fails(400, 'POST', '/payments', { amount: 1, currency: 'USD', payment_id: paid.payment_id }); // HE_01
    await fails(401, 'GET', '/payments/list', undefined, { apiKey: 'snd_wrong' });
    await fails(401, 'POST', '/payments/list', {});
    await fails(404, 'GET', '/payments/pay_doesnotexist00000000');
    await fails(404, 'GET', '/refunds/ref_doesnotexist00000000');
    await fails(404, 'GET', '/customers/cus_doesnotexist');
    await fails(404, 'GET', '/nowhere');
    await fails(405, 'DELETE', '/payments/list');
    await fails(422, 'POST', `/payments/${auth.payment_id}/capture`, { amount_to_capture: 0 }); // IR_05
    await fails(422, 'GET', '/payments/list?limit=1000'); // IR_06
    await fails(501, 'POST', '/payments', { amount: 1, currency: 'USD', capture_method: 'scheduled' });
    const key = { headers: { 'Idempotency-Key': 'schema-test-key' } };
    await ok('POST', '/customers', { name: 'A' }, key);
    await fails(409, 'POST', '/customers', { name: 'B' }, key);
    const statuses = new Set(seen.filter((s) => s.status >= 400).map((s) => s.status));
    expect([...statuses].sort()).toEqual([400, 401, 404, 405, 409, 422, 501]);
  });

  describe('the check can fail', () => {
    let sample: any;
    let webhook: any;
    let refund: any;
    let paymentMethod: any;
    let mandate: any;
    let dispute: any;
    const hookOf = (type: string) => receiver.received.find((w) => w.json.content.type === type)?.json;
    beforeAll(async () => {
      sample = await ok('POST', '/payments', paymentBody({ capture_method: 'manual' }));
      const paid = await ok('POST', '/payments', paymentBody());
      refund = await ok('POST', '/refunds', { payment_id: paid.payment_id, amount: 10 });
      const setup = await mandateSetup('cus_schema_proofs');
      paymentMethod = await ok('GET', `/payment_methods/${setup.payment_method_id}`);
      mandate = await ok('GET', `/mandates/${setup.mandate_id}`);
      dispute = await ok('GET', `/disputes/${sb.openDispute(paid.payment_id).dispute_id}`);
      await sb.waitForWebhooks();
      webhook = hookOf('payment_details');
    });
    const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v));
    const reasons = (r: { errors: any[] }) => describeErrors(r.errors);

    it('a real answer passes', () => {
      expect(contract.validateResponse('POST', '/payments', 200, sample).ok).toBe(true);
      expect(contract.validateSchema('OutgoingWebhook', webhook).ok).toBe(true);
    });

    it('an undeclared field fails, at the top, nested, in a flattened part, and in a webhook body', () => {
      const top = { ...copy(sample), surprise: 1 };
      const top_r = contract.validateResponse('POST', '/payments', 200, top);
      expect(top_r.ok).toBe(false);
      expect(reasons(top_r)).toContain('surprise');

      const nested = copy(sample);
      nested.payment_method_data.card.surprise = 'x';
      expect(contract.validateResponse('GET', `/payments/${sample.payment_id}`, 200, nested).ok).toBe(false);

      const flattened = copy(sample);
      flattened.payment_method_data.surprise = null;
      expect(contract.validateResponse('GET', `/payments/${sample.payment_id}`, 200, flattened).ok).toBe(false);

      const hook = copy(webhook);
      hook.content.object.surprise = true;
      expect(contract.validateSchema('OutgoingWebhook', hook).ok).toBe(false);

      const refunds = { count: 1, total_count: 1, data: [{ ...copy(refund), surprise: 1 }] };
      expect(contract.validateResponse('POST', '/refunds/list', 200, refunds).ok).toBe(false);

      const error = { error: { type: 'invalid_request', message: 'm', code: 'IR_04', surprise: 1 } };
      expect(contract.validateResponse('POST', '/payments', 400, error).ok).toBe(false);
    });

    it('an undeclared field fails in a payment method, a mandate, a dispute, their lists and their webhook bodies', () => {
      const pmPath = `/payment_methods/${paymentMethod.payment_method_id}`;
      expect(contract.validateResponse('GET', pmPath, 200, paymentMethod).ok).toBe(true);
      expect(contract.validateResponse('GET', pmPath, 200, { ...copy(paymentMethod), surprise: 1 }).ok).toBe(false);
      expect(contract.validateResponse('GET', pmPath, 200, { ...copy(paymentMethod), card: { ...paymentMethod.card, surprise: 1 } }).ok).toBe(false);

      const mandatePath = `/mandates/${mandate.mandate_id}`;
      expect(contract.validateResponse('GET', mandatePath, 200, mandate).ok).toBe(true);
      expect(contract.validateResponse('GET', mandatePath, 200, { ...copy(mandate), surprise: 1 }).ok).toBe(false);
      expect(contract.validateResponse('GET', '/mandates/list', 200, [{ ...copy(mandate), surprise: 1 }]).ok).toBe(false);

      const disputePath = `/disputes/${dispute.dispute_id}`;
      expect(contract.validateResponse('GET', disputePath, 200, dispute).ok).toBe(true);
      expect(contract.validateResponse('GET', disputePath, 200, { ...copy(dispute), surprise: 1 }).ok).toBe(false);
      expect(contract.validateResponse('GET', '/disputes/list', 200, [{ ...copy(dispute), surprise: 1 }]).ok).toBe(false);

      for (const type of ['mandate_details', 'dispute_details']) {
        const real = hookOf(type);
        expect(contract.validateSchema('OutgoingWebhook', real).ok).toBe(true);
        const changed = copy(real);
        changed.content.object.surprise = 1;
        expect(contract.validateSchema('OutgoingWebhook', changed).ok).toBe(false);
      }
    });

    it('a missing required field and a value outside its enum fail', () => {
      const missing = copy(sample);
      delete missing.attempt_count;
      expect(contract.validateResponse('POST', '/payments', 200, missing).ok).toBe(false);
      const badEnum = { ...copy(sample), status: 'authorised' };
      expect(contract.validateResponse('POST', '/payments', 200, badEnum).ok).toBe(false);
      expect(contract.validateResponse('POST', '/payments', 400, { error: { type: 'invalid_request', message: 'm' } }).ok).toBe(false);
      expect(contract.validateResponse('POST', '/refunds', 200, { ...copy(refund), status: 'success' }).ok).toBe(false);
      const badNested = copy(sample);
      badNested.capture_method = 'later';
      expect(contract.validateResponse('POST', '/payments', 200, badNested).ok).toBe(false);
    });
  });

  it('every route the sandbox serves is either driven here or excluded with a reason', () => {
    const served = new Set(ALL_ROUTES.map(routeKey));
    expect(Object.keys(NOT_API).filter((k) => !served.has(k))).toEqual([]);
    expect(API_ROUTES.length + Object.keys(NOT_API).length).toBe(ALL_ROUTES.length);
  });

  it('every API route the sandbox serves was driven and answered JSON the document accepts', () => {
    const router = new Router(API_ROUTES);
    const driven = new Set<string>();
    for (const s of seen) {
      const m = router.match(s.method, s.path.split('?')[0] as string);
      if (typeof m === 'object' && (s.status < 300 || m.route.pattern === '/payments/list')) driven.add(`${m.route.method} ${m.route.pattern}`);
    }
    const missing = API_ROUTES.map((r) => `${r.method} ${r.pattern}`).filter((r) => !driven.has(r));
    expect(missing).toEqual([]);
  });
});
