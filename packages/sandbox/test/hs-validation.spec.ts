/**
 * Hyperswitch's own validation rules for the operations the sandbox serves, each test named after
 * the source file it follows (juspay/hyperswitch), and the sandbox's money policy where HS is silent.
 */
import { createSandbox, type Sandbox } from '../src';
import { authorize, createPayment, get, paymentBody, post } from './helpers';

let sb: Sandbox;
beforeAll(async () => {
  sb = await createSandbox();
});
afterAll(() => sb.close());

const error = (status: number, code: string, message: string, type = 'invalid_request') => ({ status, json: { error: { type, message, code } } });
const answer = async (path: string, body: unknown) => {
  const res = await post(sb, path, body);
  return { status: res.status, json: res.json };
};

describe('crates/router_derive/src/macros/schema.rs (ValidateSchema on PaymentsRequest, checked by the route)', () => {
  it.each([
    ['return_url', `https://shop.example/${'r'.repeat(2030)}`, 2048],
    ['statement_descriptor_name', 'n'.repeat(256), 255],
    ['statement_descriptor_suffix', 's'.repeat(300), 255],
    ['merchant_order_reference_id', 'o'.repeat(256), 255],
    ['mandate_id', 'm'.repeat(65), 64],
  ])('%s longer than its max_length: 422 IR_06 with the derive sentence', async (field, value, max) => {
    const length = Buffer.byteLength(value);
    expect(await answer('/payments', { amount: 100, currency: 'USD', [field]: value })).toEqual(
      error(422, 'IR_06', `${field} must be at most ${max} characters long. Received ${length} characters`),
    );
  });

  it('length is counted in bytes, at the limit it passes; update and confirm check it too', async () => {
    expect((await answer('/payments', { amount: 100, currency: 'USD', statement_descriptor_name: 'n'.repeat(255) })).status).toBe(200);
    const p = (await answer('/payments', { amount: 100, currency: 'USD' })).json;
    expect(await answer(`/payments/${p.payment_id}`, { merchant_order_reference_id: 'é'.repeat(128) })).toEqual(
      error(422, 'IR_06', 'merchant_order_reference_id must be at most 255 characters long. Received 256 characters'),
    );
    expect((await answer(`/payments/${p.payment_id}/confirm`, { statement_descriptor_suffix: 's'.repeat(256) })).json.error.code).toBe('IR_06');
  });
});

describe('crates/router/src/core/payments/helpers.rs', () => {
  it('validate_request_amount_and_amount_to_capture: above the request amount (+ surcharge) is IR_16 with HS debug formatting', async () => {
    expect(await answer('/payments', { amount: 500, currency: 'USD', capture_method: 'manual', amount_to_capture: 600 })).toEqual(
      error(400, 'IR_16', 'amount_to_capture is greater than amount capture_amount: MinorUnit(600) request_amount: Value(500)'),
    );
    const withSurcharge = { amount: 500, currency: 'USD', capture_method: 'manual', amount_to_capture: 600, surcharge_details: { surcharge_amount: 100 } };
    expect((await answer('/payments', withSurcharge)).status).toBe(200);
    expect(await answer('/payments', { amount: 0, currency: 'USD', amount_to_capture: 10 })).toEqual(
      error(400, 'IR_16', 'amount_to_capture should not exist for when amount = 0'),
    );
  });

  it('validate_amount_to_capture_and_capture_method: automatic capture takes the whole net amount (IR_16)', async () => {
    expect(await answer('/payments', { amount: 500, currency: 'USD', amount_to_capture: 400 })).toEqual(
      error(400, 'IR_16', 'amount_to_capture must be equal to total_capturable_amount when capture_method = automatic'),
    );
    const surcharged = { amount: 500, currency: 'USD', surcharge_details: { surcharge_amount: 100 }, amount_to_capture: 600 };
    expect((await answer('/payments', surcharged)).status).toBe(200);
    // The first check counts the surcharge but not shipping_cost, the second the whole net amount: HS's own order.
    expect((await answer('/payments', { amount: 500, currency: 'USD', shipping_cost: 100, amount_to_capture: 600 })).status).toBe(400);
  });

  it('validate_overcapture_request: enable_overcapture only with manual capture (IR_16)', async () => {
    expect(await answer('/payments', { amount: 500, currency: 'USD', enable_overcapture: true })).toEqual(
      error(400, 'IR_16', 'Invalid overcapture request: supported only with manual capture'),
    );
    expect((await answer('/payments', { amount: 500, currency: 'USD', enable_overcapture: true, capture_method: 'manual' })).status).toBe(200);
  });

  it('validate_customer_information: a root customer field that disagrees with `customer` is ambiguous (IR_16)', async () => {
    expect(await answer('/payments', { amount: 500, currency: 'USD', customer_id: 'cus_a', customer: { id: 'cus_b' } })).toEqual(
      error(400, 'IR_16', 'The field names `customer_id` sent in both places is ambiguous'),
    );
    const both = { amount: 500, currency: 'USD', customer_id: 'cus_a', email: 'a@x.io', customer: { id: 'cus_b', email: 'b@x.io' } };
    expect((await answer('/payments', both)).json.error.message).toBe('The field names `customer_id, email` sent in both places is ambiguous');
    expect((await answer('/payments', { amount: 500, currency: 'USD', customer_id: 'cus_a', customer: { id: 'cus_a', name: 'A' } })).status).toBe(200);
  });
});

