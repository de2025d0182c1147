import { sandboxClient } from '../src/demo/scenarios';
import { BEANS, CARDS, MUG, startTestShop, type TestShop } from './support/test-shop';

/**
 * "Save my card" at checkout and the one-click reorder charged off-session with the mandate,
 * through the shop's HTTP API against the embedded sandbox, with real webhook delivery.
 */
describe('sample shop: saved cards and one-click reorders', () => {
  let shop: TestShop;

  beforeAll(async () => {
    shop = await startTestShop();
  });

  afterAll(async () => {
    await shop?.close();
  });

  /** A new account with a card saved by paying a first order (authorized). */
  async function accountWithSavedCard(): Promise<{ accountId: string; orderId: string; mandateId: string }> {
    const account = await shop.api.createAccount('ada@example.com');
    const order = await shop.api.createAccountOrder(account.body.id, [MUG, BEANS]);
    const paid = await shop.api.pay(order.body.id, CARDS.success, { saveCard: true });
    if (paid.body.order.status !== 'authorized') throw new Error(`paying gave ${paid.body.order.status}`);
    await shop.settle();
    const { body } = await shop.api.account(account.body.id);
    return { accountId: account.body.id, orderId: order.body.id, mandateId: body.savedCards[0].mandateId };
  }

  /** The shop's `POST /payments` calls so far. */
  const paymentCreates = (): number => shop.timeline.find('api', 'POST /payments ').length;

  it('creates an account with its own Paymnt customer, and gives its token once', async () => {
    const { status, body } = await shop.api.createAccount('grace@example.com');
    expect(status).toBe(201);
    expect(body).toMatchObject({ email: 'grace@example.com', customerId: `shop_${body.id}`, savedCards: [] });
    expect(body.accessToken).toMatch(/^[\w-]{43}$/);
    const customer = await sandboxClient(shop.sandbox).customers.retrieve(body.customerId);
    expect(customer).toMatchObject({ customer_id: body.customerId, email: 'grace@example.com' });
    const read = await shop.api.account(body.id);
    expect(read.body).not.toHaveProperty('accessToken');
    expect(read.body).not.toHaveProperty('accessTokenHash');
  });

  it('"save my card" saves the card on the account\'s customer with a mandate; the account shows it masked', async () => {
    const account = await shop.api.createAccount('ada@example.com');
    const order = await shop.api.createAccountOrder(account.body.id, [MUG]);
    expect(order.status).toBe(201);
    expect(order.body.accountId).toBe(account.body.id);
    const paid = await shop.api.pay(order.body.id, CARDS.success, { saveCard: true });
    expect(paid.status).toBe(200);
    expect(paid.body.order.status).toBe('authorized');
    await shop.settle();

    const payment = shop.sandbox.state.getPayment(paid.body.order.paymentId as string);
    expect(payment).toMatchObject({ customer_id: account.body.customerId, setup_future_usage: 'off_session', status: 'requires_capture' });
    expect(payment?.mandate_id).toMatch(/^man_/);
    const { body } = await shop.api.account(account.body.id);
    expect(body.savedCards).toEqual([
      expect.objectContaining({ mandateId: payment?.mandate_id, paymentMethodId: payment?.payment_method_id, last4: '4242', status: 'active', savedWithOrderId: order.body.id }),
    ]);
    expect(JSON.stringify(body)).not.toContain(CARDS.success.number);
    const mandate = await sandboxClient(shop.sandbox).mandates.retrieve(payment?.mandate_id as string);
    expect(mandate).toMatchObject({ status: 'active', customer_acceptance: { acceptance_type: 'online' } });
    const events = shop.sandbox.state.listEvents().filter((e) => e.objectId === payment?.mandate_id);
    expect(events.map((e) => [e.eventType, e.isDeliverySuccessful])).toEqual([['mandate_active', true]]);
  });

  it('a repeated reorder (double click, retry) with the same key answers the first order and charges once', async () => {
    const { accountId, orderId, mandateId } = await accountWithSavedCard();
    const before = paymentCreates();
    const [a, b] = await Promise.all([shop.api.reorder(accountId, orderId, mandateId, 'click-1'), shop.api.reorder(accountId, orderId, mandateId, 'click-1')]);
    const c = await shop.api.reorder(accountId, orderId, mandateId, 'click-1');
    expect([a.status, b.status, c.status]).toEqual([201, 201, 201]);
    expect(new Set([a.body.id, b.body.id, c.body.id]).size).toBe(1);
    expect(paymentCreates() - before).toBe(1);
    const another = await shop.api.reorder(accountId, orderId, mandateId, 'click-2');
    expect(another.body.id).not.toBe(a.body.id);
    expect(paymentCreates() - before).toBe(2);
  });

  it('refuses a reorder without an idempotency key, naming the field', async () => {
    const { accountId, orderId } = await accountWithSavedCard();
    const answer = await shop.api.request<{ message: unknown }>('POST', `/accounts/${accountId}/reorder`, { orderId }, shop.api.accountOf(accountId));
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body.message)).toContain('idempotencyKey');
  });

  it('one-click reorder: a new order paid off-session with the mandate, no card data, then shipped', async () => {
    const { accountId, orderId, mandateId } = await accountWithSavedCard();
    const reorder = await shop.api.reorder(accountId, orderId);
    expect(reorder.status).toBe(201);
    expect(reorder.body).toMatchObject({ status: 'authorized', accountId, amount: MUG.unitAmount + BEANS.unitAmount, authorizedAmount: MUG.unitAmount + BEANS.unitAmount });
    expect(reorder.body.id).not.toBe(orderId);
    const payment = shop.sandbox.state.getPayment(reorder.body.paymentId as string);
    expect(payment).toMatchObject({ off_session: true, mandate_id: mandateId, status: 'requires_capture' });
    // The request that created it carried the mandate and no card.
    const request = shop.sandbox.state.listPayments().find((p) => p.payment_id === reorder.body.paymentId);
    expect(JSON.stringify(request)).not.toContain(CARDS.success.number);

    const shipped = await shop.api.ship(reorder.body.id);
    expect(shipped.body).toMatchObject({ status: 'paid', capturedAmount: MUG.unitAmount + BEANS.unitAmount });
    // The reorder's customer can read it with the token the reorder gave.
    expect((await shop.api.order(reorder.body.id)).status).toBe('paid');
  });

  it('"save my card" on a guest order is a 400 naming the reason, and creates no payment', async () => {
    const order = await shop.newOrder();
    const before = paymentCreates();
    const { status, body } = await shop.api.pay(order.id, CARDS.success, { saveCard: true });
    expect(status).toBe(400);
    expect(body).toMatchObject({ message: expect.stringContaining('saveCard needs an account') });
    expect(paymentCreates()).toBe(before);
  });

  it('a reorder without a saved card is a 409; of another account\'s order a 404', async () => {
    const account = await shop.api.createAccount('nocard@example.com');
    const order = await shop.api.createAccountOrder(account.body.id, [MUG]);
    await shop.api.pay(order.body.id, CARDS.success);
    const none = await shop.api.reorder(account.body.id, order.body.id);
    expect(none.status).toBe(409);
    expect(none.body).toMatchObject({ message: expect.stringContaining('has no saved card') });
    const other = await accountWithSavedCard();
    const foreign = await shop.api.reorder(other.accountId, order.body.id);
    expect(foreign.status).toBe(404);
    const forbidden = await shop.api.request('POST', `/accounts/${other.accountId}/reorder`, { orderId: other.orderId }, shop.api.accountOf(account.body.id));
    expect(forbidden.status).toBe(403);
    const anonymous = await shop.api.request('GET', `/accounts/${other.accountId}`);
    expect(anonymous.status).toBe(401);
  });

  it('a card the customer removed: the mandate is revoked at Paymnt, and a reorder is refused by the shop with a clear 409', async () => {
    const { accountId, orderId, mandateId } = await accountWithSavedCard();
    const revoked = await shop.api.revokeCard(accountId, mandateId);
    expect(revoked.status).toBe(200);
    expect(revoked.body.savedCards[0]).toMatchObject({ mandateId, status: 'revoked' });
    await shop.settle();
    expect((await sandboxClient(shop.sandbox).mandates.retrieve(mandateId)).status).toBe('revoked');
    expect(shop.sandbox.state.listEvents().filter((e) => e.objectId === mandateId).map((e) => [e.eventType, e.isDeliverySuccessful])).toEqual([
      ['mandate_active', true],
      ['mandate_revoked', true],
    ]);

    const before = paymentCreates();
    const refused = await shop.api.reorder(accountId, orderId);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ message: `The saved card •••• 4242 can no longer be charged: its mandate ${mandateId} is revoked. Pay with a card instead (and save it again if you like).` });
    expect(paymentCreates()).toBe(before);
  });

  it('a mandate revoked outside the shop (its webhook missed): Paymnt refuses the charge, the shop answers the same 409 and remembers it', async () => {
    const { accountId, orderId, mandateId } = await accountWithSavedCard();
    shop.sandbox.setWebhooksEnabled(false);
    try {
      await sandboxClient(shop.sandbox).mandates.revoke(mandateId);
      expect((await shop.api.account(accountId)).body.savedCards[0].status).toBe('active');

      const before = paymentCreates();
      const refused = await shop.api.reorder(accountId, orderId);
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ message: expect.stringContaining(`its mandate ${mandateId} is revoked`) });
      expect(paymentCreates()).toBe(before + 1);
      expect((await shop.api.account(accountId)).body.savedCards[0].status).toBe('revoked');
      // The order made for the reorder is cancelled: it has no payment.
      const orders = await shop.api.orders();
      expect(orders.filter((o) => o.accountId === accountId).map((o) => o.status)).toEqual(['cancelled', 'authorized']);

      const again = await shop.api.reorder(accountId, orderId);
      expect(again.status).toBe(409);
      expect(paymentCreates()).toBe(before + 1);
    } finally {
      shop.sandbox.setWebhooksEnabled(true);
    }
  });
});
