import { startTestShop, type TestShop } from './support/test-shop';

interface HealthBody {
  status: 'ok' | 'error';
  info?: Record<string, { status: string }>;
  error?: Record<string, { status: string }>;
  details: { paymnt: { status: string; api: { status: string } } };
}

/** `GET /health` (terminus + `PaymntHealthIndicator`), public, on Express and Fastify. */
describe.each(['express', 'fastify'] as const)('sample shop: GET /health, on %s', (adapter) => {
  let shop: TestShop;

  beforeAll(async () => {
    shop = await startTestShop({ adapter });
  });

  afterAll(async () => {
    await shop?.close();
  });

  async function probe(): Promise<{ status: number; body: HealthBody }> {
    const response = await fetch(`${shop.shopUrl}/health`);
    return { status: response.status, body: (await response.json()) as HealthBody };
  }

  it('200 with Paymnt up, without a token; 503 naming the API when the sandbox answers 500', async () => {
    const up = await probe();
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({ status: 'ok', details: { paymnt: { status: 'up', api: { status: 'up' } } } });
    expect(JSON.stringify(up.body)).not.toContain(shop.sandbox.apiKey);

    // Past the indicator's API cache (5 s by default), every API call fails.
    shop.sandbox.faults.add({ route: '*', sequence: [{ status: 500 }], times: 1000 });
    try {
      const deadline = Date.now() + 10_000;
      let down = await probe();
      while (down.status === 200 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        down = await probe();
      }
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({ status: 'error', details: { paymnt: { status: 'down', api: { status: 'down' } } } });
    } finally {
      shop.sandbox.faults.clear();
    }
  }, 30_000);
});
