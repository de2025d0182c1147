import { createSandbox, type Sandbox } from '../src';
import { authorize, createPayment, get, post, sleep } from './helpers';

describe('refunds', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await createSandbox();
  });
  afterAll(() => sb.close());

  it('full refund by default: succeeded, RefundResponse fields, visible on the payment', async () => {
    const p = await createPayment(sb);
    const res = await post(sb, '/refunds', { payment_id: p.payment_id, reason: 'requested_by_customer', metadata: { ticket: 'T-1' } });
    expect(res.status).toBe(200);
    const r = res.json;
    expect(r.refund_id).toMatch(/^ref_[A-Za-z0-9]{20}$/);
    expect(r).toMatchObject({
      payment_id: p.payment_id,
      amount: 6540,
      currency: 'USD',
      status: 'succeeded',
      reason: 'requested_by_customer',
      metadata: { ticket: 'T-1' },
      error_code: null,
      error_message: null,
      connector: 'fauxpay',
      profile_id: sb.profileId,
    });
    expect(r.created_at).toMatch(/\.\d{3}Z$/);
    expect(r.updated_at).toMatch(/\.\d{3}Z$/);
    expect(r.merchant_connector_id).toMatch(/^mca_/);
    expect(r.connector_refund_id).toMatch(/^dummy_ref_/);
    expect(Object.keys(r).slice(0, 5)).toEqual(['refund_id', 'payment_id', 'amount', 'currency', 'status']);
    const payment = await get(sb, `/payments/${p.payment_id}`);
    expect(payment.json.status).toBe('succeeded');
    expect(payment.json.refunds).toEqual([r]);
  });

  it('retrieve (force_sync) and update (reason, metadata)', async () => {
    const p = await createPayment(sb);
    const r = (await post(sb, '/refunds', { payment_id: p.payment_id, amount: 1000 })).json;
    const got = await get(sb, `/refunds/${r.refund_id}?force_sync=true`);
    expect(got.status).toBe(200);
    expect(got.json).toEqual(r);
    await sleep(5);
    const updated = await post(sb, `/refunds/${r.refund_id}`, { reason: 'damaged', metadata: { k: 'v' } });
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({ refund_id: r.refund_id, reason: 'damaged', metadata: { k: 'v' }, amount: 1000, status: 'succeeded' });
    expect(Date.parse(updated.json.updated_at)).toBeGreaterThan(Date.parse(r.updated_at));
    const missing = await get(sb, '/refunds/ref_missing');
    expect(missing.status).toBe(404);
    expect(missing.json.error).toEqual({ type: 'invalid_request', message: 'Refund does not exist in our records.', code: 'HE_02' });
    expect((await post(sb, '/refunds/ref_missing', { reason: 'x' })).status).toBe(404);
  });

  it('a partially captured payment is refundable up to the captured amount', async () => {
    const p = await authorize(sb);
    await post(sb, `/payments/${p.payment_id}/capture`, { amount_to_capture: 3000 });
    const over = await post(sb, '/refunds', { payment_id: p.payment_id, amount: 3001 });
    expect(over.status).toBe(400);
    expect(over.json.error).toEqual({ type: 'invalid_request', message: 'The refund amount exceeds the amount captured', code: 'IR_13' });
    const full = await post(sb, '/refunds', { payment_id: p.payment_id });
    expect(full.json).toMatchObject({ amount: 3000, status: 'succeeded' });
  });

  it('IR_13 when the sum of non-failed refunds would exceed the captured amount', async () => {
    const p = await createPayment(sb);
    expect((await post(sb, '/refunds', { payment_id: p.payment_id, amount: 4000 })).status).toBe(200);
    const r = await post(sb, '/refunds', { payment_id: p.payment_id, amount: 2541 });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('IR_13');
    expect((await post(sb, '/refunds', { payment_id: p.payment_id, amount: 2540 })).status).toBe(200);
    expect((await post(sb, '/refunds', { payment_id: p.payment_id, amount: 1 })).json.error.code).toBe('IR_13');
  });

  it('11 refunds pass, the 12th is IR_12', async () => {
    const p = await createPayment(sb, { amount: 100000 });
    for (let i = 0; i < 11; i++) {
      const r = await post(sb, '/refunds', { payment_id: p.payment_id, amount: 100 });
      expect(r.status).toBe(200);
    }
    const twelfth = await post(sb, '/refunds', { payment_id: p.payment_id, amount: 100 });
    expect(twelfth.status).toBe(400);
    expect(twelfth.json.error).toEqual({ type: 'invalid_request', message: 'Reached maximum refund attempts', code: 'IR_12' });
  });

  it('a duplicate refund_id is HE_01', async () => {
    const p = await createPayment(sb);
    const first = await post(sb, '/refunds', { payment_id: p.payment_id, amount: 100, refund_id: 'my_refund_1' });
    expect(first.json.refund_id).toBe('my_refund_1');
    const dup = await post(sb, '/refunds', { payment_id: p.payment_id, amount: 100, refund_id: 'my_refund_1' });
    expect(dup.status).toBe(400);
    expect(dup.json.error).toEqual({ type: 'invalid_request', message: 'Duplicate refund request. Refund already attempted with the refund ID', code: 'HE_01' });
    const other = await createPayment(sb);
    expect((await post(sb, '/refunds', { payment_id: other.payment_id, amount: 100, refund_id: 'my_refund_1' })).json.error.code).toBe('HE_01');
  });

  it('refund of a payment not succeeded/partially_captured: IR_14; amount <= 0: 422 IR_05; unknown payment: 404', async () => {
    const auth = await authorize(sb);
    const r = await post(sb, '/refunds', { payment_id: auth.payment_id, amount: 100 });
    expect(r.status).toBe(400);
    expect(r.json.error).toEqual({
      type: 'invalid_request',
      message: 'This Payment could not be refund because it has a status of requires_capture. The expected state is succeeded, partially_captured',
      code: 'IR_14',
    });
    const failed = await createPayment(sb, {}, '4000000000000002');
    expect((await post(sb, '/refunds', { payment_id: failed.payment_id })).json.error.message).toContain('status of failed');
    const ok = await createPayment(sb);
    for (const amount of [0, -10]) {
      const bad = await post(sb, '/refunds', { payment_id: ok.payment_id, amount });
      expect(bad.status).toBe(422);
      expect(bad.json.error).toEqual({ type: 'invalid_request', message: 'amount contains invalid data. Expected format is positive integer', code: 'IR_05' });
    }
    const missing = await post(sb, '/refunds', { payment_id: 'pay_unknown', amount: 10 });
    expect(missing.status).toBe(404);
    expect(missing.json.error).toEqual({ type: 'invalid_request', message: 'Payment does not exist in our records', code: 'HE_02' });
    const noPaymentId = await post(sb, '/refunds', { amount: 10 });
    expect(noPaymentId.status).toBe(400);
    expect(noPaymentId.json.error.message).toBe('Json deserialize error: missing field `payment_id` at line 1 column 13');
  });

  it('scheduled refunds stay pending (no webhook) and count against the captured amount', async () => {
    const p = await createPayment(sb);
    const r = await post(sb, '/refunds', { payment_id: p.payment_id, amount: 6000, refund_type: 'scheduled' });
    expect(r.json.status).toBe('pending');
    expect(r.json.connector_refund_id).toBeNull();
    expect((await post(sb, '/refunds', { payment_id: p.payment_id, amount: 541 })).json.error.code).toBe('IR_13');
    expect((await get(sb, `/refunds/${r.json.refund_id}?force_sync=true`)).json.status).toBe('pending');
  });
});

