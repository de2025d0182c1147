import { PaymntClient, PaymntValidationError, type PaymntClientOptions } from '@paymnt/client';
import { TEST_API_KEY, TestServer, paymentFixture, sendJson } from './support/test-server';

describe('local validation: nothing reaches the server', () => {
  let server: TestServer;
  let client: PaymntClient;

  beforeAll(async () => {
    server = await TestServer.start((_req, res) => sendJson(res, 200, paymentFixture()));
    client = new PaymntClient({ apiKey: TEST_API_KEY, baseUrl: server.url });
  });

  afterAll(async () => {
    await client.close();
    await server.close();
  });

  afterEach(() => {
    expect(server.requests).toHaveLength(0);
  });

  const expectValidation = async (call: () => Promise<unknown>, field: string): Promise<void> => {
    const error = await call().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PaymntValidationError);
    expect((error as PaymntValidationError).field).toBe(field);
    expect((error as PaymntValidationError).rule).toEqual(expect.any(String));
    expect((error as Error).message).toContain(field);
  };

  const base = { amount: 100, currency: 'USD' };
  const cases: [string, string, () => Promise<unknown>][] = [
    ['create: missing amount', 'amount', () => client.payments.create({ currency: 'USD' } as never)],
    ['create: negative amount', 'amount', () => client.payments.create({ ...base, amount: -1 })],
    ['create: fractional amount', 'amount', () => client.payments.create({ ...base, amount: 10.5 })],
    ['create: amount above max', 'amount', () => client.payments.create({ ...base, amount: 1_000_000_000 })],
    ['create: amount as string', 'amount', () => client.payments.create({ ...base, amount: '100' as never })],
    ['create: lowercase currency', 'currency', () => client.payments.create({ ...base, currency: 'usd' })],
    ['create: unknown currency', 'currency', () => client.payments.create({ ...base, currency: 'XYZ' })],
    ['create: missing currency', 'currency', () => client.payments.create({ amount: 100 } as never)],
    ['create: payment_id with a slash', 'payment_id', () => client.payments.create({ ...base, payment_id: 'a/b' })],
    ['create: payment_id too long', 'payment_id', () => client.payments.create({ ...base, payment_id: 'p'.repeat(65) })],
    ['create: negative amount_to_capture', 'amount_to_capture', () => client.payments.create({ ...base, amount_to_capture: -5 })],
    ['create: session_expiry out of range', 'session_expiry', () => client.payments.create({ ...base, session_expiry: 10 })],
    ['create: params not an object', 'params', () => client.payments.create(null as never)],
    ['create: params an array', 'params', () => client.payments.create([] as never)],
    ['create: customer without id', 'customer.id', () => client.payments.create({ ...base, customer: {} as never })],
    ['create: order_details amount', 'order_details[0].amount', () => client.payments.create({ ...base, order_details: [{ product_name: 'x', quantity: 1, amount: -1 }] })],
    ['retrieve: path traversal', 'payment_id', () => client.payments.retrieve('../x')],
    ['retrieve: query in id', 'payment_id', () => client.payments.retrieve('pay_1?force_sync=true')],
    ['retrieve: empty id', 'payment_id', () => client.payments.retrieve('')],
    ['retrieve: id not a string', 'payment_id', () => client.payments.retrieve(42 as never)],
    ['retrieve: force_sync not boolean', 'force_sync', () => client.payments.retrieve('pay_1', { force_sync: 'yes' as never })],
    ['update: bad id', 'payment_id', () => client.payments.update('a/b', { description: 'x' })],
    ['update: bad currency', 'currency', () => client.payments.update('pay_1', { currency: 'EURO' })],
    ['confirm: bad id', 'payment_id', () => client.payments.confirm('pay 1')],
    ['capture: zero amount', 'amount_to_capture', () => client.payments.capture('pay_1', { amount_to_capture: 0 })],
    ['capture: bad id', 'payment_id', () => client.payments.capture('%2e%2e')],
    ['cancel: reason not a string', 'cancellation_reason', () => client.payments.cancel('pay_1', { cancellation_reason: 1 as never })],
    ['cancelPostCapture: bad id', 'payment_id', () => client.payments.cancelPostCapture('x/../y')],
    ['incremental: zero amount', 'amount', () => client.payments.incrementalAuthorization('pay_1', { amount: 0 })],
    ['incremental: missing params', 'params', () => client.payments.incrementalAuthorization('pay_1', undefined as never)],
    ['list: limit 0', 'limit', () => client.payments.list({ limit: 0 }).then((p) => p)],
    ['list: limit 101', 'limit', () => client.payments.list({ limit: 101 }).then((p) => p)],
    ['list: bad ending_before', 'ending_before', () => client.payments.list({ ending_before: '../x' }).then((p) => p)],
    ['refund create: missing payment_id', 'payment_id', () => client.refunds.create({} as never)],
    ['refund create: zero amount', 'amount', () => client.refunds.create({ payment_id: 'pay_1', amount: 0 })],
    ['refund create: bad refund_id', 'refund_id', () => client.refunds.create({ payment_id: 'pay_1', refund_id: 'r?x' })],
    ['refund create: reason too long', 'reason', () => client.refunds.create({ payment_id: 'pay_1', reason: 'x'.repeat(256) })],
    ['refund retrieve: bad id', 'refund_id', () => client.refunds.retrieve('a/b')],
    ['refund update: bad id', 'refund_id', () => client.refunds.update('', { reason: 'x' })],
    ['refund list: limit 200', 'limit', () => client.refunds.list({ limit: 200 }).then((p) => p)],
    ['refund list: negative offset', 'offset', () => client.refunds.list({ offset: -1 }).then((p) => p)],
    ['refund list: bad currency', 'currency[1]', () => client.refunds.list({ currency: ['USD', 'usd'] }).then((p) => p)],
    ['request option: idempotency key with spaces', 'options.idempotencyKey', () => client.payments.create(base, { idempotencyKey: 'a b' })],
    ['request option: idempotency key too long', 'options.idempotencyKey', () => client.payments.create(base, { idempotencyKey: 'k'.repeat(256) })],
    ['request option: negative timeout', 'options.timeoutMs', () => client.payments.retrieve('pay_1', undefined, { timeoutMs: -1 })],
    ['request option: fractional retries', 'options.maxRetries', () => client.payments.retrieve('pay_1', undefined, { maxRetries: 1.5 })],
    ['request option: bad profile', 'options.profileId', () => client.payments.retrieve('pay_1', undefined, { profileId: 'pro\n1' })],
    ['request option: unknown option', 'options.idempotency_key', () => client.payments.create(base, { idempotency_key: 'x' } as never)],
    ['toArray without limit', 'limit', () => client.payments.list().toArray(undefined as never)],
  ];

  it.each(cases)('%s → PaymntValidationError(%s)', async (_name, field, call) => {
    await expectValidation(call, field);
  });

  it('accepts amount 0 on create (zero-auth) and every known currency code', async () => {
    server.handler = (_req, res) => sendJson(res, 200, paymentFixture());
    await client.payments.create({ amount: 0, currency: 'JPY' });
    await client.payments.create({ amount: 999_999_999, currency: 'KWD' });
    expect(server.requests).toHaveLength(2);
    server.requests.length = 0;
  });
});

