import { createSandbox, type Sandbox } from '../src';
import { authorize, call, card, createPayment, get, post } from './helpers';

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('payments: create, retrieve, update, confirm', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await createSandbox({ returnUrl: 'https://shop.example/return' });
  });
  afterAll(() => sb.close());

  it('creates a payment without a payment method: requires_payment_method, HS ids and nulls', async () => {
    const res = await post(sb, '/payments', { amount: 6540, currency: 'USD', description: 'first', metadata: { order: '42' } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const p = res.json;
    expect(p.payment_id).toMatch(/^pay_[A-Za-z0-9]{20}$/);
    expect(p.client_secret).toMatch(new RegExp(`^${p.payment_id}_secret_[A-Za-z0-9]{20}$`));
    expect(p.merchant_id).toBe(sb.merchantId);
    expect(p.profile_id).toBe(sb.profileId);
    expect(p.processor_merchant_id).toBe(sb.merchantId);
    expect(p.status).toBe('requires_payment_method');
    expect(p.amount).toBe(6540);
    expect(p.net_amount).toBe(6540);
    expect(p.amount_capturable).toBe(6540);
    expect(p.amount_received).toBeNull();
    expect(p.capture_method).toBe('automatic');
    expect(p.authentication_type).toBeNull();
    expect(p.payment_method).toBeNull();
    expect(p.connector).toBeNull();
    expect(p.next_action).toBeNull();
    expect(p.error_code).toBeNull();
    expect(p.refunds).toBeNull();
    expect(p.attempt_count).toBe(1);
    expect(p.description).toBe('first');
    expect(p.metadata).toEqual({ order: '42' });
    expect(p.created).toMatch(ISO_MS);
    expect(p.modified_at).toMatch(ISO_MS);
    expect(p.updated).toMatch(ISO_MS);
    expect(Date.parse(p.expires_on) - Date.parse(p.created)).toBe(900_000);
    // Absent fields are present as null; attempts/captures only when expanded.
    expect(p).toHaveProperty('shipping', null);
    expect(p).toHaveProperty('customer', null);
    expect(p).not.toHaveProperty('attempts');
    expect(p).not.toHaveProperty('captures');
    // HS's field order.
    expect(Object.keys(p).slice(0, 8)).toEqual([
      'payment_id',
      'merchant_id',
      'status',
      'amount',
      'net_amount',
      'shipping_cost',
      'amount_capturable',
      'amount_received',
    ]);
  });

  it('accepts amount 0 and a merchant-supplied payment_id; a duplicate id is HE_01', async () => {
    const res = await post(sb, '/payments', { amount: 0, currency: 'EUR', payment_id: 'order-2024_0001' });
    expect(res.status).toBe(200);
    expect(res.json.payment_id).toBe('order-2024_0001');
    expect(res.json.client_secret).toMatch(/^order-2024_0001_secret_[A-Za-z0-9]{20}$/);
    const dup = await post(sb, '/payments', { amount: 100, currency: 'USD', payment_id: 'order-2024_0001' });
    expect(dup.status).toBe(400);
    expect(dup.json).toEqual({
      error: {
        type: 'invalid_request',
        message: 'The payment with the specified payment_id already exists in our records',
        code: 'HE_01',
        reason: 'PaymentId(order-2024_0001) already exists',
      },
    });
  });

  it('create with card and confirm=false: requires_confirmation, then confirm succeeds', async () => {
    const created = await post(sb, '/payments', {
      amount: 1000,
      currency: 'USD',
      payment_method: 'card',
      payment_method_data: { card: card() },
      customer: { id: 'cus_1', name: 'Jo', email: 'jo@example.com' },
    });
    expect(created.json.status).toBe('requires_confirmation');
    expect(created.json.payment_method_data.card).toMatchObject({ last4: '4242', card_isin: '424242', card_exp_month: '10', card_exp_year: '35' });
    expect(created.json.payment_token).toMatch(/^token_[A-Za-z0-9]{20}$/);
    expect(created.json.customer).toEqual({ id: 'cus_1', name: 'Jo', email: 'jo@example.com', phone: null, phone_country_code: null });
    expect(created.json.customer_id).toBe('cus_1');
    const confirmed = await post(sb, `/payments/${created.json.payment_id}/confirm`, { authentication_type: 'no_three_ds' });
    expect(confirmed.status).toBe(200);
    expect(confirmed.json).toMatchObject({
      status: 'succeeded',
      amount_capturable: 0,
      amount_received: 1000,
      connector: 'fauxpay',
      authentication_type: 'no_three_ds',
      payment_method_type: 'credit',
      manual_retry_allowed: false,
    });
    expect(confirmed.json.connector_transaction_id).toMatch(/^dummy_pay_/);
    expect(confirmed.json.merchant_connector_id).toMatch(/^mca_/);
  });

  it('confirm defaults authentication_type to no_three_ds; three_ds with a success card does not challenge (dummy connector)', async () => {
    const p = await createPayment(sb, { authentication_type: undefined });
    expect(p.authentication_type).toBe('no_three_ds');
    const p2 = await createPayment(sb, { authentication_type: 'three_ds' });
    expect(p2.status).toBe('succeeded');
    expect(p2.next_action).toBeNull();
  });

  it('manual capture: requires_capture with amount_capturable = amount', async () => {
    const p = await authorize(sb);
    expect(p.status).toBe('requires_capture');
    expect(p.amount_capturable).toBe(6540);
    expect(p.amount_received).toBeNull();
  });

  it('net_amount includes shipping_cost and order_tax_amount', async () => {
    const p = await createPayment(sb, { shipping_cost: 500, order_tax_amount: 60 });
    expect(p.net_amount).toBe(6540 + 500 + 60);
    expect(p.amount_received).toBe(6540 + 500 + 60);
  });

  it('retrieve: expand_attempts / expand_captures, client_secret check', async () => {
    const p = await authorize(sb);
    await post(sb, `/payments/${p.payment_id}/capture`, { amount_to_capture: 1000 });
    const plain = await get(sb, `/payments/${p.payment_id}`);
    expect(plain.json).not.toHaveProperty('attempts');
    const expanded = await get(sb, `/payments/${p.payment_id}?expand_attempts=true&expand_captures=true&force_sync=true`);
    expect(expanded.json.attempts).toHaveLength(1);
    expect(expanded.json.attempts[0]).toMatchObject({ attempt_id: `${p.payment_id}_1`, status: 'partial_charged', amount: 6540 });
    expect(expanded.json.captures).toHaveLength(1);
    expect(expanded.json.captures[0]).toMatchObject({ capture_id: `${p.payment_id}_1_1`, amount: 1000, status: 'charged', capture_sequence: 1 });
    const ok = await get(sb, `/payments/${p.payment_id}?client_secret=${p.client_secret}`);
    expect(ok.status).toBe(200);
    const bad = await get(sb, `/payments/${p.payment_id}?client_secret=${p.payment_id}_secret_wrong`);
    expect(bad.status).toBe(400);
    expect(bad.json.error).toEqual({
      type: 'invalid_request',
      message: 'The client_secret provided does not match the client_secret associated with the Payment',
      code: 'IR_09',
    });
    const missing = await get(sb, '/payments/pay_doesnotexist000000000');
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ error: { type: 'invalid_request', message: 'Payment does not exist in our records', code: 'HE_02' } });
  });

  it('publishable key: retrieve and confirm with client_secret only', async () => {
    const created = (await post(sb, '/payments', { amount: 700, currency: 'USD' })).json;
    const pk = { apiKey: sb.publishableKey };
    expect((await get(sb, `/payments/${created.payment_id}`, pk)).json.error.code).toBe('IR_08');
    expect((await get(sb, `/payments/${created.payment_id}?client_secret=${created.client_secret}`, pk)).status).toBe(200);
    expect((await post(sb, '/payments', { amount: 1, currency: 'USD' }, pk)).status).toBe(401);
    const confirmed = await post(
      sb,
      `/payments/${created.payment_id}/confirm`,
      { client_secret: created.client_secret, payment_method: 'card', payment_method_data: { card: card() } },
      pk,
    );
    expect(confirmed.status).toBe(200);
    expect(confirmed.json.status).toBe('succeeded');
  });

  it('update: allowed before confirmation, IR_16 after', async () => {
    const created = (await post(sb, '/payments', { amount: 500, currency: 'USD' })).json;
    const updated = await post(sb, `/payments/${created.payment_id}`, { amount: 800, description: 'changed', payment_method: 'card', payment_method_data: { card: card() } });
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({ amount: 800, amount_capturable: 800, description: 'changed', status: 'requires_confirmation' });
    const confirmed = await post(sb, `/payments/${created.payment_id}/confirm`, {});
    expect(confirmed.json.status).toBe('succeeded');
    const late = await post(sb, `/payments/${created.payment_id}`, { description: 'too late' });
    expect(late.status).toBe(400);
    expect(late.json.error).toEqual({ type: 'invalid_request', message: 'You cannot update this payment because it has status succeeded', code: 'IR_16' });
  });

  it('confirm errors: pm data required (422 IR_06), payment_method required (400 IR_04), wrong status (IR_16)', async () => {
    const noPm = await post(sb, '/payments', { amount: 6540, currency: 'USD', confirm: true });
    expect(noPm.status).toBe(422);
    expect(noPm.json.error).toEqual({ type: 'invalid_request', message: 'A payment token or payment method data or ctp service details is required', code: 'IR_06' });

    const noMethod = await post(sb, '/payments', { amount: 6540, currency: 'USD', confirm: true, payment_method_data: { card: card() } });
    expect(noMethod.status).toBe(400);
    expect(noMethod.json.error).toEqual({ type: 'invalid_request', message: 'Missing required param: payment_method', code: 'IR_04' });

    const bare = (await post(sb, '/payments', { amount: 10, currency: 'USD' })).json;
    const c1 = await post(sb, `/payments/${bare.payment_id}/confirm`, {});
    expect(c1.status).toBe(422);
    const c2 = await post(sb, `/payments/${bare.payment_id}/confirm`, { payment_method_data: { card: card() } });
    expect(c2.status).toBe(400);
    expect(c2.json.error.code).toBe('IR_04');

    const done = await createPayment(sb);
    const again = await post(sb, `/payments/${done.payment_id}/confirm`, { payment_method: 'card', payment_method_data: { card: card() } });
    expect(again.status).toBe(400);
    expect(again.json.error).toEqual({ type: 'invalid_request', message: 'You cannot confirm this payment because it has status succeeded', code: 'IR_16' });
    const auth = await authorize(sb);
    expect((await post(sb, `/payments/${auth.payment_id}/confirm`, {})).json.error.message).toBe(
      'You cannot confirm this payment because it has status requires_capture',
    );
  });

  it('missing amount / currency on create: IR_04', async () => {
    expect((await post(sb, '/payments', { currency: 'USD' })).json.error).toEqual({ type: 'invalid_request', message: 'Missing required param: amount', code: 'IR_04' });
    expect((await post(sb, '/payments', { amount: 1 })).json.error).toEqual({ type: 'invalid_request', message: 'Missing required param: currency', code: 'IR_04' });
  });

  it('amount rules: max 999999999 (IR_16), amount_to_capture (IR_16, helpers.rs), scheduled capture (501 IR_00)', async () => {
    const big = await post(sb, '/payments', { amount: 1_000_000_000, currency: 'USD' });
    expect(big.status).toBe(400);
    expect(big.json.error).toEqual({ type: 'invalid_request', message: 'amount should not be more than 999999999', code: 'IR_16' });
    expect((await post(sb, '/payments', { amount: 999_999_999, currency: 'USD' })).status).toBe(200);

    const over = await post(sb, '/payments', { amount: 6000, currency: 'USD', amount_to_capture: 10000 });
    expect(over.status).toBe(400);
    expect(over.json.error).toEqual({
      type: 'invalid_request',
      message: 'amount_to_capture is greater than amount capture_amount: MinorUnit(10000) request_amount: Value(6000)',
      code: 'IR_16',
    });
    const autoPartial = await post(sb, '/payments', { amount: 6000, currency: 'USD', amount_to_capture: 100 });
    expect(autoPartial.status).toBe(400);
    expect(autoPartial.json.error.code).toBe('IR_16');
    expect((await post(sb, '/payments', { amount: 6000, currency: 'USD', amount_to_capture: 100, capture_method: 'manual' })).status).toBe(200);

    const scheduled = await post(sb, '/payments', { amount: 6000, currency: 'USD', capture_method: 'scheduled' });
    expect(scheduled.status).toBe(501);
    expect(scheduled.json.error).toEqual({
      type: 'invalid_request',
      message: 'This API is under development and will be made available soon.',
      code: 'IR_00',
    });
  });

  it('manual retry: a failed payment is confirmable again only when the profile enables it', async () => {
    const failed = await createPayment(sb, {}, '4000000000000002');
    expect(failed.status).toBe('failed');
    expect(failed.manual_retry_allowed).toBe(true);
    const refused = await post(sb, `/payments/${failed.payment_id}/confirm`, { payment_method: 'card', payment_method_data: { card: card() } });
    expect(refused.status).toBe(400);
    expect(refused.json.error.message).toBe(
      'You cannot confirm this payment because it has status failed, you can enable `manual_retry` in profile to try this payment again',
    );

    const retrySb = await createSandbox({ manualRetryEnabled: true });
    try {
      const f = await createPayment(retrySb, {}, '4000000000000002');
      const retried = await post(retrySb, `/payments/${f.payment_id}/confirm`, { payment_method_data: { card: card() } });
      expect(retried.status).toBe(200);
      expect(retried.json).toMatchObject({ status: 'succeeded', attempt_count: 2, error_code: null, error_message: null });
      const expanded = await get(retrySb, `/payments/${f.payment_id}?expand_attempts=true`);
      expect(expanded.json.attempts.map((a: any) => [a.attempt_id, a.status])).toEqual([
        [`${f.payment_id}_1`, 'authorization_failed'],
        [`${f.payment_id}_2`, 'charged'],
      ]);
    } finally {
      await retrySb.close();
    }
  });
});