describe('POST /refunds/list', () => {
  let sb: Sandbox;
  const ids: string[] = [];
  let paymentId = '';
  beforeAll(async () => {
    sb = await createSandbox({ merchants: [{ apiKey: 'snd_list_other' }] });
    const p = await createPayment(sb, { amount: 100000 });
    paymentId = p.payment_id;
    for (let i = 1; i <= 5; i++) {
      ids.push((await post(sb, '/refunds', { payment_id: p.payment_id, amount: i * 100 })).json.refund_id);
      await sleep(2);
    }
    const other = await createPayment(sb, { amount: 5000, currency: 'EUR' });
    ids.push((await post(sb, '/refunds', { payment_id: other.payment_id, amount: 250 })).json.refund_id);
    await post(sb, '/refunds', { payment_id: other.payment_id, amount: 10, refund_type: 'scheduled' });
  });
  afterAll(() => sb.close());

  it('pages by offset, newest modified first, with count and total_count', async () => {
    const page1 = await post(sb, '/refunds/list', { limit: 3 });
    expect(page1.status).toBe(200);
    expect(page1.json.count).toBe(3);
    expect(page1.json.total_count).toBe(7);
    const page2 = await post(sb, '/refunds/list', { limit: 3, offset: 3 });
    const page3 = await post(sb, '/refunds/list', { limit: 3, offset: 6 });
    expect(page3.json.count).toBe(1);
    const all = [...page1.json.data, ...page2.json.data, ...page3.json.data];
    const times = all.map((r: any) => Date.parse(r.updated_at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(new Set(all.map((r: any) => r.refund_id)).size).toBe(7);
  });

  it('defaults to 10, and refuses limits outside 1..100', async () => {
    expect((await post(sb, '/refunds/list', {})).json.count).toBe(7);
    for (const limit of [0, 101]) {
      const res = await post(sb, '/refunds/list', { limit });
      expect(res.status).toBe(422);
      expect(res.json.error).toEqual({ type: 'invalid_request', message: 'limit should be in between 1 and 100', code: 'IR_06' });
    }
  });

  it('filters: payment_id, refund_id, amount, currency, status (internal enum), time range', async () => {
    expect((await post(sb, '/refunds/list', { payment_id: paymentId })).json.total_count).toBe(5);
    expect((await post(sb, '/refunds/list', { refund_id: ids[2] })).json.data.map((r: any) => r.refund_id)).toEqual([ids[2]]);
    expect((await post(sb, '/refunds/list', { amount_filter: { start_amount: 200, end_amount: 400 } })).json.total_count).toBe(4);
    expect((await post(sb, '/refunds/list', { currency: ['EUR'] })).json.total_count).toBe(2);
    expect((await post(sb, '/refunds/list', { refund_status: ['pending'] })).json.total_count).toBe(1);
    expect((await post(sb, '/refunds/list', { refund_status: ['success', 'Pending'] })).json.total_count).toBe(7);
    const bad = await post(sb, '/refunds/list', { refund_status: ['succeeded'] });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/unknown variant `succeeded`/);
    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await post(sb, '/refunds/list', { start_time: future })).json.total_count).toBe(0);
    expect((await post(sb, '/refunds/list', { start_time: '2020-01-01T00:00:00Z', end_time: future })).json.total_count).toBe(7);
  });

  it('another merchant sees none of them', async () => {
    const res = await post(sb, '/refunds/list', {}, { apiKey: 'snd_list_other' });
    expect(res.json).toEqual({ count: 0, total_count: 0, data: [] });
  });
});

