import { WEBHOOK_SIGNATURE_HEADER } from '@paymnt/client';
import { createSandbox, type Sandbox } from '../src';
import { call, card, get, paymentBody, post, startReceiver, type Receiver } from './helpers';

const del = (sb: Sandbox, path: string) => call(sb, 'DELETE', path);
const ACCEPTANCE = { acceptance_type: 'online', accepted_at: '2025-01-01T00:00:00Z', online: { ip_address: '127.0.0.1', user_agent: 'jest' } };
const MANDATE_DATA = { customer_acceptance: ACCEPTANCE, mandate_type: { multi_use: { amount: 10_000, currency: 'USD' } } };

let seq = 0;
const customerId = () => `cus_mand_${++seq}_${Date.now()}`;

/** A customer-initiated payment that saves the card and (with `mandate_data`) creates a mandate. */
async function setup(sb: Sandbox, cid: string, extra: Record<string, unknown> = {}, cardNumber?: string) {
  const res = await post(sb, '/payments', paymentBody({ customer_id: cid, setup_future_usage: 'off_session', customer_acceptance: ACCEPTANCE, mandate_data: MANDATE_DATA, ...extra }, cardNumber));
  expect(res.status).toBe(200);
  return res.json;
}

/** A merchant-initiated charge: no card data. */
const mit = (sb: Sandbox, cid: string, recurring: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  post(sb, '/payments', { amount: 1000, currency: 'USD', confirm: true, off_session: true, customer_id: cid, recurring_details: recurring, authentication_type: 'no_three_ds', ...extra });

describe('payment methods and mandates', () => {
  let sb: Sandbox;
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver();
    sb = await createSandbox({ webhookUrl: receiver.url, merchants: [{ apiKey: 'snd_mandates_main' }, { apiKey: 'snd_mandates_other' }] });
  });
  afterAll(async () => {
    await sb.close();
    await receiver.close();
  });

  it('a set-up payment saves the card (masked) and creates an active mandate; the response names both', async () => {
    const cid = customerId();
    const p = await setup(sb, cid);
    expect(p.status).toBe('succeeded');
    expect(p.payment_method_id).toMatch(/^pm_[A-Za-z0-9]{20}$/);
    expect(p.mandate_id).toMatch(/^man_[A-Za-z0-9]{20}$/);

    const pm = await get(sb, `/payment_methods/${p.payment_method_id}`);
    expect(pm.status).toBe(200);
    expect(pm.json).toMatchObject({ customer_id: cid, payment_method: 'card', recurring_enabled: true });
    expect(pm.json.card).toMatchObject({ last4_digits: '4242', expiry_month: '10', expiry_year: '35', card_network: 'Visa', saved_to_locker: true });
    expect(pm.json.card.card_fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(pm.text).not.toContain('4242424242424242');

    const m = await get(sb, `/mandates/${p.mandate_id}`);
    expect(m.json).toEqual({
      mandate_id: p.mandate_id,
      status: 'active',
      payment_method_id: p.payment_method_id,
      payment_method: 'card',
      payment_method_type: 'credit',
      card: expect.objectContaining({ last4_digits: '4242', card_exp_month: '10', card_exp_year: '35', card_network: 'Visa' }),
      customer_acceptance: ACCEPTANCE,
    });

    // The payment's customer was created, with the saved card as its default.
    expect((await get(sb, `/customers/${cid}`)).json.default_payment_method_id).toBe(p.payment_method_id);
    const list = await get(sb, `/customers/${cid}/payment_methods`);
    expect(list.json.customer_payment_methods).toHaveLength(1);
    expect(list.json.customer_payment_methods[0]).toMatchObject({ payment_method_id: p.payment_method_id, default_payment_method_set: true, requires_cvv: true });
  });

  it('without mandate_data the card is saved but no mandate is created; without acceptance nothing is saved', async () => {
    const cid = customerId();
    const saved = await setup(sb, cid, { mandate_data: undefined });
    expect(saved.payment_method_id).toMatch(/^pm_/);
    expect(saved.mandate_id).toBeNull();
    const notSaved = await setup(sb, customerId(), { mandate_data: undefined, customer_acceptance: undefined });
    expect(notSaved.status).toBe('succeeded');
    expect(notSaved.payment_method_id).toBeNull();
  });

  it('a zero-amount set-up succeeds and creates the mandate', async () => {
    const p = await setup(sb, customerId(), { amount: 0 });
    expect(p).toMatchObject({ status: 'succeeded', amount: 0 });
    expect(p.mandate_id).toMatch(/^man_/);
  });

  it('a declined set-up saves nothing', async () => {
    const p = await setup(sb, customerId(), {}, '4000000000000002');
    expect(p.status).toBe('failed');
    expect(p.payment_method_id).toBeNull();
    expect(p.mandate_id).toBeNull();
  });

  it('off-session charges by mandate_id and by payment_method_id need no card data and succeed', async () => {
    const cid = customerId();
    const s = await setup(sb, cid);
    const byMandate = await mit(sb, cid, { type: 'mandate_id', data: s.mandate_id });
    expect(byMandate.status).toBe(200);
    expect(byMandate.json).toMatchObject({ status: 'succeeded', mandate_id: s.mandate_id, payment_method_id: s.payment_method_id, payment_method: 'card', off_session: true });
    expect(byMandate.json.payment_method_data.card.last4).toBe('4242');

    const byMethod = await mit(sb, cid, { type: 'payment_method_id', data: s.payment_method_id });
    expect(byMethod.json).toMatchObject({ status: 'succeeded', payment_method_id: s.payment_method_id, mandate_id: null });

    // The older `mandate_id` field works like recurring_details of type mandate_id.
    const legacy = await post(sb, '/payments', { amount: 500, currency: 'USD', confirm: true, off_session: true, customer_id: cid, mandate_id: s.mandate_id });
    expect(legacy.json).toMatchObject({ status: 'succeeded', mandate_id: s.mandate_id });
  });

  it('an off-session charge follows the saved card: a declining card is declined', async () => {
    const cid = customerId();
    const res = await post(sb, '/payment_methods', { payment_method: 'card', customer_id: cid, card: card('4000000000009995') });
    expect(res.status).toBe(404); // the customer must exist first
    await post(sb, '/customers', { customer_id: cid });
    const pm = (await post(sb, '/payment_methods', { payment_method: 'card', customer_id: cid, card: card('4000000000009995') })).json;
    const charge = await mit(sb, cid, { type: 'payment_method_id', data: pm.payment_method_id });
    expect(charge.json).toMatchObject({ status: 'failed', error_code: 'DC_08', error_message: 'Payment declined: Insufficient funds' });
  });

  it('a multi-use mandate charges up to its cap; a single-use one is used up by its charge', async () => {
    const cid = customerId();
    const s = await setup(sb, cid);
    expect((await mit(sb, cid, { type: 'mandate_id', data: s.mandate_id }, { amount: 9000 })).json.status).toBe('succeeded');
    const over = await mit(sb, cid, { type: 'mandate_id', data: s.mandate_id }, { amount: 1001 });
    expect(over.status).toBe(400);
    expect(over.json.error).toEqual({ type: 'invalid_request', message: 'Mandate Validation Failed', code: 'HE_03', reason: 'request amount is greater than mandate amount' });
    const eur = await mit(sb, cid, { type: 'mandate_id', data: s.mandate_id }, { amount: 10, currency: 'EUR' });
    expect(eur.json.error.reason).toBe('cross currency mandates not supported');

    const single = await setup(sb, cid, { mandate_data: { customer_acceptance: ACCEPTANCE, mandate_type: { single_use: { amount: 2000, currency: 'USD' } } } });
    expect((await mit(sb, cid, { type: 'mandate_id', data: single.mandate_id })).json.status).toBe('succeeded');
    expect((await get(sb, `/mandates/${single.mandate_id}`)).json.status).toBe('revoked');
  });

  it('revoke: the mandate is revoked, later charges are refused with HS errors, a second revoke is refused', async () => {
    const cid = customerId();
    const s = await setup(sb, cid);
    const revoked = await post(sb, `/mandates/revoke/${s.mandate_id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.json).toEqual({ mandate_id: s.mandate_id, status: 'revoked', error_code: null, error_message: null });
    const refused = await mit(sb, cid, { type: 'mandate_id', data: s.mandate_id });
    expect(refused.status).toBe(400);
    expect(refused.json.error).toEqual({ type: 'invalid_request', message: 'mandate is not active', code: 'IR_16' });
    const again = await post(sb, `/mandates/revoke/${s.mandate_id}`);
    expect(again.json.error).toEqual({ type: 'invalid_request', message: 'Mandate Validation Failed', code: 'HE_03', reason: 'Mandate has already been revoked' });
    // A refused recurring payment is not stored.
    expect(sb.state.listPayments().filter((p) => p.customer_id === cid)).toHaveLength(1);
  });

  it('recurring errors: unknown mandate or method, another customer, missing off_session / confirm / customer', async () => {
    const cid = customerId();
    const s = await setup(sb, cid);
    const unknown = await mit(sb, cid, { type: 'mandate_id', data: 'man_unknown' });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error).toEqual({ type: 'invalid_request', message: 'Mandate does not exist in our records', code: 'HE_02' });
    const unknownPm = await mit(sb, cid, { type: 'payment_method_id', data: 'pm_unknown' });
    expect(unknownPm.json.error).toEqual({ type: 'invalid_request', message: 'Payment method does not exist in our records', code: 'HE_02' });
    const other = await mit(sb, 'cus_someone_else', { type: 'mandate_id', data: s.mandate_id });
    expect(other.json.error).toEqual({ type: 'invalid_request', message: 'customer_id must match mandate customer_id', code: 'IR_16' });
    const otherPm = await mit(sb, 'cus_someone_else', { type: 'payment_method_id', data: s.payment_method_id });
    expect(otherPm.json.error.message).toBe('customer_id must match mandate customer_id');
    const noOff = await mit(sb, cid, { type: 'mandate_id', data: s.mandate_id }, { off_session: undefined });
    expect(noOff.json.error).toEqual({ type: 'invalid_request', message: 'Missing required param: off_session', code: 'IR_04' });
    const offFalse = await mit(sb, cid, { type: 'mandate_id', data: s.mandate_id }, { off_session: false });
    expect(offFalse.json.error.message).toBe('`off_session` should be `true` for mandates');
    const notConfirmed = await mit(sb, cid, { type: 'mandate_id', data: s.mandate_id }, { confirm: false });
    expect(notConfirmed.json.error.message).toBe('`confirm` must be `true` for mandates');
    const noCustomer = await mit(sb, cid, { type: 'mandate_id', data: s.mandate_id }, { customer_id: undefined });
    expect(noCustomer.json.error.message).toBe('Missing required param: customer_id');
    const both = await mit(sb, cid, { type: 'mandate_id', data: s.mandate_id }, { mandate_data: MANDATE_DATA });
    expect(both.json.error).toMatchObject({ code: 'HE_03', reason: 'Expected one out of recurring_details and mandate_data but got both' });
    const withToken = await mit(sb, cid, { type: 'mandate_id', data: s.mandate_id }, { payment_token: 'token_x' });
    expect(withToken.json.error.message).toBe('Expected one out of recurring_details and payment_token but got both');
    const badType = await mit(sb, cid, { type: 'nope', data: 'x' });
    expect(badType.status).toBe(400);
    expect(badType.json.error.message).toContain('unknown variant `nope`');
    const noCustomerSetup = await post(sb, '/payments', paymentBody({ setup_future_usage: 'off_session', customer_acceptance: ACCEPTANCE }));
    expect(noCustomerSetup.json.error).toEqual({ type: 'invalid_request', message: 'customer_id is mandatory when setup_future_usage is given', code: 'IR_16' });
    const noCustomerMandate = await post(sb, '/payments', paymentBody({ mandate_data: MANDATE_DATA }));
    expect(noCustomerMandate.json.error).toEqual({ type: 'invalid_request', message: '`customer_id` is mandatory for mandates', code: 'IR_16' });
    // Another merchant sees none of it.
    const foreign = await get(sb, `/mandates/${s.mandate_id}`, { apiKey: 'snd_mandates_other' });
    expect(foreign.status).toBe(404);
  });

  it('payment methods: create directly, duplicate card, retrieve, update, default, delete', async () => {
    const cid = customerId();
    await post(sb, '/customers', { customer_id: cid });
    const first = await post(sb, '/payment_methods', { payment_method: 'card', payment_method_type: 'credit', customer_id: cid, card: card('5555555555554444', { nick_name: 'Work' }), metadata: { k: 'v' } });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ customer_id: cid, payment_method: 'card', payment_method_type: 'credit', metadata: { k: 'v' } });
    expect(first.json.card).toMatchObject({ last4_digits: '4444', card_network: 'Mastercard', nick_name: 'Work', card_isin: '555555' });
    expect(Object.keys(first.json)).toEqual([
      'merchant_id', 'customer_id', 'payment_method_id', 'payment_method', 'payment_method_type', 'card', 'recurring_enabled',
      'installment_payment_enabled', 'payment_experience', 'metadata', 'created', 'bank_transfer', 'last_used_at', 'client_secret',
    ]);
    const dup = await post(sb, '/payment_methods', { payment_method: 'card', customer_id: cid, card: card('5555555555554444', { card_exp_year: '36' }) });
    expect(dup.json.payment_method_id).toBe(first.json.payment_method_id);
    expect(dup.json.card.expiry_year).toBe('36');
    const second = (await post(sb, '/payment_methods', { payment_method: 'card', customer_id: cid, card: card('4111111111111111') })).json;

    const updated = await post(sb, `/payment_methods/${second.payment_method_id}/update`, { card: { card_exp_month: '12', card_exp_year: '39', card_holder_name: 'New Name' } });
    expect(updated.json.card).toMatchObject({ expiry_month: '12', expiry_year: '39', card_holder_name: 'New Name' });
    const expired = await post(sb, `/payment_methods/${second.payment_method_id}/update`, { card: { card_exp_month: '01', card_exp_year: '20' } });
    expect(expired.json.error).toEqual({ type: 'invalid_request', message: 'Invalid Expiry Year', code: 'IR_16' });

    // The first saved is the default: it cannot be deleted until another one is.
    const refused = await del(sb, `/payment_methods/${first.json.payment_method_id}`);
    expect(refused.status).toBe(400);
    expect(refused.json.error).toEqual({ type: 'invalid_request', message: 'Cannot delete the default payment method', code: 'IR_25' });
    const def = await post(sb, `/customers/${cid}/payment_methods/${second.payment_method_id}/default`);
    expect(def.json).toEqual({ default_payment_method_id: second.payment_method_id, customer_id: cid, payment_method_type: null, payment_method: 'card' });
    const again = await post(sb, `/customers/${cid}/payment_methods/${second.payment_method_id}/default`);
    expect(again.json.error.message).toBe('Payment Method is already set as default');
    const wrongCustomer = await post(sb, `/customers/${cid}/payment_methods/${(await setup(sb, customerId())).payment_method_id}/default`);
    expect(wrongCustomer.json.error.message).toBe('The payment_method_id is not valid');

    const deleted = await del(sb, `/payment_methods/${first.json.payment_method_id}`);
    expect(deleted.json).toEqual({ payment_method_id: first.json.payment_method_id, deleted: true });
    expect((await get(sb, `/payment_methods/${first.json.payment_method_id}`)).status).toBe(404);
    const list = (await get(sb, `/customers/${cid}/payment_methods`)).json.customer_payment_methods;
    expect(list.map((m: any) => [m.payment_method_id, m.default_payment_method_set])).toEqual([[second.payment_method_id, true]]);

    const noCustomer = await post(sb, '/payment_methods', { payment_method: 'card', card: card() });
    expect(noCustomer.json.error).toEqual({ type: 'invalid_request', message: 'Missing required param: customer_id', code: 'IR_04' });
    const badField = await post(sb, '/payment_methods', { payment_method: 'card', customer_id: cid, card: card(), extra: 1 });
    expect(badField.status).toBe(400);
    expect(badField.json.error.message).toContain('unknown field `extra`');
  });

  it('mandate lists: by customer (404 when none), merchant list with status filter', async () => {
    const cid = customerId();
    const a = await setup(sb, cid);
    const b = await setup(sb, cid, {}, '5555555555554444');
    await post(sb, `/mandates/revoke/${a.mandate_id}`);
    const mine = await get(sb, `/customers/${cid}/mandates`);
    expect(mine.json.map((m: any) => m.mandate_id)).toEqual([a.mandate_id, b.mandate_id]);
    const none = await get(sb, `/customers/cus_without_any/mandates`);
    expect(none.status).toBe(404);
    expect(none.json.error.message).toBe('Mandate does not exist in our records');
    const revoked = (await get(sb, '/mandates/list?mandate_status=revoked')).json.map((m: any) => m.mandate_id);
    expect(revoked).toContain(a.mandate_id);
    expect(revoked).not.toContain(b.mandate_id);
    expect((await get(sb, '/mandates/list?limit=1')).json).toHaveLength(1);
    expect((await get(sb, '/mandates/list?bogus=1')).status).toBe(400);
    // A customer with an active mandate cannot be deleted (HS's MandateActive).
    const delCustomer = await del(sb, `/customers/${cid}`);
    expect(delCustomer.json.error).toEqual({ type: 'invalid_request', message: 'Customer has active mandate/subsciption', code: 'IR_10' });
  });

  it('mandate webhooks: mandate_active on creation and mandate_revoked on revoke, once each, signed', async () => {
    const s = await setup(sb, customerId());
    await post(sb, `/mandates/revoke/${s.mandate_id}`);
    const hooks = await receiver.waitFor(2, (w) => String(w.json?.event_type).startsWith('mandate_') && w.json.content.object.mandate_id === s.mandate_id);
    expect(hooks.map((w) => w.json.event_type)).toEqual(['mandate_active', 'mandate_revoked']);
    expect(hooks[0]?.json.content).toMatchObject({ type: 'mandate_details', object: { mandate_id: s.mandate_id, status: 'active' } });
    expect(hooks[1]?.json.content.object.status).toBe('revoked');
    expect(hooks[0]?.headers[WEBHOOK_SIGNATURE_HEADER]).toMatch(/^[0-9a-f]{128}$/);
    const events = sb.state.listEvents().filter((e) => e.objectId === s.mandate_id);
    expect(events.map((e) => [e.eventType, e.eventClass])).toEqual([['mandate_active', 'mandates'], ['mandate_revoked', 'mandates']]);
  });

  it('idempotent and fault-injectable like the payment routes', async () => {
    const s = await setup(sb, customerId());
    const headers = { headers: { 'Idempotency-Key': `revoke-${s.mandate_id}` } };
    sb.faults.add({ route: 'POST /mandates/revoke/:id', when: 'after', sequence: [{ status: 503 }] });
    expect((await post(sb, `/mandates/revoke/${s.mandate_id}`, {}, headers)).status).toBe(503);
    const replay = await post(sb, `/mandates/revoke/${s.mandate_id}`, {}, headers);
    expect(replay.status).toBe(200);
    expect(replay.json.status).toBe('revoked');
    sb.faults.add({ route: 'GET /payment_methods/:id', sequence: [{ status: 500 }] });
    expect((await get(sb, `/payment_methods/${s.payment_method_id}`)).status).toBe(500);
    expect((await get(sb, `/payment_methods/${s.payment_method_id}`)).status).toBe(200);
  });
});

describe('mandate charges at the same time (processor latency: the charges overlap)', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await createSandbox({ webhooksEnabled: false, connectorLatencyMs: 20 });
  });
  afterAll(async () => {
    await sb.close();
  });

  const setupWith = async (cid: string, mandateType: Record<string, unknown>) =>
    (await post(sb, '/payments', paymentBody({ customer_id: cid, setup_future_usage: 'off_session', customer_acceptance: ACCEPTANCE, mandate_data: { customer_acceptance: ACCEPTANCE, mandate_type: mandateType } }))).json;

  it('concurrent charges never take a multi-use mandate over its cap: the ones over it are refused HE_03', async () => {
    const cid = customerId();
    const s = await setupWith(cid, { multi_use: { amount: 5000, currency: 'USD' } });
    const answers = await Promise.all(Array.from({ length: 6 }, () => mit(sb, cid, { type: 'mandate_id', data: s.mandate_id }, { amount: 2000 })));
    expect(answers.filter((a) => a.json.status === 'succeeded')).toHaveLength(2);
    expect(answers.filter((a) => a.status === 400).map((a) => a.json.error.reason)).toEqual(Array(4).fill('request amount is greater than mandate amount'));
    const charged = sb.state.listPayments().filter((p) => p.mandate_id === s.mandate_id && p.payment_id !== s.payment_id && p.status === 'succeeded');
    expect(charged.reduce((sum, p) => sum + (p.amount_received ?? 0), 0)).toBe(4000);
  });

  it('concurrent charges of a single-use mandate: one succeeds, the others are refused IR_16 and store no payment', async () => {
    const cid = customerId();
    const s = await setupWith(cid, { single_use: { amount: 2000, currency: 'USD' } });
    const answers = await Promise.all(Array.from({ length: 6 }, () => mit(sb, cid, { type: 'mandate_id', data: s.mandate_id })));
    expect(answers.filter((a) => a.json.status === 'succeeded')).toHaveLength(1);
    expect(answers.filter((a) => a.status === 400).map((a) => a.json.error.code)).toEqual(Array(5).fill('IR_16'));
    expect(sb.state.listPayments().filter((p) => p.customer_id === cid)).toHaveLength(2);
  });
});

it("an object's webhook timestamps strictly increase, even for a set-up revoked within the same millisecond", async () => {
  const sb = await createSandbox({ webhooksEnabled: false });
  try {
    const ids: string[] = [];
    for (let i = 0; i < 100; i++) {
      const s = (await post(sb, '/payments', paymentBody({ customer_id: customerId(), setup_future_usage: 'off_session', customer_acceptance: ACCEPTANCE, mandate_data: { customer_acceptance: ACCEPTANCE, mandate_type: { multi_use: null } } }))).json;
      await post(sb, `/mandates/revoke/${s.mandate_id}`);
      ids.push(s.mandate_id);
    }
    const timeOf = (id: string, type: string) => Date.parse(JSON.parse(sb.state.listEvents().find((e) => e.objectId === id && e.eventType === type)!.body).timestamp);
    // Without it, about 3 in 100 revoked mandates had both events at the same millisecond (receivers could not order them).
    expect(ids.filter((id) => !(timeOf(id, 'mandate_revoked') > timeOf(id, 'mandate_active')))).toEqual([]);
  } finally {
    await sb.close();
  }
});
