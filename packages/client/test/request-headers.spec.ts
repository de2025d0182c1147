import { PaymntClient, VERSION, type RequestEvent, type ResponseEvent } from '@paymnt/client';
import { TEST_API_KEY, TestServer, paymentFixture, refundFixture, sendJson } from './support/test-server';

describe('what every request carries (real HTTP server)', () => {
  let server: TestServer;
  let client: PaymntClient;

  beforeEach(async () => {
    server = await TestServer.start((req, res) => sendJson(res, 200, req.path.startsWith('/refunds') ? refundFixture() : paymentFixture(), { 'x-request-id': 'req_123' }));
    client = new PaymntClient({ apiKey: TEST_API_KEY, baseUrl: `${server.url}/`, profileId: 'pro_default', appInfo: { name: 'my-shop', version: '1.2.3' } });
  });

  afterEach(async () => {
    await client.close();
    await server.close();
  });

  it('POST: api-key, profile, JSON content type, Accept, Idempotency-Key and User-Agent', async () => {
    await client.payments.create({ amount: 100, currency: 'EUR' });
    const [req] = server.requests;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/payments');
    expect(req.headers['api-key']).toBe(TEST_API_KEY);
    expect(req.headers['x-profile-id']).toBe('pro_default');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers.accept).toBe('application/json');
    expect(req.headers['idempotency-key']).toBeDefined();
    expect(req.headers['user-agent']).toBe(`paymnt-node/${VERSION} node/${process.version} my-shop/1.2.3`);
    expect(JSON.parse(req.body)).toEqual({ amount: 100, currency: 'EUR' });
  });

  it('sends {} with Content-Type on body-less POSTs', async () => {
    await client.payments.confirm('pay_1');
    await client.payments.capture('pay_1');
    await client.payments.cancel('pay_1');
    await client.payments.cancelPostCapture('pay_1');
    expect(server.requests.map((r) => [r.path, r.body, r.headers['content-type']])).toEqual([
      ['/payments/pay_1/confirm', '{}', 'application/json'],
      ['/payments/pay_1/capture', '{}', 'application/json'],
      ['/payments/pay_1/cancel', '{}', 'application/json'],
      ['/payments/pay_1/cancel_post_capture', '{}', 'application/json'],
    ]);
  });

  it('GET: no body, no Idempotency-Key, no Content-Type; query parameters encoded', async () => {
    await client.payments.retrieve('pay_1', { force_sync: true, client_secret: 'pay_1_secret_a&b' });
    const [req] = server.requests;
    expect(req.method).toBe('GET');
    expect(req.path).toBe('/payments/pay_1');
    expect(req.query.get('force_sync')).toBe('true');
    expect(req.query.get('client_secret')).toBe('pay_1_secret_a&b');
    expect(req.headers['idempotency-key']).toBeUndefined();
    expect(req.headers['content-type']).toBeUndefined();
    expect(req.body).toBe('');
  });

  it('per-call profileId and idempotencyKey override the defaults', async () => {
    await client.refunds.create({ payment_id: 'pay_1', amount: 10 }, { profileId: 'pro_other', idempotencyKey: 'order-42-refund' });
    expect(server.requests[0].headers['x-profile-id']).toBe('pro_other');
    expect(server.requests[0].headers['idempotency-key']).toBe('order-42-refund');
  });

  it('routes every method to its endpoint', async () => {
    await client.payments.update('pay_1', { description: 'x' });
    await client.payments.incrementalAuthorization('pay_1', { amount: 7000 });
    await client.refunds.retrieve('ref_1', { force_sync: true });
    await client.refunds.update('ref_1', { reason: 'dup' });
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /payments/pay_1',
      'POST /payments/pay_1/incremental_authorization',
      'GET /refunds/ref_1',
      'POST /refunds/ref_1',
    ]);
  });

  it('the resolved object is exactly the wire object, with a non-enumerable lastResponse', async () => {
    const payment = await client.payments.retrieve('pay_1');
    expect(JSON.parse(JSON.stringify(payment))).toEqual(paymentFixture());
    expect(Object.keys(payment)).not.toContain('lastResponse');
    expect(payment.lastResponse).toMatchObject({ statusCode: 200, requestId: 'req_123', attempts: 1, idempotentReplayed: false, idempotencyKey: undefined });
  });

  it('emits request/response events without headers or secrets; a throwing listener does not break the call', async () => {
    const requests: RequestEvent[] = [];
    const responses: ResponseEvent[] = [];
    const thrower = (): void => {
      throw new Error('listener bug');
    };
    client.on('request', (e) => requests.push(e)).on('response', (e) => responses.push(e)).on('request', thrower);
    await client.payments.create({ amount: 100, currency: 'USD' }, { idempotencyKey: 'k-1' });
    client.off('request', thrower);
    expect(requests).toEqual([{ method: 'POST', path: '/payments', attempt: 1, idempotencyKey: 'k-1', elapsedMs: expect.any(Number) }]);
    expect(responses).toEqual([
      { method: 'POST', path: '/payments', attempt: 1, idempotencyKey: 'k-1', elapsedMs: expect.any(Number), statusCode: 200, requestId: 'req_123', error: undefined },
    ]);
  });
});
