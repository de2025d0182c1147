import { sandboxClient } from '../src/demo/scenarios';
import { BEANS, CARDS, MUG, startTestShop, type TestShop } from './support/test-shop';

const EVIDENCE = { productDescription: '1 kg of coffee beans', shippingCarrier: 'DHL', shippingTrackingNumber: 'JD0146000033', note: 'Delivered and signed for' };

/**
 * A chargeback on a shipped order, through the shop's HTTP API against the embedded sandbox: the
 * dispute webhook flags the order, the shop challenges or accepts it, and the outcome settles it.
 */
describe('sample shop: chargebacks', () => {
  let shop: TestShop;

  beforeAll(async () => {
    shop = await startTestShop();
  });

  afterAll(async () => {
    await shop?.close();
  });

  /** A shipped (captured) order paid with the plain card, and a dispute opened on it through the sandbox. */
  async function disputedOrder(amount?: number): Promise<{ orderId: string; paymentId: string; disputeId: string }> {
    const order = await shop.authorizedOrder([BEANS]);
    await shop.api.ship(order.id);
    const dispute = shop.sandbox.openDispute(order.paymentId, amount === undefined ? {} : { amount });
    const disputed = await shop.waitForStatus(order.id, 'disputed');
    if (disputed.status !== 'disputed') throw new Error(`the order is ${disputed.status}`);
    return { orderId: order.id, paymentId: order.paymentId, disputeId: dispute.dispute_id };
  }

  const disputeEvents = (disputeId: string): [string, boolean | null][] =>
    shop.sandbox.state
      .listEvents()
      .filter((e) => e.objectId === disputeId)
      .map((e) => [e.eventType, e.isDeliverySuccessful]);

  it('the dispute card: shipped, then charged back; the shop challenges with the receipt and wins', async () => {
    const order = await shop.newOrder([BEANS, MUG]);
    const paid = await shop.api.pay(order.id, CARDS.dispute);
    expect(paid.body.order.status).toBe('authorized');
    const shipped = await shop.api.ship(order.id);
    expect(shipped.body.status).toBe('paid');

    const disputed = await shop.waitForStatus(order.id, 'disputed');
    expect(disputed).toMatchObject({
      status: 'disputed',
      capturedAmount: 3650,
      refundableAmount: 0,
      dispute: { status: 'dispute_opened', amount: 3650, reason: 'fraudulent' },
    });
    expect(disputed.history.at(-1)).toMatchObject({ type: 'dispute_opened', source: 'webhook', status: 'disputed', amount: 3650 });
    const disputeId = disputed.dispute?.disputeId as string;

    const challenged = await shop.api.submitEvidence(order.id, EVIDENCE);
    expect(challenged.status).toBe(200);
    expect(challenged.body).toMatchObject({ status: 'dispute_challenged', dispute: { disputeId, status: 'dispute_challenged' } });
    expect(challenged.body.history.at(-1)).toMatchObject({ type: 'dispute_challenged', source: 'api' });
    const evidence = await sandboxClient(shop.sandbox).disputes.retrieveEvidence(disputeId);
    expect(evidence).toEqual([expect.objectContaining({ evidence_type: 'receipt', file_metadata_response: expect.objectContaining({ file_type: 'application/pdf' }) })]);
    expect(shop.sandbox.state.getDispute(disputeId)?.dispute_status).toBe('dispute_challenged');

    await shop.sandbox.settleDispute(disputeId, 'won');
    const won = await shop.waitForStatus(order.id, 'paid');
    expect(won).toMatchObject({ status: 'paid', capturedAmount: 3650, chargedBackAmount: 0, refundableAmount: 3650, dispute: { status: 'dispute_won' } });
    await shop.settle();
    expect(disputeEvents(disputeId)).toEqual([
      ['dispute_opened', true],
      ['dispute_challenged', true],
      ['dispute_won', true],
    ]);
    // dispute_challenged was learned from the API answer; its webhook was a duplicate.
    expect(shop.handlerRuns(order.id, 'dispute_challenged')).toBe(1);
  });

  it('challenged and lost: the order is charged back for the disputed amount, and can no longer be refunded', async () => {
    const { orderId, disputeId } = await disputedOrder(1000);
    await shop.api.submitEvidence(orderId, { productDescription: 'Coffee beans' });
    await shop.sandbox.settleDispute(disputeId, 'lost');
    const lost = await shop.waitForStatus(orderId, 'charged_back');
    expect(lost).toMatchObject({ status: 'charged_back', capturedAmount: 2400, chargedBackAmount: 1000, refundableAmount: 0, dispute: { status: 'dispute_lost', amount: 1000 } });
    expect((await shop.api.refund(orderId)).status).toBe(409);
  });

  it('accepted by the shop: charged back at once, from the API answer', async () => {
    const { orderId, disputeId } = await disputedOrder();
    const accepted = await shop.api.acceptDispute(orderId);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'charged_back', chargedBackAmount: 2400, dispute: { disputeId, status: 'dispute_accepted' } });
    await shop.settle();
    expect(disputeEvents(disputeId)).toEqual([
      ['dispute_opened', true],
      ['dispute_accepted', true],
    ]);
  });

  it('not answered in time (expired): charged back; cancelled by the bank: paid again', async () => {
    const expired = await disputedOrder();
    await shop.sandbox.settleDispute(expired.disputeId, 'expired');
    expect(await shop.waitForStatus(expired.orderId, 'charged_back')).toMatchObject({ chargedBackAmount: 2400, dispute: { status: 'dispute_expired' } });

    const cancelled = await disputedOrder();
    await shop.sandbox.settleDispute(cancelled.disputeId, 'cancelled');
    expect(await shop.waitForStatus(cancelled.orderId, 'paid')).toMatchObject({ chargedBackAmount: 0, dispute: { status: 'dispute_cancelled' } });
  });

  it('a dispute on a partly refunded order goes back to partially_refunded when won', async () => {
    const order = await shop.authorizedOrder([BEANS]);
    await shop.api.ship(order.id);
    await shop.api.refund(order.id, 400);
    const dispute = shop.sandbox.openDispute(order.paymentId, { amount: 2000 });
    await shop.waitForStatus(order.id, 'disputed');
    await shop.sandbox.settleDispute(dispute.dispute_id, 'won');
    expect(await shop.waitForStatus(order.id, 'partially_refunded')).toMatchObject({ refundedAmount: 400, refundableAmount: 2000 });
  });

  it("answers that do not fit the dispute's state are 409; bad evidence 400; customers may not answer", async () => {
    const shipped = await shop.authorizedOrder([MUG]);
    await shop.api.ship(shipped.id);
    const noDispute = await shop.api.submitEvidence(shipped.id, EVIDENCE);
    expect(noDispute).toMatchObject({ status: 409, body: { message: expect.stringContaining('with no open dispute') } });

    const { orderId } = await disputedOrder();
    const empty = await shop.api.request('POST', `/orders/${orderId}/dispute/evidence`, { productDescription: '' }, shop.api.admin);
    expect(empty).toMatchObject({ status: 400, body: { message: ['productDescription should not be empty'] } });
    const unknownField = await shop.api.request('POST', `/orders/${orderId}/dispute/evidence`, { ...EVIDENCE, receipt: 'file_x' }, shop.api.admin);
    expect(unknownField.status).toBe(400);
    const asCustomer = await shop.api.request('POST', `/orders/${orderId}/dispute/accept`, {}, shop.api.customerOf(orderId));
    expect(asCustomer.status).toBe(403);

    await shop.api.submitEvidence(orderId, EVIDENCE);
    const acceptAfter = await shop.api.acceptDispute(orderId);
    expect(acceptAfter).toMatchObject({ status: 409, body: { message: expect.stringContaining('is dispute_challenged') } });
  });

  it('a dispute webhook delivered again is applied once', async () => {
    const { orderId, disputeId } = await disputedOrder();
    await shop.settle();
    const before = await shop.api.order(orderId);
    const [opened] = shop.sandbox.state.listEvents().filter((e) => e.objectId === disputeId && e.eventType === 'dispute_opened');
    const attempt = await sandboxClient(shop.sandbox).events.retry(opened.eventId);
    expect(attempt.response.status_code).toBe(200);
    expect(attempt.response.body).toContain('duplicate');
    expect(await shop.api.order(orderId)).toEqual(before);
    expect(shop.handlerRuns(orderId, 'dispute_opened')).toBe(1);
  });
});
