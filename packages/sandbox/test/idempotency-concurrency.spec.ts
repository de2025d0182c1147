import { createSandbox, type Sandbox } from '../src';
import { authorize, createPayment, get, paymentBody, post, startReceiver } from './helpers';

const key = (k: string) => ({ headers: { 'Idempotency-Key': k } });

describe('Idempotency-Key (sandbox policy, section 9)', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await createSandbox({ connectorLatencyMs: 30, merchants: [{ apiKey: 'snd_idem_other' }] });
  });
  afterAll(() => sb.close());

  it('same key + same body: the stored status and body are replayed, nothing is applied twice', async () => {
    const first = await post(sb, '/payments', paymentBody(), key('k-create-1'));
    const again = await post(sb, '/payments', paymentBody(), key('k-create-1'));
    expect(first.status).toBe(200);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.text).toBe(first.text);
    expect(sb.state.listPayments().filter((p) => p.payment_id === first.json.payment_id)).toHaveLength(1);
    // Key order of the JSON body does not matter.
    const reordered = Object.fromEntries(Object.entries(paymentBody()).reverse());
    expect((await post(sb, '/payments', reordered, key('k-create-1'))).headers['idempotent-replayed']).toBe('true');
  });

  it('errors produced by the operation are replayed too', async () => {
    const p = await createPayment(sb);
    const first = await post(sb, `/payments/${p.payment_id}/capture`, {}, key('k-capture-err'));
    expect(first.status).toBe(400);
    const again = await post(sb, `/payments/${p.payment_id}/capture`, {}, key('k-capture-err'));
    expect(again.status).toBe(400);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json).toEqual(first.json);
  });

  it('a refund retried with its key is not refunded twice', async () => {
    const p = await createPayment(sb);
    const a = await post(sb, '/refunds', { payment_id: p.payment_id, amount: 1000 }, key('k-refund'));
    const b = await post(sb, '/refunds', { payment_id: p.payment_id, amount: 1000 }, key('k-refund'));
    expect(b.json.refund_id).toBe(a.json.refund_id);
    expect((await get(sb, `/payments/${p.payment_id}`)).json.refunds).toHaveLength(1);
  });

  it('same key + different body: 409 idempotency_key_mismatch', async () => {
    await post(sb, '/payments', paymentBody({ amount: 100 }), key('k-mismatch'));
    const res = await post(sb, '/payments', paymentBody({ amount: 200 }), key('k-mismatch'));
    expect(res.status).toBe(409);
    expect(res.json).toEqual({
      error: { type: 'invalid_request', code: 'idempotency_key_mismatch', message: 'Idempotency-Key reused with a different request body' },
    });
  });

  it('a key whose first request is in flight: 409 idempotency_key_in_use, then the replay', async () => {
    const [a, b] = await Promise.all([post(sb, '/payments', paymentBody(), key('k-inflight')), post(sb, '/payments', paymentBody(), key('k-inflight'))]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([200, 409]);
    const conflict = a.status === 409 ? a : b;
    expect(conflict.json.error).toEqual({
      type: 'invalid_request',
      code: 'idempotency_key_in_use',
      message: 'request with this Idempotency-Key is in progress',
    });
    const later = await post(sb, '/payments', paymentBody(), key('k-inflight'));
    expect(later.headers['idempotent-replayed']).toBe('true');
  });

  it('keys are scoped by api key, method and path', async () => {
    const a = await post(sb, '/payments', paymentBody(), key('k-scope'));
    const otherMerchant = await post(sb, '/payments', paymentBody(), { headers: { 'Idempotency-Key': 'k-scope' }, apiKey: 'snd_idem_other' });
    expect(otherMerchant.headers['idempotent-replayed']).toBeUndefined();
    expect(otherMerchant.json.payment_id).not.toBe(a.json.payment_id);
    const p = await authorize(sb);
    const otherPath = await post(sb, `/payments/${p.payment_id}/capture`, {}, key('k-scope'));
    expect(otherPath.status).toBe(200);
    expect(otherPath.headers['idempotent-replayed']).toBeUndefined();
  });

  it('body errors are not stored (the key stays usable); requests without the header behave as HS', async () => {
    const bad = await post(sb, '/payments', { amount: 'x', currency: 'USD' }, key('k-bad-body'));
    expect(bad.status).toBe(400);
    const good = await post(sb, '/payments', paymentBody(), key('k-bad-body'));
    expect(good.status).toBe(200);
    expect(good.headers['idempotent-replayed']).toBeUndefined();
    const p1 = await post(sb, '/payments', paymentBody());
    const p2 = await post(sb, '/payments', paymentBody());
    expect(p1.json.payment_id).not.toBe(p2.json.payment_id);
    expect(sb.state.counters.idempotentReplays).toBeGreaterThan(0);
  });
});

