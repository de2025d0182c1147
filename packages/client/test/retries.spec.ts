import { PaymntApiError, PaymntClient, PaymntConnectionError, PaymntIdempotencyError, PaymntInvalidRequestError, PaymntRateLimitError } from '@paymnt/client';
import { TEST_API_KEY, TestServer, paymentFixture, sendJson } from './support/test-server';

const CREATE = { amount: 6540, currency: 'USD', confirm: true, authentication_type: 'no_three_ds' } as const;

describe('retries, idempotency keys, timeouts and aborts (real HTTP server)', () => {
  let server: TestServer;
  let client: PaymntClient;

  const makeClient = (options: Partial<ConstructorParameters<typeof PaymntClient>[0]> = {}): PaymntClient =>
    new PaymntClient({ apiKey: TEST_API_KEY, baseUrl: server.url, initialRetryDelayMs: 1, maxRetryDelayMs: 10, ...options });

  beforeEach(async () => {
    server = await TestServer.start();
    client = makeClient();
  });

  afterEach(async () => {
    await client.close();
    await server.close();
  });

  it('retries 5xx with the SAME Idempotency-Key and reports the attempts', async () => {
    server.handler = (_req, res, i) => (i < 2 ? sendJson(res, 503, { error: { type: 'api', message: 'down', code: 'HE_00' } }) : sendJson(res, 200, paymentFixture()));
    const payment = await client.payments.create(CREATE);
    expect(server.requests).toHaveLength(3);
    const keys = server.requests.map((r) => r.headers['idempotency-key']);
    expect(keys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(keys).size).toBe(1);
    expect(server.requests.every((r) => r.body === JSON.stringify(CREATE))).toBe(true);
    expect(payment.lastResponse.attempts).toBe(3);
    expect(payment.lastResponse.idempotencyKey).toBe(keys[0]);
  });

  it('retries a connection reset with the same key, then succeeds', async () => {
    server.handler = (_req, res, i) => {
      if (i === 0) return void res.socket?.destroy();
      sendJson(res, 200, paymentFixture());
    };
    const payment = await client.payments.capture('pay_1', { amount_to_capture: 100 }, { idempotencyKey: 'my-key-1' });
    expect(payment.status).toBe('succeeded');
    expect(server.requests.map((r) => r.headers['idempotency-key'])).toEqual(['my-key-1', 'my-key-1']);
  });

  it('generates a different key for each call', async () => {
    server.handler = (_req, res) => sendJson(res, 200, paymentFixture());
    await client.payments.create(CREATE);
    await client.payments.create(CREATE);
    expect(server.requests[0].headers['idempotency-key']).not.toBe(server.requests[1].headers['idempotency-key']);
  });

  it('retries 429 and waits at least Retry-After seconds', async () => {
    client = makeClient({ maxRetryDelayMs: 5_000 });
    server.handler = (_req, res, i) =>
      i === 0 ? sendJson(res, 429, { error: { type: 'invalid_request', message: 'slow down' } }, { 'retry-after': '1' }) : sendJson(res, 200, paymentFixture());
    await client.payments.retrieve('pay_1');
    expect(server.requests).toHaveLength(2);
    // Server-side arrival times; 2 ms of slack for timer granularity only.
    expect(server.requests[1].at - server.requests[0].at).toBeGreaterThanOrEqual(998);
  });

  it('caps a long Retry-After at maxRetryDelayMs (the call succeeds well inside its deadline)', async () => {
    client = makeClient({ maxRetryDelayMs: 20, maxRetryDurationMs: 3_000 });
    server.handler = (_req, res, i) =>
      i === 0 ? sendJson(res, 503, { error: { type: 'api', message: 'busy' } }, { 'retry-after': '3600' }) : sendJson(res, 200, paymentFixture());
    await expect(client.payments.retrieve('pay_1')).resolves.toMatchObject({ payment_id: 'pay_test0000000000000001' });
    expect(server.requests).toHaveLength(2);
  });

  it('stops retrying at the overall deadline and throws the last error', async () => {
    client = makeClient({ maxRetries: 10, maxRetryDelayMs: 60_000, maxRetryDurationMs: 500 });
    server.handler = (_req, res) => sendJson(res, 503, { error: { type: 'api', message: 'busy', code: 'HE_00' } }, { 'retry-after': '30' });
    const error = await client.payments.retrieve('pay_1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaymntApiError);
    expect((error as PaymntApiError).statusCode).toBe(503);
    expect(server.requests).toHaveLength(1);
  });

  it('gives up after maxRetries and throws the mapped error of the last response', async () => {
    server.handler = (_req, res) => sendJson(res, 429, { error: { type: 'invalid_request', message: 'Too many requests', code: 'RL_00' } });
    const error = await client.payments.create(CREATE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaymntRateLimitError);
    expect(server.requests).toHaveLength(3);
    expect((error as PaymntRateLimitError).idempotencyKey).toBe(server.requests[0].headers['idempotency-key']);
  });

  it('honours a per-call maxRetries', async () => {
    server.handler = (_req, res) => sendJson(res, 500, { error: { type: 'api', message: 'boom' } });
    await expect(client.payments.retrieve('pay_1', undefined, { maxRetries: 0 })).rejects.toBeInstanceOf(PaymntApiError);
    expect(server.requests).toHaveLength(1);
  });

  it('retries 409 idempotency_key_in_use with the same key', async () => {
    server.handler = (_req, res, i) =>
      i === 0
        ? sendJson(res, 409, { error: { type: 'invalid_request', code: 'idempotency_key_in_use', message: 'request with this Idempotency-Key is in progress' } })
        : sendJson(res, 200, paymentFixture(), { 'idempotent-replayed': 'true' });
    const payment = await client.payments.create(CREATE);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0].headers['idempotency-key']).toBe(server.requests[1].headers['idempotency-key']);
    expect(payment.lastResponse.idempotentReplayed).toBe(true);
  });

  it.each([
    [409, { error: { type: 'invalid_request', code: 'idempotency_key_mismatch', message: 'Idempotency-Key reused with a different request body' } }, PaymntIdempotencyError],
    [400, { error: { type: 'invalid_request', code: 'IR_16', message: 'You cannot confirm this payment because it has status succeeded' } }, PaymntInvalidRequestError],
    [422, { error: { type: 'invalid_request', code: 'IR_05', message: 'amount contains invalid data' } }, PaymntInvalidRequestError],
    [501, { error: { type: 'invalid_request', code: 'IR_00', message: 'This API is under development' } }, PaymntApiError],
  ])('never retries HTTP %i', async (status, body, ErrorClass) => {
    server.handler = (_req, res) => sendJson(res, status, body);
    await expect(client.payments.create(CREATE)).rejects.toBeInstanceOf(ErrorClass);
    expect(server.requests).toHaveLength(1);
  });

  it('times out each attempt, retries, then rejects with timedOut / request_timeout', async () => {
    server.handler = () => undefined; // never answers
    const error = await client.payments.create(CREATE, { timeoutMs: 50, maxRetries: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaymntConnectionError);
    expect((error as PaymntConnectionError).timedOut).toBe(true);
    expect((error as PaymntConnectionError).code).toBe('request_timeout');
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0].headers['idempotency-key']).toBe(server.requests[1].headers['idempotency-key']);
  });

  it('the client-level timeoutMs applies too', async () => {
    client = makeClient({ timeoutMs: 30, maxRetries: 0 });
    server.handler = () => undefined;
    await expect(client.payments.retrieve('pay_1')).rejects.toMatchObject({ code: 'request_timeout', timedOut: true });
  });

  it('an abort during the request stops at once with request_aborted and no retry', async () => {
    const controller = new AbortController();
    server.handler = () => controller.abort();
    const error = await client.payments.create(CREATE, { signal: controller.signal, maxRetries: 5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaymntConnectionError);
    expect((error as PaymntConnectionError).code).toBe('request_aborted');
    expect((error as PaymntConnectionError).timedOut).toBe(false);
    expect(server.requests).toHaveLength(1);
  });

  it('an abort during a backoff sleep ends the call without another attempt', async () => {
    client = makeClient({ maxRetryDelayMs: 60_000 });
    const controller = new AbortController();
    server.handler = (_req, res) => {
      sendJson(res, 503, { error: { type: 'api', message: 'busy' } }, { 'retry-after': '30' });
      setTimeout(() => controller.abort(), 20);
    };
    // Without an abortable sleep this would wait 30 s and hit the Jest timeout.
    await expect(client.payments.retrieve('pay_1', undefined, { signal: controller.signal })).rejects.toMatchObject({ code: 'request_aborted' });
    expect(server.requests).toHaveLength(1);
  });

  it('an already aborted signal sends nothing', async () => {
    await expect(client.payments.retrieve('pay_1', undefined, { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'request_aborted' });
    expect(server.requests).toHaveLength(0);
  });

  it('network failure on every attempt: PaymntConnectionError with the cause', async () => {
    server.handler = (_req, res) => void res.socket?.destroy();
    const error = await client.payments.create(CREATE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaymntConnectionError);
    expect((error as PaymntConnectionError).code).toBe('connection_error');
    expect((error as PaymntConnectionError).timedOut).toBe(false);
    expect((error as Error).cause).toBeDefined();
    expect(server.requests).toHaveLength(3);
    expect(new Set(server.requests.map((r) => r.headers['idempotency-key'])).size).toBe(1);
  });

  it('connection refused: retried, then PaymntConnectionError with ECONNREFUSED as cause', async () => {
    const closed = await TestServer.start();
    const url = closed.url;
    await closed.close();
    const refused = new PaymntClient({ apiKey: TEST_API_KEY, baseUrl: url, initialRetryDelayMs: 1, maxRetryDelayMs: 5 });
    const events: number[] = [];
    refused.on('response', (e) => events.push(e.attempt));
    const error = await refused.payments.retrieve('pay_1').catch((e: unknown) => e);
    await refused.close();
    expect(error).toBeInstanceOf(PaymntConnectionError);
    expect(JSON.stringify((error as Error).cause, Object.getOwnPropertyNames((error as Error).cause))).toContain('ECONNREFUSED');
    expect(events).toEqual([1, 2, 3]);
  });

  it('a 2xx body that is not JSON is an API error, not retried', async () => {
    server.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>hello</html>');
    };
    await expect(client.payments.retrieve('pay_1')).rejects.toMatchObject({ code: 'invalid_response', statusCode: 200 });
    expect(server.requests).toHaveLength(1);
  });

  it('refuses calls after close()', async () => {
    await client.close();
    await expect(client.payments.retrieve('pay_1')).rejects.toMatchObject({ code: 'client_closed' });
    expect(server.requests).toHaveLength(0);
  });
});
