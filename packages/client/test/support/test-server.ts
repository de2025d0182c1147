import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/** What the server saw of one request. */
export interface RecordedRequest {
  method: string;
  /** Path without the query. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** `performance.now()` when the request was complete. */
  at: number;
}

/** Answers one request; `index` counts requests from 0. */
export type Handler = (req: RecordedRequest, res: ServerResponse, index: number) => void | Promise<void>;

/** A real node:http server on 127.0.0.1, port 0, recording every request it receives. */
export class TestServer {
  readonly requests: RecordedRequest[] = [];
  handler: Handler;
  readonly #server: Server;

  private constructor(server: Server, handler: Handler) {
    this.#server = server;
    this.handler = handler;
  }

  static async start(handler: Handler = (_req, res) => sendJson(res, 200, {})): Promise<TestServer> {
    const server = createServer();
    const testServer = new TestServer(server, handler);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const recorded: RecordedRequest = {
          method: req.method ?? '',
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          at: performance.now(),
        };
        const index = testServer.requests.push(recorded) - 1;
        Promise.resolve(testServer.handler(recorded, res, index)).catch((error: unknown) => {
          if (!res.headersSent) sendJson(res, 599, { test_server_error: String(error) });
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return testServer;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** Open TCP connections (keep-alive sockets included). */
  connectionCount(): Promise<number> {
    return new Promise((resolve, reject) => this.#server.getConnections((error, count) => (error ? reject(error) : resolve(count))));
  }

  /** Closes the server and every socket still open (including requests left unanswered on purpose). */
  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string, contentType = 'text/plain'): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** A minimal PaymentsResponse. */
export function paymentFixture(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    payment_id: 'pay_test0000000000000001',
    merchant_id: 'merchant_1',
    status: 'succeeded',
    amount: 6540,
    net_amount: 6540,
    amount_capturable: 0,
    amount_received: 6540,
    currency: 'USD',
    client_secret: 'pay_test0000000000000001_secret_abc',
    created: '2024-01-15T10:11:12.123Z',
    connector: 'fauxpay',
    customer_id: null,
    description: null,
    metadata: null,
    refunds: null,
    capture_method: 'automatic',
    payment_method: 'card',
    authentication_type: 'no_three_ds',
    next_action: null,
    cancellation_reason: null,
    profile_id: 'pro_test',
    attempt_count: 1,
    error_code: null,
    error_message: null,
    ...overrides,
  };
}

/** A minimal RefundResponse. */
export function refundFixture(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    refund_id: 'ref_test0000000000000001',
    payment_id: 'pay_test0000000000000001',
    amount: 100,
    currency: 'USD',
    status: 'succeeded',
    connector: 'fauxpay',
    reason: null,
    metadata: null,
    error_code: null,
    error_message: null,
    created_at: '2024-01-15T10:11:12.123Z',
    updated_at: '2024-01-15T10:11:12.123Z',
    profile_id: 'pro_test',
    merchant_connector_id: null,
    ...overrides,
  };
}

/** The API key used by tests; asserted never to leak. */
export const TEST_API_KEY = 'snd_SuperSecretTestKey_5f0c1d9e';
