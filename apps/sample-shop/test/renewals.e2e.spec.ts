import { sandboxClient } from '../src/demo/scenarios';
import type { RenewalResult } from '../src/subscriptions/subscription';
import { BEANS, CARDS, startTestShop, type TestShop } from './support/test-shop';

/**
 * Subscriptions renewed by a merchant-initiated, off-session charge of the saved card, through the
 * shop's HTTP API against the embedded sandbox: charged once per period however the run is retried.
 */
describe('sample shop: subscription renewals', () => {
  let shop: TestShop;

  beforeAll(async () => {
    shop = await startTestShop();
  });

  afterAll(async () => {
    await shop?.close();
  });

  /** An account with a saved card and a subscription to its first order (one bag of beans a month). */
  async function subscription(): Promise<{ accountId: string; subscriptionId: string; mandateId: string }> {
    const account = await shop.api.createAccount('sub@example.com');
    const order = await shop.api.createAccountOrder(account.body.id, [BEANS]);
    await shop.api.pay(order.body.id, CARDS.success, { saveCard: true });
    const subscribed = await shop.api.subscribe(account.body.id, order.body.id);
    if (subscribed.status !== 201) throw new Error(`subscribing answered ${subscribed.status}`);
    return { accountId: account.body.id, subscriptionId: subscribed.body.id, mandateId: subscribed.body.mandateId };
  }

  async function renew(subscriptionId: string, period: string): Promise<RenewalResult | undefined> {
    const { status, body } = await shop.api.renewals(period);
    expect(status).toBe(200);
    return body.results.find((r) => r.subscriptionId === subscriptionId);
  }

  /** The sandbox's payments of a renewal order. */
  const paymentsOfRenewal = (result: RenewalResult | undefined): string[] => shop.paymentsOf(result?.orderId ?? '').map((p) => p.payment_id);

  /** The idempotency keys the shop sent `POST /payments` with for a subscription's renewals. */
  const renewalKeys = (subscriptionId: string): string[] => shop.timeline.find('api', 'POST /payments ', `key ${subscriptionId}:renewal:`).map((e) => /key (\S+)\)$/.exec(e.text)?.[1] ?? '?');

  it('renews next month with an off-session charge of the mandate, captured at once', async () => {
    const { accountId, subscriptionId, mandateId } = await subscription();
    expect((await shop.api.request('GET', `/accounts/${accountId}/subscriptions`, undefined, shop.api.accountOf(accountId))).body).toEqual([
      expect.objectContaining({ id: subscriptionId, status: 'active', amount: BEANS.unitAmount, mandateId }),
    ]);
    const thisMonth = new Date().toISOString().slice(0, 7);
    expect(await renew(subscriptionId, thisMonth)).toMatchObject({ outcome: 'skipped', orderId: null });

    const result = await renew(subscriptionId, '2099-01');
    expect(result).toMatchObject({ outcome: 'charged', period: '2099-01' });
    const order = await shop.api.order(result?.orderId as string);
    expect(order).toMatchObject({ status: 'paid', accountId, capturedAmount: BEANS.unitAmount });
    const [paymentId] = paymentsOfRenewal(result);
    expect(shop.sandbox.state.getPayment(paymentId)).toMatchObject({ off_session: true, mandate_id: mandateId, capture_method: 'automatic', status: 'succeeded' });
    expect(renewalKeys(subscriptionId)).toEqual([`${subscriptionId}:renewal:2099-01`]);
    await shop.settle();
    expect(shop.sandbox.state.listEvents().filter((e) => e.objectId === paymentId).map((e) => [e.eventType, e.isDeliverySuccessful])).toEqual([['payment_succeeded', true]]);
  });

  it('a renewal run retried for the same period charges once; the next period is a new charge', async () => {
    const { subscriptionId } = await subscription();
    const first = await renew(subscriptionId, '2099-02');
    const again = await renew(subscriptionId, '2099-02');
    expect(first?.outcome).toBe('charged');
    expect(again).toMatchObject({ outcome: 'already_renewed', orderId: first?.orderId });
    expect(paymentsOfRenewal(first)).toHaveLength(1);
    expect(renewalKeys(subscriptionId)).toEqual([`${subscriptionId}:renewal:2099-02`]);

    const [a, b] = await Promise.all([shop.api.renewals('2099-03'), shop.api.renewals('2099-03')]);
    const mine = [a, b].map((run) => run.body.results.find((r) => r.subscriptionId === subscriptionId));
    expect(mine[0]?.orderId).toBe(mine[1]?.orderId);
    expect(mine.map((r) => r?.outcome)).toContain('charged');
    await shop.settle();
    expect(paymentsOfRenewal(mine[0])).toHaveLength(1);
    expect((await shop.api.order(mine[0]?.orderId as string)).status).toBe('paid');
  });

  it("a renewal whose answer was lost: the next run sends the same key and Paymnt answers with the same payment", async () => {
    // A shop of its own, so that the faults below hit this subscription's charge and no other's.
    await shop.close();
    shop = await startTestShop();
    const { subscriptionId } = await subscription();
    shop.sandbox.setWebhooksEnabled(false);
    // Every try of the client (3) is answered 503 after the payment was made.
    const [rule] = shop.sandbox.faults.add({ route: 'POST /payments', fault: { status: 503, when: 'after' }, times: 3 });
    let lost: RenewalResult | undefined;
    try {
      lost = await renew(subscriptionId, '2099-04');
    } finally {
      shop.sandbox.faults.remove(rule.id as string);
      shop.sandbox.setWebhooksEnabled(true);
    }
    expect(lost).toMatchObject({ outcome: 'unanswered' });
    expect((await shop.api.order(lost?.orderId as string)).status).toBe('pending_payment');

    const retried = await renew(subscriptionId, '2099-04');
    expect(retried).toMatchObject({ outcome: 'charged', orderId: lost?.orderId });
    expect(paymentsOfRenewal(retried)).toHaveLength(1);
    expect(renewalKeys(subscriptionId).every((key) => key === `${subscriptionId}:renewal:2099-04`)).toBe(true);
    expect(renewalKeys(subscriptionId).length).toBe(4);
  });

  it('a revoked mandate: the renewal is refused with a clear reason, the subscription suspended, and nothing charged', async () => {
    const { accountId, subscriptionId, mandateId } = await subscription();
    // Revoked outside the shop, its webhook missed: Paymnt refuses the charge.
    shop.sandbox.setWebhooksEnabled(false);
    try {
      await sandboxClient(shop.sandbox).mandates.revoke(mandateId);
      const refused = await renew(subscriptionId, '2099-05');
      expect(refused).toMatchObject({ outcome: 'refused', detail: expect.stringContaining(`its mandate ${mandateId} is revoked`) });
      expect(paymentsOfRenewal(refused)).toEqual([]);
      expect((await shop.api.order(refused?.orderId as string)).status).toBe('cancelled');
    } finally {
      shop.sandbox.setWebhooksEnabled(true);
    }
    const [subscribed] = (await shop.api.request<{ status: string; suspendedReason: string }[]>('GET', `/accounts/${accountId}/subscriptions`, undefined, shop.api.accountOf(accountId))).body;
    expect(subscribed).toMatchObject({ status: 'suspended', suspendedReason: expect.stringContaining('can no longer be charged') });
    expect(await renew(subscriptionId, '2099-06')).toMatchObject({ outcome: 'skipped', orderId: null, detail: expect.stringContaining('suspended') });
    expect(renewalKeys(subscriptionId)).toEqual([`${subscriptionId}:renewal:2099-05`]);
  });

  it('a card the customer removed in the shop: the renewal is refused before any order or charge', async () => {
    const { accountId, subscriptionId, mandateId } = await subscription();
    await shop.api.revokeCard(accountId, mandateId);
    const refused = await renew(subscriptionId, '2099-07');
    expect(refused).toMatchObject({ outcome: 'refused', orderId: null, detail: expect.stringContaining('can no longer be charged') });
    expect(renewalKeys(subscriptionId)).toEqual([]);
  });

  it('bad input and access: a malformed period is a 400, the run is admin only, subscribing needs a saved card', async () => {
    const bad = await shop.api.request('POST', '/subscriptions/renewals', { period: '2099-13' }, shop.api.admin);
    expect(bad).toMatchObject({ status: 400, body: { message: ['period must be a month such as 2026-12'] } });
    const account = await shop.api.createAccount('nocard@example.com');
    const asCustomer = await shop.api.request('POST', '/subscriptions/renewals', { period: '2099-01' }, shop.api.accountOf(account.body.id));
    expect(asCustomer.status).toBe(403);
    const order = await shop.api.createAccountOrder(account.body.id, [BEANS]);
    const noCard = await shop.api.subscribe(account.body.id, order.body.id);
    expect(noCard.status).toBe(409);
  });
});