describe('payments: capture, cancel, cancel_post_capture, incremental_authorization', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await createSandbox();
  });
  afterAll(() => sb.close());

  it('full capture → succeeded', async () => {
    const p = await authorize(sb);
    const res = await post(sb, `/payments/${p.payment_id}/capture`, {});
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'succeeded', amount_capturable: 0, amount_received: 6540 });
  });

  it('partial capture with manual → partially_captured, the rest is released', async () => {
    const p = await authorize(sb);
    const res = await post(sb, `/payments/${p.payment_id}/capture`, { amount_to_capture: 2000 });
    expect(res.json).toMatchObject({ status: 'partially_captured', amount_capturable: 0, amount_received: 2000 });
    const again = await post(sb, `/payments/${p.payment_id}/capture`, { amount_to_capture: 100 });
    expect(again.status).toBe(400);
    expect(again.json.error).toEqual({
      type: 'invalid_request',
      message:
        'This Payment could not be captured because it has a payment.status of partially_captured. The expected state is requires_capture, partially_captured_and_capturable, processing',
      code: 'IR_14',
    });
  });

  it('manual_multiple: partial captures keep the remainder capturable, then succeeded', async () => {
    const p = await authorize(sb, { capture_method: 'manual_multiple' });
    expect(p.status).toBe('requires_capture');
    const missing = await post(sb, `/payments/${p.payment_id}/capture`, {});
    expect(missing.json.error).toEqual({ type: 'invalid_request', message: 'Missing required param: amount_to_capture', code: 'IR_04' });
    const first = await post(sb, `/payments/${p.payment_id}/capture`, { amount_to_capture: 2000 });
    expect(first.json).toMatchObject({ status: 'partially_captured_and_capturable', amount_capturable: 4540, amount_received: 2000 });
    const second = await post(sb, `/payments/${p.payment_id}/capture`, { amount_to_capture: 4540 });
    expect(second.json).toMatchObject({ status: 'succeeded', amount_capturable: 0, amount_received: 6540 });
    const expanded = await get(sb, `/payments/${p.payment_id}?expand_captures=true`);
    expect(expanded.json.captures.map((c: any) => c.amount)).toEqual([2000, 4540]);
  });

  it('capture errors: succeeded (IR_14), amount > capturable (422 IR_06), amount <= 0 (422 IR_05)', async () => {
    const auto = await createPayment(sb);
    const r1 = await post(sb, `/payments/${auto.payment_id}/capture`, { amount_to_capture: 6540 });
    expect(r1.status).toBe(400);
    expect(r1.json.error.message).toBe(
      'This Payment could not be captured because it has a payment.status of succeeded. The expected state is requires_capture, partially_captured_and_capturable, processing',
    );
    const p = await authorize(sb);
    const r2 = await post(sb, `/payments/${p.payment_id}/capture`, { amount_to_capture: 6000000 });
    expect(r2.status).toBe(422);
    expect(r2.json.error).toEqual({ type: 'invalid_request', message: 'amount_to_capture is greater than amount', code: 'IR_06' });
    const r3 = await post(sb, `/payments/${p.payment_id}/capture`, { amount_to_capture: 0 });
    expect(r3.status).toBe(422);
    expect(r3.json.error).toEqual({
      type: 'invalid_request',
      message: 'amount_to_capture contains invalid data. Expected format is positive integer',
      code: 'IR_05',
    });
    const unconfirmed = (await post(sb, '/payments', { amount: 10, currency: 'USD', capture_method: 'manual' })).json;
    const r4 = await post(sb, `/payments/${unconfirmed.payment_id}/capture`, {});
    expect(r4.json.error.message).toContain('payment.status of requires_payment_method');
  });

  it('cancel (void) from requires_capture and from requires_payment_method', async () => {
    const p = await authorize(sb);
    const res = await post(sb, `/payments/${p.payment_id}/cancel`, { cancellation_reason: 'requested_by_customer' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'cancelled', amount_capturable: 0, cancellation_reason: 'requested_by_customer' });
    const again = await post(sb, `/payments/${p.payment_id}/cancel`, {});
    expect(again.status).toBe(400);
    expect(again.json.error).toEqual({ type: 'invalid_request', message: 'You cannot cancel this payment because it has status cancelled', code: 'IR_16' });

    const fresh = (await post(sb, '/payments', { amount: 10, currency: 'USD' })).json;
    const c = await post(sb, `/payments/${fresh.payment_id}/cancel`, {});
    expect(c.json).toMatchObject({ status: 'cancelled', amount_capturable: 0, cancellation_reason: null });
  });

  it('cancel is refused for succeeded and failed payments', async () => {
    const ok = await createPayment(sb);
    expect((await post(sb, `/payments/${ok.payment_id}/cancel`, {})).json.error.message).toBe(
      'You cannot cancel this payment because it has status succeeded',
    );
    const failed = await createPayment(sb, {}, '4000000000000002');
    expect((await post(sb, `/payments/${failed.payment_id}/cancel`, {})).json.error.message).toBe(
      'You cannot cancel this payment because it has status failed',
    );
  });

  it('cancel_post_capture: succeeded → cancelled_post_capture, then refunds are refused', async () => {
    const p = await createPayment(sb);
    const res = await post(sb, `/payments/${p.payment_id}/cancel_post_capture`, { cancellation_reason: 'duplicate' });
    expect(res.status).toBe(200);
    expect(res.json.status).toBe('cancelled_post_capture');
    const synced = await get(sb, `/payments/${p.payment_id}/cancel_post_capture`);
    expect(synced.json.status).toBe('cancelled_post_capture');
    const refund = await post(sb, '/refunds', { payment_id: p.payment_id, amount: 100 });
    expect(refund.status).toBe(400);
    expect(refund.json.error.code).toBe('IR_14');
    const auth = await authorize(sb);
    const refused = await post(sb, `/payments/${auth.payment_id}/cancel_post_capture`, {});
    expect(refused.status).toBe(400);
    expect(refused.json.error).toEqual({
      type: 'invalid_request',
      message: 'You cannot cancel_post_capture this payment because it has status requires_capture',
      code: 'IR_16',
    });
  });

  it('incremental_authorization: new total > authorised amount when allowed', async () => {
    const p = await authorize(sb, { request_incremental_authorization: true });
    expect(p.incremental_authorization_allowed).toBe(true);
    const res = await post(sb, `/payments/${p.payment_id}/incremental_authorization`, { amount: 8000, reason: 'tip' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ amount: 8000, amount_capturable: 8000, status: 'requires_capture', authorization_count: 1 });
    expect(res.json.incremental_authorizations).toEqual([
      expect.objectContaining({ amount: 8000, status: 'success', previously_authorized_amount: 6540, error_code: null }),
    ]);
    const lower = await post(sb, `/payments/${p.payment_id}/incremental_authorization`, { amount: 100 });
    expect(lower.json.error).toEqual({ type: 'invalid_request', message: 'Amount should be greater than original authorized amount', code: 'IR_16' });
    const captured = await post(sb, `/payments/${p.payment_id}/capture`, {});
    expect(captured.json).toMatchObject({ status: 'succeeded', amount_received: 8000 });

    const notAllowed = await authorize(sb);
    const r = await post(sb, `/payments/${notAllowed.payment_id}/incremental_authorization`, { amount: 9000 });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toBe('You cannot increment authorization this payment because it is not allowed for incremental_authorization');
    const auto = await createPayment(sb);
    const r2 = await post(sb, `/payments/${auto.payment_id}/incremental_authorization`, { amount: 9000 });
    expect(r2.json.error).toEqual({
      type: 'invalid_request',
      message: 'You cannot increment authorization this payment because it has status succeeded',
      code: 'IR_16',
    });
  });

  it('unknown payment on every operation: 404 HE_02', async () => {
    for (const path of ['/capture', '/cancel', '/confirm', '/cancel_post_capture', '', '/incremental_authorization']) {
      const res = await call(sb, 'POST', `/payments/pay_nope${path}`, path === '/incremental_authorization' ? { amount: 5 } : {});
      expect(res.status).toBe(404);
      expect(res.json.error.code).toBe('HE_02');
    }
  });
});
