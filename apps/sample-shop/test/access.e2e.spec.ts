import { randomBytes } from 'node:crypto';
import { CARDS, MUG, startTestShop, type TestShop } from './support/test-shop';

/**
 * Who may do what: the admin token for admin actions, each order's access token (or the checkout
 * page's cookie) for its customer. On Express and on Fastify, whose request objects differ.
 */
describe.each(['express', 'fastify'] as const)('sample shop: access, on %s', (adapter) => {
  let shop: TestShop;

  beforeAll(async () => {
    shop = await startTestShop({ adapter });
  });

  afterAll(async () => {
    await shop?.close();
  });

  describe('admin actions: list, ship, cancel, refund, sync', () => {
    it('401 without a token, 403 with a wrong one or a customer token, 200 with the admin token', async () => {
      const order = await shop.authorizedOrder();
      const customer = shop.api.customerOf(order.id);
      const wrong = { token: randomBytes(32).toString('base64url') };
      const nearMiss = { token: `${shop.adminToken.slice(0, -1)}${shop.adminToken.endsWith('A') ? 'B' : 'A'}` };
      const routes = [
        ['GET', '/orders'],
        ['POST', `/orders/${order.id}/sync`],
        ['POST', `/orders/${order.id}/cancel`],
        ['POST', `/orders/${order.id}/ship`],
        ['POST', `/orders/${order.id}/refund`],
      ] as const;
      for (const [method, path] of routes) {
        const body = method === 'POST' ? {} : undefined;
        expect([path, (await shop.api.request(method, path, body)).status]).toEqual([path, 401]);
        for (const as of [wrong, nearMiss, customer]) {
          expect([path, (await shop.api.request(method, path, body, as)).status]).toEqual([path, 403]);
        }
      }
      expect((await shop.api.request('GET', '/orders', undefined, shop.api.admin)).status).toBe(200);
      expect((await shop.api.request('POST', `/orders/${order.id}/sync`, {}, shop.api.admin)).status).toBe(200);
      // Nothing was shipped or cancelled by the refused calls.
      expect(shop.sandbox.state.getPayment(order.paymentId)?.status).toBe('requires_capture');
      expect((await shop.api.ship(order.id)).status).toBe(200);
    });

    it('401 for a malformed Authorization header', async () => {
      const response = await fetch(`${shop.shopUrl}/orders`, { headers: { authorization: `Basic ${shop.adminToken}` } });
      expect(response.status).toBe(401);
    });
  });

  describe("a customer's order", () => {
    it("is read and paid with its own token; never with another order's, never without one", async () => {
      const mine = await shop.newOrder();
      const theirs = await shop.newOrder();
      const path = `/orders/${mine.id}`;
      expect((await shop.api.request('GET', path)).status).toBe(401);
      const someoneElse = await shop.api.request<{ message: string }>('GET', path, undefined, shop.api.customerOf(theirs.id));
      expect(someoneElse.status).toBe(403);
      expect(JSON.stringify(someoneElse.body)).not.toContain('"amount"');
      const stolenPay = await shop.api.request('POST', `${path}/pay`, { card: CARDS.success }, shop.api.customerOf(theirs.id));
      expect(stolenPay.status).toBe(403);
      expect(shop.paymentsOf(mine.id)).toEqual([]);

      expect((await shop.api.request('GET', path, undefined, shop.api.customerOf(mine.id))).status).toBe(200);
      expect((await shop.api.request('GET', path, undefined, shop.api.admin)).status).toBe(200);
      expect((await shop.api.pay(mine.id, CARDS.success)).status).toBe(200);
    });

    it("the checkout page's cookie works like the token, for its own order only", async () => {
      const created = await fetch(`${shop.shopUrl}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ amount: 1250, currency: 'USD', items: [MUG] }),
      });
      const order = (await created.json()) as { id: string; accessToken: string };
      const cookie = created.headers.get('set-cookie') ?? '';
      expect(cookie).toBe(`shop_order_${order.id}=${order.accessToken}; Path=/; Max-Age=604800; HttpOnly; SameSite=Lax`);
      const jar = cookie.split(';')[0];
      expect((await fetch(`${shop.shopUrl}/orders/${order.id}`, { headers: { cookie: jar } })).status).toBe(200);
      const other = await shop.newOrder();
      expect((await fetch(`${shop.shopUrl}/orders/${other.id}`, { headers: { cookie: jar } })).status).toBe(401);
      expect((await fetch(`${shop.shopUrl}/orders/${other.id}`, { headers: { cookie: `shop_order_${other.id}=${order.accessToken}` } })).status).toBe(403);
    });
  });

  it('the webhook route stays public: the sandbox delivered every webhook without a token', async () => {
    await shop.authorizedOrder();
    await shop.settle();
    const events = shop.sandbox.state.listEvents();
    expect(events.length).toBeGreaterThan(0);
    expect(events.filter((event) => event.isDeliverySuccessful !== true)).toEqual([]);
  });
  describe('accounts, saved cards, renewals and chargebacks', () => {
    it("an account's routes need its own token (or the admin's); the renewal run and the chargeback answers the admin's", async () => {
      const account = await shop.api.createAccount('ada@example.com');
      expect(account.status).toBe(201);
      const other = await shop.api.createAccount('bob@example.com');
      const order = await shop.api.createAccountOrder(account.body.id, [MUG]);
      const paid = await shop.api.pay(order.body.id, CARDS.success, { saveCard: true });
      expect(paid.body.order.status).toBe('authorized');
      const { mandateId } = (await shop.api.account(account.body.id)).body.savedCards[0];
      const accountRoutes = [
        ['GET', `/accounts/${account.body.id}`],
        ['POST', `/accounts/${account.body.id}/orders`],
        ['POST', `/accounts/${account.body.id}/reorder`],
        ['POST', `/accounts/${account.body.id}/subscriptions`],
        ['GET', `/accounts/${account.body.id}/subscriptions`],
        ['POST', `/accounts/${account.body.id}/cards/${mandateId}/revoke`],
      ] as const;
      for (const [method, path] of accountRoutes) {
        const body = method === 'POST' ? {} : undefined;
        expect([path, (await shop.api.request(method, path, body)).status]).toEqual([path, 401]);
        for (const as of [shop.api.accountOf(other.body.id), shop.api.customerOf(order.body.id)]) {
          expect([path, (await shop.api.request(method, path, body, as)).status]).toEqual([path, 403]);
        }
      }
      expect((await shop.api.request('GET', `/accounts/${account.body.id}`, undefined, shop.api.admin)).status).toBe(200);
      expect((await shop.api.request('GET', '/accounts/acct_unknown', undefined, shop.api.accountOf(account.body.id))).status).toBe(404);
      const reorder = await shop.api.reorder(account.body.id, order.body.id);
      expect(reorder).toMatchObject({ status: 201, body: { status: 'authorized' } });
      const adminRoutes = [
        ['POST', '/subscriptions/renewals'],
        ['POST', `/orders/${order.body.id}/dispute/evidence`],
        ['POST', `/orders/${order.body.id}/dispute/accept`],
      ] as const;
      for (const [method, path] of adminRoutes) {
        expect([path, (await shop.api.request(method, path, {})).status]).toEqual([path, 401]);
        for (const as of [shop.api.accountOf(account.body.id), shop.api.customerOf(order.body.id)]) {
          expect([path, (await shop.api.request(method, path, {}, as)).status]).toEqual([path, 403]);
        }
      }
    });
  });
});
