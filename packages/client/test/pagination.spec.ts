import fc from 'fast-check';
import { PaymntClient, PaymntError, type Payment } from '@paymnt/client';
import { isoAt, paymentListHandler, paymentsAt, refundListHandler, type StoredRefund } from './support/fake-lists';
import { TEST_API_KEY, TestServer } from './support/test-server';

describe('pagination against a real HTTP server', () => {
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

  const collect = async (iterable: AsyncIterable<Payment>): Promise<string[]> => {
    const ids: string[] = [];
    for await (const payment of iterable) ids.push(payment.payment_id);
    return ids;
  };

  /** Expected order: created desc; within ties, any order. */
  const expectEachOnce = (ids: string[], stored: { payment_id: string; created: string }[]): void => {
    expect(ids).toHaveLength(stored.length);
    expect(new Set(ids).size).toBe(stored.length);
    expect([...ids].sort()).toEqual(stored.map((p) => p.payment_id).sort());
    const created = new Map(stored.map((p) => [p.payment_id, p.created]));
    for (let i = 1; i < ids.length; i++) expect(created.get(ids[i])! <= created.get(ids[i - 1])!).toBe(true);
  };

  it('awaiting gives the first page; for await yields every payment once across pages', async () => {
    const stored = paymentsAt(Array.from({ length: 25 }, (_, i) => isoAt((25 - i) * 1000)));
    server.handler = paymentListHandler(stored);
    const list = client.payments.list({ limit: 10 });
    const first = await list;
    expect(first.data.map((p) => p.payment_id)).toEqual(stored.slice(0, 10).map((p) => p.payment_id));
    expect(first.hasMore).toBe(true);
    expect(first.lastResponse.statusCode).toBe(200);
    expect(Object.keys(first)).toEqual(['data', 'hasMore']);

    const ids = await collect(list);
    expect(ids).toEqual(stored.map((p) => p.payment_id));
    // The first page is fetched once; the next pages ask for the items at or below the last one.
    expect(server.requests.map((r) => [r.query.get('ending_before'), r.query.get('limit')])).toEqual([
      [null, '10'],
      ['pay_0009', '11'],
      ['pay_0019', '11'],
    ]);
  });

  it('uses the API default page size when no limit is given', async () => {
    const stored = paymentsAt(Array.from({ length: 12 }, (_, i) => isoAt((12 - i) * 1000)));
    server.handler = paymentListHandler(stored);
    expectEachOnce(await collect(client.payments.list()), stored);
    expect(server.requests[0].query.has('limit')).toBe(false);
  });

  it('an empty list yields nothing and sends one request', async () => {
    server.handler = paymentListHandler([]);
    const page = await client.payments.list({ limit: 5 });
    expect(page).toMatchObject({ data: [], hasMore: false });
    expect(await collect(client.payments.list({ limit: 5 }))).toEqual([]);
    expect(server.requests).toHaveLength(2);
  });

  it('passes the caller filters on every page', async () => {
    const stored = paymentsAt(Array.from({ length: 6 }, (_, i) => isoAt((6 - i) * 1000)));
    server.handler = paymentListHandler(stored);
    await collect(client.payments.list({ limit: 2, customer_id: 'cus_1', 'created.gte': isoAt(0) }));
    expect(server.requests.length).toBeGreaterThan(1);
    for (const r of server.requests) {
      expect(r.query.get('customer_id')).toBe('cus_1');
      expect(r.query.get('created.gte')).toBe(isoAt(0));
    }
  });

  it.each([false, true])('same-timestamp runs longer than the page size (shuffled ties: %s)', async (shuffleTies) => {
    const timestamps = [
      ...[9, 8, 7].map((s) => isoAt(s * 1000)),
      ...Array.from({ length: 17 }, () => isoAt(5000)),
      ...[4, 3].map((s) => isoAt(s * 1000)),
      ...Array.from({ length: 6 }, () => isoAt(2000)),
      isoAt(1000),
    ];
    const stored = paymentsAt(timestamps);
    server.handler = paymentListHandler(stored, { shuffleTies });
    expectEachOnce(await collect(client.payments.list({ limit: 4 })), stored);
  });

  it('every payment sharing one timestamp (50 of them, page size 10)', async () => {
    const stored = paymentsAt(Array.from({ length: 50 }, () => isoAt(0)));
    server.handler = paymentListHandler(stored);
    expectEachOnce(await collect(client.payments.list({ limit: 10 })), stored);
  });

  it('more than 100 payments in one millisecond: an explicit error, never a loop or a silent skip', async () => {
    const stored = paymentsAt([isoAt(2000), ...Array.from({ length: 120 }, () => isoAt(1000)), isoAt(0)]);
    server.handler = paymentListHandler(stored);
    const ids: string[] = [];
    const error = await (async () => {
      for await (const payment of client.payments.list({ limit: 10 })) ids.push(payment.payment_id);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaymntError);
    expect((error as PaymntError).code).toBe('pagination_tie_overflow');
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(101);
  });

  it('property: any dataset, page size and tie order yields each payment exactly once, newest first', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 8 }), { maxLength: 45 }),
        fc.integer({ min: 1, max: 12 }),
        fc.boolean(),
        async (seconds, limit, shuffleTies) => {
          const stored = paymentsAt([...seconds].sort((a, b) => b - a).map((s) => isoAt(s * 1000)));
          server.handler = paymentListHandler(stored, { shuffleTies });
          expectEachOnce(await collect(client.payments.list({ limit })), stored);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('pages() yields page by page; toArray stops at its limit without fetching further pages', async () => {
    const stored = paymentsAt(Array.from({ length: 9 }, (_, i) => isoAt((9 - i) * 1000)));
    server.handler = paymentListHandler(stored);
    const sizes: [number, boolean][] = [];
    for await (const page of client.payments.list({ limit: 4 }).pages()) sizes.push([page.data.length, page.hasMore]);
    expect(sizes).toEqual([
      [4, true],
      [4, true],
      [1, false],
    ]);

    server.requests.length = 0;
    const firstFive = await client.payments.list({ limit: 4 }).toArray({ limit: 5 });
    expect(firstFive.map((p) => p.payment_id)).toEqual(stored.slice(0, 5).map((p) => p.payment_id));
    expect(server.requests).toHaveLength(2);
  });

  it('iterating the same list twice gives the same items and reuses the first page', async () => {
    const stored = paymentsAt(Array.from({ length: 7 }, (_, i) => isoAt((7 - i) * 1000)));
    server.handler = paymentListHandler(stored);
    const list = client.payments.list({ limit: 3 });
    const once = await collect(list);
    const twice = await collect(list);
    expect(twice).toEqual(once);
    expect(server.requests.filter((r) => !r.query.has('ending_before'))).toHaveLength(1);
  });

  describe('refunds (POST /refunds/list, offset paging)', () => {
    const refunds = (n: number): StoredRefund[] => Array.from({ length: n }, (_, i) => ({ refund_id: `ref_${String(i).padStart(3, '0')}`, modified: n - i }));

    it('walks the offsets and yields each refund once', async () => {
      const stored = refunds(23);
      server.handler = refundListHandler(stored);
      const first = await client.refunds.list({ limit: 10, payment_id: 'pay_1' });
      expect(first).toMatchObject({ hasMore: true, totalCount: 23 });
      const ids: string[] = [];
      for await (const refund of client.refunds.list({ limit: 10, payment_id: 'pay_1' })) ids.push(refund.refund_id);
      expect(ids).toEqual(stored.map((r) => r.refund_id));
      const bodies = server.requests.slice(1).map((r) => JSON.parse(r.body));
      expect(bodies).toEqual([
        { limit: 10, payment_id: 'pay_1' },
        { limit: 10, payment_id: 'pay_1', offset: 10 },
        { limit: 10, payment_id: 'pay_1', offset: 20 },
      ]);
      expect(server.requests.every((r) => r.method === 'POST' && r.headers['idempotency-key'])).toBe(true);
    });

    it('a refund modified during the iteration (shifting offsets) is not yielded twice', async () => {
      const stored = refunds(15);
      server.handler = refundListHandler(stored, (served) => {
        // After page 1: an already-listed refund is updated and moves to the top.
        if (served === 0) stored[2].modified = 100;
      });
      const ids: string[] = [];
      for await (const refund of client.refunds.list({ limit: 5 })) ids.push(refund.refund_id);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort()).toEqual(stored.map((r) => r.refund_id).sort());
    });
  });
});
