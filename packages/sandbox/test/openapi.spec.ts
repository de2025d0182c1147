/**
 * Success responses of the sandbox validate against the official OpenAPI document's schemas.
 * The document is read from `../shared/api/` next to the repository (never copied into it); where
 * it is absent the suite is skipped with a notice, except under CI=true, where that is a failure.
 *
 * Patched here, because the real server disagrees with the document (API notes, section 8):
 * - `payment_method` is null before a payment method is attached (spec: required, non-nullable);
 * - `GET /payments/list` returns `{size, data}` (spec: an array): validated against PaymentListResponse;
 * - `/cancel` has no response schema: validated against PaymentsResponse;
 * - the error envelope is `{"error":{type,message,code}}` (spec: flat GenericErrorResponseOpenApi):
 *   error bodies are checked by the other suites, not here.
 * Also observed and patched: `payment_id` min/maxLength 30 (HS ids are `pay_` + 20 = 24 chars),
 * `amount_capturable` minimum 100 (it is 0 once captured), RefundResponse `amount` minimum 100
 * (HS refunds any positive amount).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { createSandbox, type Sandbox } from '../src';
import { authorize, call, card, createPayment, get, post, startReceiver, type Receiver } from './helpers';

const SPEC_PATH = path.resolve(__dirname, '../../../../shared/api/openapi_spec_v1.json');
const specAvailable = fs.existsSync(SPEC_PATH);

type Json = any;

/** OpenAPI 3.0 schema → JSON Schema: `nullable` becomes `anyOf [.., null]`; annotations ajv does not know go. */
function toJsonSchema(node: Json): Json {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'nullable' || key === 'example' || key === 'examples' || key === 'discriminator' || key === 'xml' || key === 'externalDocs') continue;
    if (key === 'properties' && value && typeof value === 'object') {
      out.properties = Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, toJsonSchema(v)]));
    } else {
      out[key] = toJsonSchema(value);
    }
  }
  return node.nullable === true ? { anyOf: [out, { type: 'null' }] } : out;
}

function patchSpec(schemas: Record<string, Json>): void {
  for (const name of ['PaymentsResponse', 'PaymentsCreateResponseOpenApi']) {
    const payments = schemas[name];
    payments.required = payments.required.filter((f: string) => f !== 'payment_method');
    payments.properties.payment_method = { anyOf: [payments.properties.payment_method, { type: 'null' }] };
    delete payments.properties.payment_id.minLength;
    delete payments.properties.payment_id.maxLength;
    delete payments.properties.amount_capturable.minimum;
  }
  delete schemas.RefundResponse.properties.amount.minimum;
}

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
  console.warn(`[@paymnt/sandbox] OpenAPI validation SKIPPED: ${SPEC_PATH} not found (it is required when CI=true).`);
  describe.skip(name, fn);
}

