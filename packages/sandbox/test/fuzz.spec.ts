import fc from 'fast-check';
import { createSandbox, type Sandbox } from '../src';
import { authorize, call, createPayment } from './helpers';

/** Bad input never yields a 500: random bodies, types and query strings against every route. */
describe('fuzz: no 5xx for any input', () => {
  let sb: Sandbox;
  let paymentId = '';
  let authorized = '';
  beforeAll(async () => {
    sb = await createSandbox();
    paymentId = (await createPayment(sb)).payment_id;
    authorized = (await authorize(sb)).payment_id;
  });
  afterAll(async () => {
    expect(sb.state.counters.internalErrors).toBe(0);
    await sb.close();
  });

  const routes = () => [
    '/payments',
    `/payments/${paymentId}`,
    `/payments/${authorized}/confirm`,
    `/payments/${authorized}/capture`,
    `/payments/${authorized}/cancel`,
    `/payments/${paymentId}/cancel_post_capture`,
    `/payments/${authorized}/incremental_authorization`,
    '/refunds',
    '/refunds/list',
    `/events/${sb.merchantId}`,
  ];

  const fieldNames = fc.constantFrom(
    'amount', 'currency', 'confirm', 'capture_method', 'payment_method', 'payment_method_data', 'amount_to_capture',
    'payment_id', 'refund_id', 'limit', 'offset', 'metadata', 'customer', 'billing', 'return_url', 'session_expiry',
    'authentication_type', 'reason', 'refund_type', 'start_time', 'event_types', 'client_secret', 'profile_id',
  );
  const values = fc.oneof(
    fc.integer({ min: -1e12, max: 1e12 }),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string(),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom('USD', 'card', 'manual', 'manual_multiple', 'automatic', 'scheduled', 'three_ds', '4242424242424242'),
    fc.jsonValue({ maxDepth: 3 }),
    fc.record({ card: fc.record({ card_number: fc.constantFrom('4242424242424242', '123', '4000003800000446', 'x'), card_exp_month: fc.string(), card_exp_year: fc.string(), card_cvc: fc.string() }) }),
  );

  it('structured random bodies', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 9 }), fc.dictionary(fieldNames, values, { maxKeys: 6 }), async (r, body) => {
        const res = await call(sb, 'POST', routes()[r] as string, body);
        return res.status < 500;
      }),
      { numRuns: 300 },
    );
  });

  it('raw garbage bodies and query strings', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 9 }), fc.string({ maxLength: 200 }), fc.string({ maxLength: 50 }), async (r, raw, query) => {
        const post = await call(sb, 'POST', routes()[r] as string, undefined, { raw });
        const get = await call(sb, 'GET', `/payments/list?${encodeURIComponent(query)}=${encodeURIComponent(raw.slice(0, 20))}`);
        return post.status < 500 && get.status < 500;
      }),
      { numRuns: 200 },
    );
  });
});