describe('serialisation of operations on one payment', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    // A processor latency makes every operation yield, so requests really interleave.
    sb = await createSandbox({ connectorLatencyMs: 5 });
  });
  afterAll(async () => {
    expect(sb.state.counters.internalErrors).toBe(0);
    await sb.close();
  });

  it('20 parallel full captures of one authorisation: exactly one succeeds', async () => {
    const p = await authorize(sb);
    const results = await Promise.all(Array.from({ length: 20 }, () => post(sb, `/payments/${p.payment_id}/capture`, {})));
    const ok = results.filter((r) => r.status === 200);
    expect(ok).toHaveLength(1);
    expect(ok[0]!.json).toMatchObject({ status: 'succeeded', amount_received: 6540 });
    for (const r of results.filter((x) => x.status !== 200)) expect(r.json.error.code).toBe('IR_14');
    const final = await get(sb, `/payments/${p.payment_id}?expand_captures=true`);
    expect(final.json.captures).toHaveLength(1);
    expect(final.json.amount_received).toBe(6540);
  });

  it('20 parallel partial captures (manual_multiple) never capture more than authorised', async () => {
    const p = await authorize(sb, { capture_method: 'manual_multiple', amount: 1000 });
    const results = await Promise.all(Array.from({ length: 20 }, () => post(sb, `/payments/${p.payment_id}/capture`, { amount_to_capture: 150 })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(6);
    const final = await get(sb, `/payments/${p.payment_id}?expand_captures=true`);
    expect(final.json.amount_received).toBe(900);
    expect(final.json.amount_capturable).toBe(100);
    expect(final.json.captures.reduce((s: number, c: any) => s + c.amount, 0)).toBe(900);
  });

  it('20 parallel refunds never exceed the captured amount', async () => {
    const p = await createPayment(sb, { amount: 1000 });
    const results = await Promise.all(Array.from({ length: 20 }, () => post(sb, '/refunds', { payment_id: p.payment_id, amount: 300 })));
    const ok = results.filter((r) => r.status === 200);
    expect(ok).toHaveLength(3);
    for (const r of results.filter((x) => x.status !== 200)) expect(r.json.error.code).toBe('IR_13');
    const refunds = (await get(sb, `/payments/${p.payment_id}`)).json.refunds;
    expect(refunds.reduce((s: number, r: any) => s + r.amount, 0)).toBe(900);
  });

  it('capture racing cancel: exactly one wins, and the state is consistent', async () => {
    for (let i = 0; i < 5; i++) {
      const p = await authorize(sb);
      const [capture, cancel] = await Promise.all([post(sb, `/payments/${p.payment_id}/capture`, {}), post(sb, `/payments/${p.payment_id}/cancel`, {})]);
      expect([capture.status, cancel.status].filter((s) => s === 200)).toHaveLength(1);
      const final = (await get(sb, `/payments/${p.payment_id}`)).json;
      if (capture.status === 200) expect(final).toMatchObject({ status: 'succeeded', amount_received: 6540 });
      else expect(final).toMatchObject({ status: 'cancelled', amount_received: null });
    }
  });

  it('parallel confirms of one payment: one confirmation, one webhook', async () => {
    const receiver = await startReceiver();
    sb.setWebhookUrl(receiver.url);
    try {
      const created = (await post(sb, '/payments', { amount: 500, currency: 'USD', payment_method: 'card', payment_method_data: { card: { card_number: '4242424242424242', card_exp_month: '10', card_exp_year: '35', card_cvc: '123' } } })).json;
      const results = await Promise.all(Array.from({ length: 10 }, () => post(sb, `/payments/${created.payment_id}/confirm`, {})));
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      await sb.waitForWebhooks();
      expect(receiver.received.filter((w) => w.json.content.object.payment_id === created.payment_id)).toHaveLength(1);
    } finally {
      sb.setWebhookUrl(null);
      await receiver.close();
    }
  });

  it('operations on different payments run concurrently', async () => {
    const slow = await createSandbox({ connectorLatencyMs: 100 });
    try {
      const payments = await Promise.all(Array.from({ length: 5 }, () => authorize(slow)));
      const started = Date.now();
      await Promise.all(payments.map((p) => post(slow, `/payments/${p.payment_id}/capture`, {})));
      expect(Date.now() - started).toBeLessThan(450);
    } finally {
      await slow.close();
    }
  });
});