describeWithSpec('success responses validate against the OpenAPI document', () => {
  let ajv: Ajv;
  const validators = new Map<string, ValidateFunction>();
  let sb: Sandbox;
  let receiver: Receiver;

  const validate = (schemaName: string, value: unknown): void => {
    let v = validators.get(schemaName);
    if (!v) {
      v = ajv.compile({ $ref: `spec#/components/schemas/${schemaName}` });
      validators.set(schemaName, v);
    }
    const ok = v(value);
    if (!ok) throw new Error(`${schemaName} invalid:\n${JSON.stringify(v.errors?.slice(0, 5), null, 2)}`);
  };

  beforeAll(async () => {
    const spec = JSON.parse(fs.readFileSync(SPEC_PATH, 'utf8'));
    const schemas = toJsonSchema(spec.components.schemas);
    patchSpec(schemas);
    ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    for (const f of ['int32', 'int64', 'float', 'double', 'binary', 'byte', 'password']) ajv.addFormat(f, true);
    ajv.addSchema({ $id: 'spec', components: { schemas } });
    receiver = await startReceiver();
    sb = await createSandbox({ webhookUrl: receiver.url });
  });
  afterAll(async () => {
    await sb.close();
    await receiver.close();
  });

  it('payments in every status the sandbox reaches (PaymentsResponse)', async () => {
    const rich = {
      description: 'validated',
      metadata: { order: 'A-1' },
      customer: { id: 'cus_openapi', name: 'Jo Doe', email: 'jo@example.com', phone: '9123456789', phone_country_code: '+1' },
      billing: { address: { line1: '1 Main St', city: 'Paris', zip: '75001', country: 'FR', first_name: 'Jo', last_name: 'Doe' }, phone: { number: '9123456789', country_code: '+33' }, email: 'jo@example.com' },
      shipping: { address: { line1: '2 Side St', country: 'US' } },
      order_details: [{ product_name: 'Mug', quantity: 2, amount: 3270 }],
      return_url: 'https://shop.example/return',
      statement_descriptor_name: 'SHOP',
      setup_future_usage: 'on_session',
      browser_info: { user_agent: 'jest', language: 'en' },
    };
    const bodies: unknown[] = [];
    bodies.push((await post(sb, '/payments', { amount: 100, currency: 'USD' })).json);
    bodies.push((await post(sb, '/payments', { amount: 100, currency: 'USD', payment_method: 'card', payment_method_data: { card: card(), billing: rich.billing } })).json);
    bodies.push(await createPayment(sb, rich));
    bodies.push(await createPayment(sb, {}, '4000000000000002'));
    bodies.push(await createPayment(sb, {}, '4012888888881881'));
    bodies.push(await createPayment(sb, { return_url: 'https://shop.example/r' }, '4000003800000446'));
    const auth = await authorize(sb, { request_incremental_authorization: true });
    bodies.push(auth);
    bodies.push((await post(sb, `/payments/${auth.payment_id}/incremental_authorization`, { amount: 9000 })).json);
    bodies.push((await post(sb, `/payments/${auth.payment_id}/capture`, { amount_to_capture: 1000 })).json);
    const multi = await authorize(sb, { capture_method: 'manual_multiple' });
    bodies.push((await post(sb, `/payments/${multi.payment_id}/capture`, { amount_to_capture: 1000 })).json);
    const toCancel = await authorize(sb);
    bodies.push((await post(sb, `/payments/${toCancel.payment_id}/cancel`, { cancellation_reason: 'fraud' })).json);
    const done = await createPayment(sb);
    await post(sb, '/refunds', { payment_id: done.payment_id, amount: 50 });
    bodies.push((await get(sb, `/payments/${done.payment_id}?expand_attempts=true&expand_captures=true`)).json);
    bodies.push((await post(sb, `/payments/${done.payment_id}/cancel_post_capture`, {})).json);
    bodies.push((await get(sb, `/payments/${multi.payment_id}?expand_attempts=true&expand_captures=true`)).json);
    const statuses = new Set(bodies.map((b: any) => b.status));
    expect([...statuses].sort()).toEqual(
      [
        'cancelled',
        'cancelled_post_capture',
        'failed',
        'partially_captured',
        'partially_captured_and_capturable',
        'requires_capture',
        'requires_confirmation',
        'requires_customer_action',
        'requires_payment_method',
        'succeeded',
      ].sort(),
    );
    for (const b of bodies) validate('PaymentsResponse', b);
    validate('PaymentsCreateResponseOpenApi', bodies[2]);
  });

  it('refunds and the refund list (RefundResponse, RefundListResponse)', async () => {
    const p = await createPayment(sb);
    const r1 = (await post(sb, '/refunds', { payment_id: p.payment_id, amount: 40, reason: 'r', metadata: { a: 1 } })).json;
    const r2 = (await post(sb, '/refunds', { payment_id: p.payment_id, amount: 100, refund_type: 'scheduled' })).json;
    const r3 = (await post(sb, `/refunds/${r1.refund_id}`, { reason: 'updated' })).json;
    for (const r of [r1, r2, r3, (await get(sb, `/refunds/${r2.refund_id}`)).json]) validate('RefundResponse', r);
    validate('RefundListResponse', (await post(sb, '/refunds/list', { limit: 5 })).json);
  });

  it('customers (CustomerResponse, CustomerDeleteResponse, CustomerPaymentMethodsListResponse)', async () => {
    const full = (
      await post(sb, '/customers', {
        name: 'Jo Doe',
        email: 'jo@example.com',
        phone: '9123456789',
        phone_country_code: '+65',
        description: 'validated',
        address: { line1: '1 Main St', city: 'Paris', zip: '75001', country: 'FR', first_name: 'Jo', last_name: 'Doe' },
        metadata: { tier: 'gold' },
      })
    ).json;
    const bare = (await post(sb, '/customers', {})).json;
    const updated = (await post(sb, `/customers/${full.customer_id}`, { name: 'Jo D.' })).json;
    for (const c of [full, bare, updated, (await get(sb, `/customers/${full.customer_id}`)).json]) validate('CustomerResponse', c);
    validate('CustomerPaymentMethodsListResponse', (await get(sb, `/customers/${full.customer_id}/payment_methods`)).json);
    validate('CustomerDeleteResponse', (await call(sb, 'DELETE', `/customers/${bare.customer_id}`)).json);
    // The list is a bare array of CustomerResponse (deleted customers included, redacted).
    const list = (await get(sb, '/customers/list')).json;
    expect(list.length).toBeGreaterThanOrEqual(2);
    for (const c of list) validate('CustomerResponse', c);
  });

  it('the payment list (PaymentListResponse)', async () => {
    await createPayment(sb);
    validate('PaymentListResponse', (await get(sb, '/payments/list?limit=100')).json);
  });

  it('webhook bodies (OutgoingWebhook) and the events API (TotalEventsResponse, EventRetrieveResponse)', async () => {
    await sb.waitForWebhooks();
    expect(receiver.received.length).toBeGreaterThan(5);
    for (const w of receiver.received) validate('OutgoingWebhook', w.json);
    const events = (await post(sb, `/events/${sb.merchantId}`, { limit: 100 })).json;
    validate('TotalEventsResponse', events);
    const eventId = events.events[0].event_id;
    const attempts = (await get(sb, `/events/${sb.merchantId}/${eventId}/attempts`)).json;
    for (const a of attempts) validate('EventRetrieveResponse', a);
    validate('EventRetrieveResponse', (await post(sb, `/events/${sb.merchantId}/${eventId}/retry`, {})).json);
  });
});