describe('client options are validated in the constructor', () => {
  const cases: [string, string, unknown][] = [
    ['missing apiKey', 'apiKey', {}],
    ['empty apiKey', 'apiKey', { apiKey: '' }],
    ['apiKey with a newline', 'apiKey', { apiKey: 'snd_a\nb' }],
    ['bad environment', 'environment', { apiKey: 'k', environment: 'staging' }],
    ['bad environment with baseUrl', 'environment', { apiKey: 'k', environment: 'prod', baseUrl: 'http://localhost' }],
    ['baseUrl not a URL', 'baseUrl', { apiKey: 'k', baseUrl: 'not a url' }],
    ['baseUrl with another protocol', 'baseUrl', { apiKey: 'k', baseUrl: 'ftp://example.com' }],
    ['baseUrl with credentials', 'baseUrl', { apiKey: 'k', baseUrl: 'https://user:pw@example.com' }],
    ['baseUrl with a query', 'baseUrl', { apiKey: 'k', baseUrl: 'https://example.com/?a=1' }],
    ['negative maxRetries', 'maxRetries', { apiKey: 'k', maxRetries: -1 }],
    ['fractional maxRetries', 'maxRetries', { apiKey: 'k', maxRetries: 1.5 }],
    ['zero timeout', 'timeoutMs', { apiKey: 'k', timeoutMs: 0 }],
    ['NaN timeout', 'timeoutMs', { apiKey: 'k', timeoutMs: Number.NaN }],
    ['timeout beyond a Node timer', 'timeoutMs', { apiKey: 'k', timeoutMs: 2 ** 31 }],
    ['negative maxRetryDelayMs', 'maxRetryDelayMs', { apiKey: 'k', maxRetryDelayMs: -5 }],
    ['negative initialRetryDelayMs', 'initialRetryDelayMs', { apiKey: 'k', initialRetryDelayMs: -5 }],
    ['zero maxRetryDurationMs', 'maxRetryDurationMs', { apiKey: 'k', maxRetryDurationMs: 0 }],
    ['bad profileId', 'profileId', { apiKey: 'k', profileId: 'pro/1' }],
    ['transport without request()', 'transport', { apiKey: 'k', transport: {} }],
    ['appInfo without name', 'appInfo', { apiKey: 'k', appInfo: {} }],
    ['appInfo name with spaces', 'appInfo.name', { apiKey: 'k', appInfo: { name: 'my shop' } }],
    ['empty webhook secret list', 'webhookSecret', { apiKey: 'k', webhookSecret: [] }],
    ['a typo in an option name', 'apikey', { apikey: 'k' }],
    ['options not an object', 'options', 'snd_key'],
  ];

  it.each(cases)('%s → PaymntValidationError(%s)', (_name, field, options) => {
    let error: unknown;
    try {
      new PaymntClient(options as PaymntClientOptions);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PaymntValidationError);
    expect((error as PaymntValidationError).field).toBe(field);
  });

  it('resolves the environment base URLs and keeps a baseUrl path prefix', () => {
    expect(new PaymntClient({ apiKey: 'k' }).baseUrl).toBe('https://sandbox.paymnt.cloud');
    expect(new PaymntClient({ apiKey: 'k', environment: 'production' }).baseUrl).toBe('https://api.paymnt.cloud');
    expect(new PaymntClient({ apiKey: 'k', environment: 'production', baseUrl: 'http://localhost:8080/api/' }).baseUrl).toBe('http://localhost:8080/api');
  });
});
