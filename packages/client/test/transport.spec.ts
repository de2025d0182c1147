import { Agent } from 'undici';
import {
  FetchTransport,
  PaymntClient,
  PaymntConnectionError,
  PaymntNotFoundError,
  UndiciTransport,
  type HttpTransport,
  type HttpTransportRequest,
} from '@paymnt/client';
import { TEST_API_KEY, TestServer, paymentFixture, sendJson } from './support/test-server';

describe.each([
  ['UndiciTransport', (): HttpTransport => new UndiciTransport()],
  ['FetchTransport', (): HttpTransport => new FetchTransport()],
])('%s against a real HTTP server', (_name, makeTransport) => {
  let server: TestServer;
  let transport: HttpTransport;
  let client: PaymntClient;

  beforeEach(async () => {
    server = await TestServer.start();
    transport = makeTransport();
    client = new PaymntClient({ apiKey: TEST_API_KEY, baseUrl: server.url, transport, initialRetryDelayMs: 1, maxRetryDelayMs: 5 });
  });

  afterEach(async () => {
    await transport.close?.();
    await server.close();
  });

  it('round-trips a payment with headers, body and response headers', async () => {
    server.handler = (req, res) => sendJson(res, 200, paymentFixture({ description: JSON.parse(req.body).description }), { 'x-request-id': 'req_1' });
    const payment = await client.payments.create({ amount: 5, currency: 'USD', description: 'héllo ✓' });
    expect(payment.description).toBe('héllo ✓');
    expect(payment.lastResponse.requestId).toBe('req_1');
    expect(server.requests[0].headers['api-key']).toBe(TEST_API_KEY);
  });

  it('maps HTTP errors', async () => {
    server.handler = (_req, res) => sendJson(res, 404, { error: { type: 'invalid_request', code: 'HE_02', message: 'Payment does not exist in our records' } });
    await expect(client.payments.retrieve('pay_missing')).rejects.toBeInstanceOf(PaymntNotFoundError);
  });

  it('times out and aborts through the signal', async () => {
    server.handler = () => undefined;
    await expect(client.payments.retrieve('pay_1', undefined, { timeoutMs: 30, maxRetries: 0 })).rejects.toMatchObject({ code: 'request_timeout', timedOut: true });
    const controller = new AbortController();
    server.handler = () => controller.abort();
    const error = await client.payments.retrieve('pay_1', undefined, { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaymntConnectionError);
    expect((error as PaymntConnectionError).code).toBe('request_aborted');
  });

  it('the timeout also covers a body that stalls after the headers', async () => {
    server.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"payment_id":');
    };
    await expect(client.payments.retrieve('pay_1', undefined, { timeoutMs: 50, maxRetries: 0 })).rejects.toMatchObject({ code: 'request_timeout', timedOut: true });
  });

  it('retries a reset connection', async () => {
    server.handler = (_req, res, i) => (i === 0 ? void res.socket?.destroy() : sendJson(res, 200, paymentFixture()));
    await expect(client.payments.retrieve('pay_1')).resolves.toMatchObject({ status: 'succeeded' });
    expect(server.requests).toHaveLength(2);
  });
});

describe('transport ownership', () => {
  let server: TestServer;

  beforeEach(async () => {
    server = await TestServer.start((_req, res) => sendJson(res, 200, paymentFixture()));
  });

  afterEach(async () => {
    await server.close();
  });

  it('close() closes the default transport pool (keep-alive sockets are released)', async () => {
    const client = new PaymntClient({ apiKey: TEST_API_KEY, baseUrl: server.url });
    await Promise.all([client.payments.retrieve('pay_1'), client.payments.retrieve('pay_2'), client.payments.retrieve('pay_3')]);
    expect(await server.connectionCount()).toBeGreaterThan(0);
    await client.close();
    // The server notices the closed sockets asynchronously.
    while ((await server.connectionCount()) > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await server.connectionCount()).toBe(0);
  });

  it('a custom transport receives the full request, and is not closed by client.close()', async () => {
    const seen: Omit<HttpTransportRequest, 'signal'>[] = [];
    let closed = false;
    const inner = new UndiciTransport();
    const transport: HttpTransport = {
      request: (req) => {
        const { signal: _signal, ...rest } = req;
        seen.push(rest);
        return inner.request(req);
      },
      close: async () => {
        closed = true;
      },
    };
    const client = new PaymntClient({ apiKey: TEST_API_KEY, baseUrl: server.url, transport, timeoutMs: 1234 });
    await client.payments.capture('pay_1', { amount_to_capture: 5 });
    await client.close();
    await inner.close();
    expect(closed).toBe(false);
    expect(seen).toEqual([
      {
        method: 'POST',
        url: `${server.url}/payments/pay_1/capture`,
        headers: expect.objectContaining({ 'api-key': TEST_API_KEY, 'content-type': 'application/json' }),
        body: '{"amount_to_capture":5}',
        timeoutMs: 1234,
      },
    ]);
  });

  it('UndiciTransport can run on a caller-owned undici dispatcher', async () => {
    const agent = new Agent({ connections: 4 });
    const client = new PaymntClient({ apiKey: TEST_API_KEY, baseUrl: server.url, transport: new UndiciTransport({ dispatcher: agent }) });
    await expect(client.payments.retrieve('pay_1')).resolves.toMatchObject({ status: 'succeeded' });
    await client.close();
    await agent.close();
  });
});
