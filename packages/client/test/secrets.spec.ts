import { inspect } from 'node:util';
import { PaymntClient, type PaymntError, PaymntValidationError, type RequestEvent, type ResponseEvent } from '@paymnt/client';
import { TEST_API_KEY, TestServer, sendJson } from './support/test-server';

const WEBHOOK_SECRET = 'whsec_DoNotLeakMe_42';

/** Every way a value is commonly rendered in logs. */
function renderings(value: unknown): string[] {
  return [inspect(value, { depth: 10, showHidden: true }), JSON.stringify(value) ?? '', String(value), value instanceof Error ? (value.stack ?? '') : ''];
}

describe('the API key and webhook secret never leak', () => {
  let server: TestServer;

  beforeEach(async () => {
    server = await TestServer.start();
  });

  afterEach(async () => {
    await server.close();
  });

  it('not in util.inspect or JSON.stringify of the client or its resources', async () => {
    const client = new PaymntClient({ apiKey: TEST_API_KEY, baseUrl: server.url, webhookSecret: WEBHOOK_SECRET });
    for (const target of [client, client.payments, client.refunds, client.webhooks, client.payments.list()]) {
      for (const text of renderings(target)) {
        expect(text).not.toContain(TEST_API_KEY);
        expect(text).not.toContain(WEBHOOK_SECRET);
      }
    }
    expect(inspect(client)).toContain('[REDACTED]');
    expect(JSON.parse(JSON.stringify(client))).toMatchObject({ baseUrl: server.url, apiKey: '[REDACTED]' });
    await client.close();
  });

  it('not in errors of any kind, nor in request/response events', async () => {
    const client = new PaymntClient({ apiKey: TEST_API_KEY, baseUrl: server.url, maxRetries: 1, initialRetryDelayMs: 1, maxRetryDelayMs: 2 });
    const events: (RequestEvent | ResponseEvent)[] = [];
    client.on('request', (e) => events.push(e)).on('response', (e) => events.push(e));
    const errors: unknown[] = [];
    const capture = (promise: Promise<unknown>): Promise<void> => promise.then(() => undefined, (e: unknown) => void errors.push(e));

    server.handler = (req, res, i) => {
      // A server that echoes what it got: the headers (with the key) in the error body.
      if (i === 0) return sendJson(res, 401, { error: { type: 'invalid_request', code: 'IR_01', message: `bad key ${req.headers['api-key']}`, headers: req.headers } });
      if (i === 1) return sendJson(res, 500, { error: { type: 'api', message: `echo ${JSON.stringify(req.headers)}` } });
      if (i === 2) return void res.socket?.destroy();
      return undefined; // never answers: timeouts
    };
    await capture(client.payments.retrieve('pay_1', undefined, { maxRetries: 0 }));
    await capture(client.payments.retrieve('pay_1', undefined, { maxRetries: 0 }));
    await capture(client.payments.retrieve('pay_1', undefined, { maxRetries: 0 }));
    await capture(client.payments.create({ amount: 1, currency: 'USD' }, { timeoutMs: 20 }));
    await capture(client.payments.create({ amount: -1, currency: 'USD' }));
    try {
      new PaymntClient({ apiKey: `${TEST_API_KEY} with space` });
    } catch (e) {
      errors.push(e);
    }
    expect(errors).toHaveLength(6);
    expect(errors[5]).toBeInstanceOf(PaymntValidationError);
    for (const error of errors) {
      for (const text of renderings(error)) expect(text).not.toContain(TEST_API_KEY);
    }
    expect(events.length).toBeGreaterThanOrEqual(8);
    for (const text of renderings(events)) expect(text).not.toContain(TEST_API_KEY);
    await client.close();
  });

  it('not in errors from a server that echoes the key in a response header, or JSON-escaped in the body', async () => {
    const client = new PaymntClient({ apiKey: TEST_API_KEY, baseUrl: server.url, maxRetries: 0 });
    const escaped = (key: string): string => key.replace(/_/g, '\\u005f');
    server.handler = (req, res, i) => {
      const key = String(req.headers['api-key']);
      if (i === 0) {
        res.writeHead(401, { 'content-type': 'application/json', 'x-echo-api-key': key });
        return void res.end(JSON.stringify({ error: { type: 'invalid_request', code: 'IR_01', message: 'unauthorized' } }));
      }
      // The key written with JSON escapes: not found in the text, decoded by JSON.parse.
      const body = JSON.stringify({ error: { type: 'invalid_request', code: 'IR_01', message: `bad key MARK`, echo: ['MARK'] } }).replace(/MARK/g, escaped(key));
      if (i === 1) return void res.writeHead(400, { 'content-type': 'application/json' }).end(body);
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(body.replace('invalid_request', 'blocked'));
    };
    const errors: unknown[] = [];
    for (let i = 0; i < 3; i++) errors.push(await client.payments.retrieve('pay_1').catch((error: unknown) => error));
    expect(errors.map((e) => (e as PaymntError).statusCode)).toEqual([401, 400, 200]);
    expect((errors[0] as PaymntError).headers['x-echo-api-key']).toBe('[REDACTED]');
    expect((errors[1] as PaymntError).message).toBe('bad key [REDACTED]');
    for (const error of errors) {
      for (const text of renderings(error)) expect(text).not.toContain(TEST_API_KEY);
    }
    await client.close();
  });
});
