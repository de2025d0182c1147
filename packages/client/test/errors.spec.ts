import type { ServerResponse } from 'node:http';
import {
  PaymntApiError,
  PaymntAuthenticationError,
  PaymntBlockedError,
  PaymntClient,
  PaymntError,
  PaymntIdempotencyError,
  PaymntInvalidRequestError,
  PaymntNotFoundError,
  PaymntPermissionError,
  PaymntRateLimitError,
} from '@paymnt/client';
import { TEST_API_KEY, TestServer, paymentFixture, sendJson, sendText } from './support/test-server';

type Reply = (res: ServerResponse) => void;

describe('errors built from real HTTP responses', () => {
  let server: TestServer;
  let client: PaymntClient;

  beforeEach(async () => {
    server = await TestServer.start();
    client = new PaymntClient({ apiKey: TEST_API_KEY, baseUrl: server.url, maxRetries: 0 });
  });

  afterEach(async () => {
    await client.close();
    await server.close();
  });

  const failWith = async (reply: Reply): Promise<PaymntError> => {
    server.handler = (_req, res) => reply(res);
    const error = await client.payments.retrieve('pay_1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaymntError);
    return error as PaymntError;
  };

  const envelope = (type: string, code: string, message: string) => ({ error: { type, code, message } });

  it.each([
    [400, PaymntInvalidRequestError, 'IR_04', 'Missing required param: payment_method'],
    [422, PaymntInvalidRequestError, 'IR_05', 'amount contains invalid data'],
    [405, PaymntInvalidRequestError, 'IR_03', 'Method not allowed'],
    [401, PaymntAuthenticationError, 'IR_01', 'API key not provided or invalid API key used'],
    [403, PaymntPermissionError, 'IR_22', 'Access forbidden'],
    [404, PaymntNotFoundError, 'HE_02', 'Payment does not exist in our records'],
    [409, PaymntIdempotencyError, 'idempotency_key_mismatch', 'Idempotency-Key reused with a different request body'],
    [429, PaymntRateLimitError, 'RL_01', 'Too many requests'],
    [500, PaymntApiError, 'HE_00', 'Something went wrong'],
    [502, PaymntApiError, 'CE_00', 'Connector error'],
  ])('HTTP %i → %p with the API message, code and request id', async (status, ErrorClass, code, message) => {
    const error = await failWith((res) => sendJson(res, status, envelope(status >= 500 ? 'api' : 'invalid_request', code, message), { 'x-request-id': 'req_abc' }));
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toMatchObject({ statusCode: status, code, message, requestId: 'req_abc', type: status >= 500 ? 'api' : 'invalid_request' });
    expect(error.raw).toEqual(envelope(status >= 500 ? 'api' : 'invalid_request', code, message));
    expect(error.name).toBe((ErrorClass as { name: string }).name);
  });

  it('reads the `error_type` envelope of JSON parse errors', async () => {
    const error = await failWith((res) =>
      sendJson(res, 400, { error: { error_type: 'invalid_request', message: 'Json deserialize error: unknown field `foo`', code: 'IR_06' } }),
    );
    expect(error).toBeInstanceOf(PaymntInvalidRequestError);
    expect(error).toMatchObject({ type: 'invalid_request', code: 'IR_06', message: 'Json deserialize error: unknown field `foo`' });
  });

  it('reads the flat envelope of the OpenAPI spec', async () => {
    const error = await failWith((res) => sendJson(res, 404, { error_type: 'invalid_request', message: 'Unrecognized request URL', code: 'IR_02' }));
    expect(error).toBeInstanceOf(PaymntNotFoundError);
    expect(error).toMatchObject({ code: 'IR_02', message: 'Unrecognized request URL' });
  });

  it('handles actix plain-text bodies', async () => {
    const error = await failWith((res) => sendText(res, 400, 'Query deserialize error: unknown field `created_lt`'));
    expect(error).toBeInstanceOf(PaymntInvalidRequestError);
    expect(error.message).toBe('HTTP 400 from the API: Query deserialize error: unknown field `created_lt`');
    expect(error.raw).toBe('Query deserialize error: unknown field `created_lt`');
    expect(error.code).toBeUndefined();
  });

  it('handles an HTML page from a proxy', async () => {
    const html = '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>';
    const error = await failWith((res) => sendText(res, 502, html, 'text/html'));
    expect(error).toBeInstanceOf(PaymntApiError);
    expect(error.message).toBe('HTTP 502 from the API: 502 Bad Gateway');
    expect(error.statusCode).toBe(502);
  });

  it('handles an empty error body', async () => {
    const error = await failWith((res) => sendText(res, 503, ''));
    expect(error).toBeInstanceOf(PaymntApiError);
    expect(error.message).toBe('HTTP 503 from the API with an empty body');
  });

  it('HTTP 200 with a `blocked` envelope → PaymntBlockedError', async () => {
    const error = await failWith((res) => sendJson(res, 200, envelope('blocked', 'HE_04', 'Payment blocked by risk rules')));
    expect(error).toBeInstanceOf(PaymntBlockedError);
    expect(error).toMatchObject({ type: 'blocked', statusCode: 200, message: 'Payment blocked by risk rules' });
  });

  it('a decline (HTTP 200, status failed) is a result, not an exception', async () => {
    server.handler = (_req, res) =>
      sendJson(res, 200, paymentFixture({ status: 'failed', error_code: 'DC_08', error_message: 'Payment declined: Card declined' }));
    const payment = await client.payments.create({ amount: 100, currency: 'USD', confirm: true });
    expect(payment.status).toBe('failed');
    expect(payment.error_code).toBe('DC_08');
  });

  it('an error that echoes the API key has it redacted from message and raw', async () => {
    const error = await failWith((res) => sendJson(res, 401, envelope('invalid_request', 'IR_01', `Invalid API key ${TEST_API_KEY}`)));
    expect(error).toBeInstanceOf(PaymntAuthenticationError);
    expect(error.message).toBe('Invalid API key [REDACTED]');
    expect(JSON.stringify(error.raw)).not.toContain(TEST_API_KEY);
  });
});