describe('crates/router/src/core/payments/operations/payments_incremental_authorization.rs', () => {
  it('the authorization id is auth_ + 20 alphanumerics + _{count}; the new total is compared with the net amount', async () => {
    const p = await authorize(sb, { request_incremental_authorization: true, shipping_cost: 500 });
    expect(p.net_amount).toBe(7040);
    expect(await answer(`/payments/${p.payment_id}/incremental_authorization`, { amount: 7040 })).toEqual(
      error(400, 'IR_16', 'Amount should be greater than original authorized amount'),
    );
    const res = await answer(`/payments/${p.payment_id}/incremental_authorization`, { amount: 8000 });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ net_amount: 8000, amount_capturable: 8000 });
    expect(res.json.incremental_authorizations[0]).toMatchObject({ amount: 8000, previously_authorized_amount: 7040 });
    expect(res.json.incremental_authorizations[0].authorization_id).toMatch(/^auth_[A-Za-z0-9]{20}_1$/);
    const again = await answer(`/payments/${p.payment_id}/incremental_authorization`, { amount: 9000 });
    expect(again.json.incremental_authorizations[1].authorization_id).toMatch(/^auth_[A-Za-z0-9]{20}_2$/);
  });
});

describe('crates/router/src/core/payments/operations/payment_status.rs and payments/transformers.rs', () => {
  it('retrieve lists the payment\'s disputes (DisputeResponsePaymentsRetrieve); null without any; other operations do not load them', async () => {
    const p = await createPayment(sb);
    expect((await get(sb, `/payments/${p.payment_id}`)).json.disputes).toBeNull();
    const d = sb.openDispute(p.payment_id, { amount: 300, reason: 'duplicate' });
    const retrieved = (await get(sb, `/payments/${p.payment_id}`)).json;
    expect(retrieved.disputes).toEqual([
      {
        dispute_id: d.dispute_id,
        amount: '300',
        dispute_stage: 'dispute',
        dispute_status: 'dispute_opened',
        connector_status: d.connector_status,
        connector_dispute_id: d.connector_dispute_id,
        connector_reason: 'duplicate',
        connector_reason_code: null,
        challenge_required_by: d.challenge_required_by,
        connector_created_at: d.connector_created_at,
        connector_updated_at: d.connector_updated_at,
        created_at: d.created_at,
      },
    ]);
    // Capture, cancel and the others build their answer without the dispute list (an empty vec in their get_trackers).
    const voided = await post(sb, `/payments/${p.payment_id}/cancel_post_capture`, {});
    expect(voided.json.disputes).toBeNull();
  });
});

describe('money that cannot exist (sandbox policy where HS is silent; README, Policies)', () => {
  it('a negative shipping_cost, order_tax_amount or surcharge is refused (422 IR_05), never a negative amount_received', async () => {
    expect(await answer('/payments', paymentBody({ shipping_cost: -2000 }))).toEqual(
      error(422, 'IR_05', 'shipping_cost contains invalid data. Expected format is non-negative integer'),
    );
    expect((await answer('/payments', paymentBody({ order_tax_amount: -1 }))).json.error.code).toBe('IR_05');
    expect((await answer('/payments', paymentBody({ surcharge_details: { surcharge_amount: -5 } }))).json.error.message).toBe(
      'surcharge_details.surcharge_amount contains invalid data. Expected format is non-negative integer',
    );
  });

  it('a net amount above 999999999 is refused (400 IR_16), 2^53 + 1 included', async () => {
    const message = 'net_amount (amount + shipping_cost + order_tax_amount + surcharge) should not be more than 999999999';
    const huge = await post(sb, '/payments', undefined, {
      raw: JSON.stringify(paymentBody()).replace('"amount":6540', '"amount":6540,"shipping_cost":9007199254740993'),
    });
    expect({ status: huge.status, json: huge.json }).toEqual(error(400, 'IR_16', message));
    expect(await answer('/payments', paymentBody({ amount: 999_999_999, shipping_cost: 1 }))).toEqual(error(400, 'IR_16', message));
    expect((await answer('/payments', paymentBody({ amount: 999_999_000, shipping_cost: 999 }))).json.amount_received).toBe(999_999_999);
    // An update cannot push a stored payment's net amount over either.
    const p = (await answer('/payments', { amount: 999_999_000, currency: 'USD', shipping_cost: 500 })).json;
    expect(await answer(`/payments/${p.payment_id}`, { shipping_cost: 1000 })).toEqual(error(400, 'IR_16', message));
  });

  it('an overcapture far beyond the authorisation is refused even with enable_overcapture (the dummy connector has none)', async () => {
    const p = await authorize(sb, { amount: 1000, enable_overcapture: true });
    expect(p.is_overcapture_enabled).toBeNull();
    expect(await answer(`/payments/${p.payment_id}/capture`, { amount_to_capture: 999_999_999 })).toEqual(
      error(422, 'IR_06', 'amount_to_capture is greater than amount'),
    );
    const captured = await answer(`/payments/${p.payment_id}/capture`, { amount_to_capture: 1000 });
    expect(captured.json).toMatchObject({ status: 'succeeded', amount_received: 1000 });
    expect((await answer('/refunds', { payment_id: p.payment_id, amount: 1001 })).json.error.code).toBe('IR_13');
  });

  it('an incremental authorisation above the documented maximum is refused (IR_16)', async () => {
    const p = await createPayment(sb, { capture_method: 'manual', request_incremental_authorization: true });
    expect(await answer(`/payments/${p.payment_id}/incremental_authorization`, { amount: 1_000_000_000 })).toEqual(
      error(400, 'IR_16', 'amount should not be more than 999999999'),
    );
  });
});
