import { MAX_JSON_BODY_BYTES } from '../src/create-shop-app';
import { MUG, startTestShop, type TestShop } from './support/test-shop';

/**
 * Bodies that used to crash the validation (deep nesting: a stack overflow, answered 500) or that
 * are too large: on Express and on Fastify, whose body parsers differ.
 */
describe.each(['express', 'fastify'] as const)('sample shop: body limits, on %s', (adapter) => {
  let shop: TestShop;

  beforeAll(async () => {
    shop = await startTestShop({ adapter });
  });

  afterAll(async () => {
    await shop?.close();
  });

  async function post(path: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
    const response = await fetch(`${shop.shopUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    return { status: response.status, text: await response.text() };
  }

  const deep = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

  it('40 KB of nested arrays is a 400, not a 500 (on a public and on a customer route)', async () => {
    const order = await shop.newOrder();
    const asCustomer = { authorization: `Bearer ${shop.api.customerOf(order.id).token}` };
    const answers = [
      await post('/orders', `{"amount":1250,"currency":"USD","items":${deep(20_000)}}`),
      await post('/orders', `{"amount":1250,"currency":"USD","items":[{"name":"Mug","quantity":1,"unitAmount":1250}],"extra":${deep(20_000)}}`),
      await post(`/orders/${order.id}/pay`, `{"card":${deep(20_000)}}`, asCustomer),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.text).message).toBe('The request body nests deeper than 5 levels');
    }
    expect((await post('/orders', `{"amount":1250,"currency":"USD","items":${deep(6)}}`)).status).toBe(400);
    expect((await shop.api.order(order.id)).paymentAttempt).toBe(0);
  });

  it(`a body over ${MAX_JSON_BODY_BYTES / 1024} KB is a 413, on the shop's routes and on the webhook route`, async () => {
    const padding = 'x'.repeat(MAX_JSON_BODY_BYTES);
    const big = JSON.stringify({ amount: 1250, currency: 'USD', items: [{ ...MUG, name: padding }] });
    expect((await post('/orders', big)).status).toBe(413);
    expect((await post('/webhooks/payments', JSON.stringify({ padding }))).status).toBe(413);
    // Just under the limit is parsed, and refused by validation as usual.
    const under = JSON.stringify({ amount: 1250, currency: 'USD', items: [{ ...MUG, name: 'x'.repeat(MAX_JSON_BODY_BYTES - 200) }] });
    const answer = await post('/orders', under);
    expect(answer.status).toBe(400);
    expect(answer.text).toMatch(/name must be shorter than or equal to 100 characters/);
  });
});
