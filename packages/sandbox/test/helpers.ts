/** Raw-HTTP helpers for the sandbox's tests (they test the wire, not our client). */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import type { Sandbox } from '../src';

export interface HttpResult<T = any> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: T;
}

export interface CallOptions {
  headers?: Record<string, string>;
  /** Send this exact string as the body. */
  raw?: string;
  /** Omit Content-Type (it is application/json otherwise when a body is sent). */
  noContentType?: boolean;
  apiKey?: string | null;
}

/** Calls the sandbox with its default api key; JSON body unless `raw`. */
export async function call<T = any>(sb: Sandbox | string, method: string, path: string, body?: unknown, opts: CallOptions = {}): Promise<HttpResult<T>> {
  const base = typeof sb === 'string' ? sb : sb.url;
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  const apiKey = opts.apiKey === undefined ? (typeof sb === 'string' ? undefined : sb.apiKey) : opts.apiKey;
  if (apiKey) headers['api-key'] = apiKey;
  let payload: string | undefined;
  if (opts.raw !== undefined) payload = opts.raw;
  else if (body !== undefined) payload = JSON.stringify(body);
  if (payload !== undefined && !opts.noContentType && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['content-type'] = 'application/json';
  }
  const res = await request(`${base}${path}`, { method: method as 'GET', headers, body: payload });
  const text = await res.body.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: res.headers, text, json };
}

export const post = <T = any>(sb: Sandbox, path: string, body: unknown = {}, opts?: CallOptions) => call<T>(sb, 'POST', path, body, opts);
export const get = <T = any>(sb: Sandbox, path: string, opts?: CallOptions) => call<T>(sb, 'GET', path, undefined, opts);

export const card = (number = '4242424242424242', extra: Record<string, unknown> = {}) => ({
  card_number: number,
  card_exp_month: '10',
  card_exp_year: '35',
  card_holder_name: 'Joseph Doe',
  card_cvc: '123',
  ...extra,
});

/** A create+confirm body with a card. */
export function paymentBody(extra: Record<string, unknown> = {}, cardNumber = '4242424242424242'): Record<string, unknown> {
  return {
    amount: 6540,
    currency: 'USD',
    confirm: true,
    capture_method: 'automatic',
    authentication_type: 'no_three_ds',
    payment_method: 'card',
    payment_method_data: { card: card(cardNumber) },
    ...extra,
  };
}

export async function createPayment(sb: Sandbox, extra: Record<string, unknown> = {}, cardNumber?: string): Promise<any> {
  const res = await post(sb, '/payments', paymentBody(extra, cardNumber));
  if (res.status !== 200) throw new Error(`create failed: ${res.status} ${res.text}`);
  return res.json;
}

/** A payment authorised for manual capture. */
export const authorize = (sb: Sandbox, extra: Record<string, unknown> = {}) => createPayment(sb, { capture_method: 'manual', ...extra });

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  /** The exact bytes received (what a signature is checked against). */
  rawBody: Buffer;
  body: string;
  json: any;
  at: number;
}

export interface Receiver {
  url: string;
  received: ReceivedWebhook[];
  /** Answers each request with the next status (the last one repeats); default 200. */
  statuses: number[];
  /** Waits for `n` received requests (all, or those matching `filter`). */
  waitFor(n: number, filter?: (w: ReceivedWebhook) => boolean, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
  server: Server;
}

/** A real node:http server receiving webhooks. */
export async function startReceiver(statuses: number[] = [200], delayMs = 0): Promise<Receiver> {
  const received: ReceivedWebhook[] = [];
  const receiver: Partial<Receiver> = { received, statuses };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks);
      const body = rawBody.toString('utf8');
      let json: any;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      const index = received.length;
      received.push({ headers: req.headers, rawBody, body, json, at: Date.now() });
      const list = receiver.statuses as number[];
      const status = list[Math.min(index, list.length - 1)] ?? 200;
      const answer = () => {
        res.writeHead(status, { 'content-type': 'text/plain' });
        res.end(`status ${status}`);
      };
      if (delayMs > 0) setTimeout(answer, delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  receiver.url = `http://127.0.0.1:${port}/webhooks`;
  receiver.server = server;
  receiver.waitFor = (n, filter, timeoutMs = 5000) =>
    new Promise((resolve, reject) => {
      const started = Date.now();
      const timer = setInterval(() => check(), 10);
      const check = (): void => {
        const list = filter ? received.filter(filter) : received;
        if (list.length >= n) {
          clearInterval(timer);
          resolve(list);
        } else if (Date.now() - started > timeoutMs) {
          clearInterval(timer);
          reject(new Error(`timed out waiting for ${n} webhooks (got ${list.length})`));
        }
      };
      check();
    });
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver as Receiver;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
