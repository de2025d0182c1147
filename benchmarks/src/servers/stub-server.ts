import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { paymentObject } from '../lib/fixtures';
import type { ServerRole } from './role';

/**
 * The minimal API stub of section 1: a fixed payment JSON for `GET /payments/{id}` (Paymnt) and
 * `GET /v1/payment_intents/{id}` (the same bytes, for stripe-node), built once. Anything else: 404.
 */
export async function startStub(): Promise<ServerRole> {
  const body = Buffer.from(JSON.stringify(paymentObject('pay_bench0000000000000001')));
  const headers = { 'content-type': 'application/json', 'content-length': String(body.length), 'x-request-id': 'req_bench' };
  let served = 0;
  const server = createServer((req, res) => {
    const url = req.url ?? '';
    if (req.method === 'GET' && (url.startsWith('/payments/') || url.startsWith('/v1/payment_intents/'))) {
      served++;
      res.writeHead(200, headers);
      res.end(body);
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"error":{"type":"invalid_request","message":"not found","code":"IR_00"}}');
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    commands: { served: () => served },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