describe('GET /payments/list', () => {
  let sb: Sandbox;
  const created: any[] = [];
  beforeAll(async () => {
    sb = await createSandbox();
    for (let i = 0; i < 6; i++) {
      created.push(await createPayment(sb, { amount: 1000 + i, customer_id: i % 2 === 0 ? 'cus_even' : 'cus_odd' }));
      await sleep(3);
    }
  });
  afterAll(() => sb.close());

  it('returns {size, data} newest first, limit 10 by default', async () => {
    const res = await get(sb, '/payments/list');
    expect(res.status).toBe(200);
    expect(res.json.size).toBe(6);
    expect(res.json.data.map((p: any) => p.payment_id)).toEqual([...created].reverse().map((p) => p.payment_id));
    expect((await get(sb, '/payments/list?limit=2')).json.size).toBe(2);
  });

  it('starting_after / ending_before are inclusive bounds on created (not Stripe cursors)', async () => {
    const mid = created[2];
    const after = (await get(sb, `/payments/list?starting_after=${mid.payment_id}`)).json.data.map((p: any) => p.payment_id);
    expect(after).toEqual([created[5], created[4], created[3], created[2]].map((p) => p.payment_id));
    const before = (await get(sb, `/payments/list?ending_before=${mid.payment_id}`)).json.data.map((p: any) => p.payment_id);
    expect(before).toEqual([created[2], created[1], created[0]].map((p) => p.payment_id));
    expect((await get(sb, '/payments/list?starting_after=pay_unknown')).status).toBe(404);
  });

  it('created.lt / .gt / .lte / .gte and customer_id filters', async () => {
    const t = created[3].created;
    const ids = async (q: string) => (await get(sb, `/payments/list?${q}`)).json.data.map((p: any) => p.payment_id);
    expect(await ids(`created.lt=${t}`)).toEqual([created[2], created[1], created[0]].map((p) => p.payment_id));
    expect(await ids(`created.lte=${t}`)).toHaveLength(4);
    expect(await ids(`created.gt=${t}`)).toEqual([created[5], created[4]].map((p) => p.payment_id));
    expect(await ids(`created.gte=${t}`)).toHaveLength(3);
    expect(await ids(`created=${t}`)).toEqual([created[3].payment_id]);
    expect(await ids('customer_id=cus_odd')).toEqual([created[5], created[3], created[1]].map((p) => p.payment_id));
  });
});
