import { CATALOGUE } from '../checkout/checkout.page';
import { type EventListItem, PaymntClient } from '@paymnt/client';
import type { Sandbox } from '@paymnt/sandbox';
import { answerThreeDsChallenge } from '../local/three-ds-challenge';
import type { OrderItem, OrderStatus, OrderView } from '../orders/order';
import type { DemoCard, ShopApi } from './shop-api';
import type { Timeline } from './timeline';

/** The sandbox's test cards (PAYMNT_API.md section 7). */
export const CARDS = {
  success: { number: '4242424242424242', expMonth: '12', expYear: '2030', cvc: '123' },
  threeDs: { number: '4000003800000446', expMonth: '12', expYear: '2030', cvc: '123' },
  decline: { number: '4000000000000002', expMonth: '12', expYear: '2030', cvc: '123' },
  /** Succeeds; once captured, the sandbox opens a chargeback on it (`disputeDelayMs` later). */
  dispute: { number: '4000000000000259', expMonth: '12', expYear: '2030', cvc: '123' },
} as const satisfies Record<string, DemoCard>;

const [BEANS, MUG, FILTERS] = CATALOGUE;
const line = (product: (typeof CATALOGUE)[number], quantity: number): OrderItem => ({ name: product.name, quantity, unitAmount: product.unitAmount });

export interface DemoContext {
  shop: ShopApi;
  timeline: Timeline;
  /** The embedded sandbox; undefined against the real Paymnt API. */
  sandbox: Sandbox | undefined;
  /** Labels of the orders created, for the ledger. */
  labels: Map<string, string>;
  /** The account of the saved-card scenarios, once scenario 10 made it. */
  saved?: { accountId: string; orderId: string; mandateId: string; subscriptionId?: string };
}

export interface Scenario {
  title: string;
  /** Needs the embedded sandbox (its 3DS page, or its events API). */
  sandboxOnly?: boolean;
  run(ctx: DemoContext): Promise<void>;
}

/** A step that did not end as expected. */
export class ExpectationError extends Error {}

function expectEqual<T>(actual: T, expected: T, what: string): void {
  if (actual !== expected) throw new ExpectationError(`${what}: expected ${String(expected)}, got ${String(actual)}`);
}

function expectThat(condition: boolean, what: string): asserts condition {
  if (!condition) throw new ExpectationError(what);
}

/** Waits for the sandbox's webhooks in flight to be delivered (nothing to wait for against the real API). */
async function settle(ctx: DemoContext): Promise<void> {
  await ctx.sandbox?.waitForWebhooks();
}

/** Polls the order until it has `status` (the webhook moved it), for at most `timeoutMs`. */
async function waitForStatus(ctx: DemoContext, orderId: string, status: OrderStatus, timeoutMs = 5000): Promise<OrderView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const order = await ctx.shop.order(orderId);
    if (order.status === status) return order;
    if (Date.now() > deadline) throw new ExpectationError(`order ${orderId} should be ${status} within ${timeoutMs} ms; it is ${order.status}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function newOrder(ctx: DemoContext, label: string, items: OrderItem[]): Promise<OrderView> {
  const { status, body } = await ctx.shop.createOrder(items);
  expectEqual(status, 201, 'POST /orders');
  expectEqual(body.status, 'pending_payment', 'new order');
  ctx.labels.set(body.id, label);
  return body;
}

async function payAuthorized(ctx: DemoContext, order: OrderView): Promise<OrderView> {
  const { status, body } = await ctx.shop.pay(order.id, CARDS.success);
  expectEqual(status, 200, 'pay');
  expectEqual(body.redirectUrl, null, 'a plain card needs no redirect');
  expectEqual(body.order.status, 'authorized', 'order after paying');
  expectEqual(body.order.authorizedAmount, order.amount, 'authorized amount');
  await settle(ctx);
  return body.order;
}

async function threeDs(ctx: DemoContext, answer: 'complete' | 'reject', label: string): Promise<OrderView> {
  const order = await newOrder(ctx, label, [line(MUG, 2)]);
  const paid = await ctx.shop.pay(order.id, CARDS.threeDs);
  expectEqual(paid.body.order.status, 'requires_action', 'order after paying with the 3DS card');
  expectThat(typeof paid.body.redirectUrl === 'string', 'the shop returns the 3DS redirect URL');
  await settle(ctx);
  const returnUrl = await answerThreeDsChallenge(paid.body.redirectUrl as string, answer);
  const returnPath = new URL(returnUrl).pathname;
  ctx.timeline.add('customer', `clicks "${answer === 'complete' ? 'Complete' : 'Reject'} Payment" on the sandbox's 3DS page → 302 to ${returnPath}?… (signed)`);
  expectEqual(returnPath, `/checkout/return/${order.id}`, 'the 3DS page sends the customer back to the shop');
  const page = await fetch(returnUrl);
  const html = await page.text();
  const verified = html.includes('data-verified="true"');
  ctx.timeline.add('customer', `GET ${returnPath} → ${page.status} (redirect signature ${verified ? 'verified' : 'REFUSED'})`);
  expectEqual(page.status, 200, 'the return page');
  expectThat(verified, 'the return page verifies the redirect signature');
  await settle(ctx);
  return order;
}

/** Posts a body as given (one too deep for `JSON.stringify` to build), and puts the answer on the timeline. */
async function postRaw(ctx: DemoContext, path: string, body: string): Promise<number> {
  const response = await fetch(`${ctx.shop.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const answer = (await response.json()) as { message?: string };
  ctx.timeline.add('shop', `POST ${path} (${(body.length / 1024).toFixed(0)} KB of nested arrays) → ${response.status} ${answer.message ?? ''}`);
  return response.status;
}

/** Every flow of the sample, in order. Each asserts the states it expects. */
export const SCENARIOS: Scenario[] = [
  {
    title: '1. Plain card, then ship everything',
    async run(ctx) {
      const order = await newOrder(ctx, 'card + ship', [line(BEANS, 2), line(MUG, 1)]);
      await payAuthorized(ctx, order);
      const shipped = await ctx.shop.ship(order.id);
      expectEqual(shipped.body.status, 'paid', 'order after shipping');
      expectEqual(shipped.body.capturedAmount, order.amount, 'captured');
      await settle(ctx);
    },
  },
  {
    title: '2. 3DS card, challenge completed',
    sandboxOnly: true,
    async run(ctx) {
      const order = await threeDs(ctx, 'complete', '3DS completed');
      const authorized = await waitForStatus(ctx, order.id, 'authorized');
      expectEqual(authorized.authorizedAmount, order.amount, 'authorized amount');
      const viaWebhook = authorized.history.find((entry) => entry.type === 'payment_authorized');
      ctx.timeline.add('note', `the order turned authorized from the ${viaWebhook?.source ?? 'unknown'} event`);
    },
  },
  {
    title: '3. 3DS card, challenge rejected',
    sandboxOnly: true,
    async run(ctx) {
      const order = await threeDs(ctx, 'reject', '3DS rejected');
      const failed = await waitForStatus(ctx, order.id, 'payment_failed');
      expectEqual(failed.authorizedAmount, 0, 'nothing authorized');
    },
  },
  {
    title: '4. Declined card, then an expired one, then a good one pays the order',
    async run(ctx) {
      const order = await newOrder(ctx, 'declined, then paid', [line(FILTERS, 3)]);
      const { status, body } = await ctx.shop.pay(order.id, CARDS.decline);
      expectEqual(status, 200, 'a decline is answered 200');
      expectEqual(body.order.status, 'payment_failed', 'order after the decline');
      expectThat(typeof body.order.failureReason === 'string', 'the decline reason is kept');
      await settle(ctx);
      // Each attempt has its own idempotency key (…:pay:1, :2, :3): a new card is a new request.
      const expired = await ctx.shop.pay(order.id, { ...CARDS.success, expYear: '2019' });
      expectEqual(expired.status, 400, "Paymnt's refusal of an expired card");
      const paid = await ctx.shop.pay(order.id, CARDS.success);
      expectEqual(paid.status, 200, 'paying with a good card');
      expectEqual(paid.body.order.status, 'authorized', 'order after the good card');
      expectEqual(paid.body.order.paymentAttempt, 3, 'attempts');
      await settle(ctx);
      if (ctx.sandbox !== undefined) {
        const payments = ctx.sandbox.state.listPayments().filter((p) => (p.metadata as { order_id?: string } | null)?.order_id === order.id);
        expectEqual(payments.length, 2, 'payments created (the expired card created none)');
        ctx.timeline.add('note', `${order.id}: ${payments.map((p) => p.status).join(', ')}; only the last one can be captured`);
      }
    },
  },
  {
    title: '5. Partial capture: ship what is in stock',
    async run(ctx) {
      const order = await newOrder(ctx, 'partial capture', [line(BEANS, 3), line(MUG, 2)]);
      await payAuthorized(ctx, order);
      const tooMuch = await ctx.shop.ship(order.id, order.amount + 1);
      expectEqual(tooMuch.status, 400, 'capturing more than authorized');
      const inStock = 2 * BEANS.unitAmount + 2 * MUG.unitAmount;
      const shipped = await ctx.shop.ship(order.id, inStock);
      expectEqual(shipped.body.status, 'paid', 'order after a partial capture');
      expectEqual(shipped.body.capturedAmount, inStock, 'captured');
      expectEqual(shipped.body.capturableAmount, 0, 'the rest of the authorization is released');
      await settle(ctx);
    },
  },
  {
    title: '6. Void: cancel before shipping',
    async run(ctx) {
      const order = await newOrder(ctx, 'void', [line(MUG, 1)]);
      await payAuthorized(ctx, order);
      const cancelled = await ctx.shop.cancel(order.id);
      expectEqual(cancelled.body.status, 'cancelled', 'order after the void');
      expectEqual(cancelled.body.authorizedAmount, 0, 'authorization released');
      await settle(ctx);
      const ship = await ctx.shop.ship(order.id);
      expectEqual(ship.status, 409, 'shipping a cancelled order');
    },
  },
  {
    title: '7. Partial, then full refund',
    async run(ctx) {
      const order = await newOrder(ctx, 'refunds', [line(BEANS, 1), line(FILTERS, 2)]);
      await payAuthorized(ctx, order);
      await ctx.shop.ship(order.id);
      await settle(ctx);
      const tooMuch = await ctx.shop.refund(order.id, order.amount + 1);
      expectEqual(tooMuch.status, 400, 'refunding more than captured');
      const partial = await ctx.shop.refund(order.id, 1000);
      expectEqual(partial.status, 201, 'partial refund');
      expectEqual(partial.body.order.status, 'partially_refunded', 'order after the partial refund');
      expectEqual(partial.body.order.refundedAmount, 1000, 'refunded');
      await settle(ctx);
      const rest = await ctx.shop.refund(order.id);
      expectEqual(rest.body.order.status, 'refunded', 'order after refunding the rest');
      expectEqual(rest.body.order.refundedAmount, order.amount, 'refunded');
      await settle(ctx);
    },
  },
  {
    title: '8. Bad or unauthorized requests are 4xx with a clear message',
    async run(ctx) {
      const mismatch = await ctx.shop.request('POST', '/orders', { amount: 100, currency: 'USD', items: [line(MUG, 1)] });
      expectEqual(mismatch.status, 400, 'an amount that is not the items total');
      const negative = await ctx.shop.request('POST', '/orders', { amount: -5, currency: 'usd', items: [] });
      expectEqual(negative.status, 400, 'a negative amount');
      const deep = await postRaw(ctx, '/orders', `{"amount":1250,"currency":"USD","items":${'['.repeat(20_000)}${']'.repeat(20_000)}}`);
      expectEqual(deep, 400, '40 KB of nested arrays');
      const unknown = await ctx.shop.request('GET', '/orders/ord_unknown', undefined, ctx.shop.admin);
      expectEqual(unknown.status, 404, 'an unknown order');
      const order = await newOrder(ctx, 'bad card number', [line(FILTERS, 1)]);
      const badCard = await ctx.shop.pay(order.id, { ...CARDS.success, number: '1234' });
      expectEqual(badCard.status, 400, 'a malformed card number');
      const anonymous = await ctx.shop.request('GET', `/orders/${order.id}`);
      expectEqual(anonymous.status, 401, 'reading an order without its token');
      const other = await newOrder(ctx, 'another customer', [line(MUG, 1)]);
      const someoneElse = await ctx.shop.request('GET', `/orders/${order.id}`, undefined, ctx.shop.customerOf(other.id));
      expectEqual(someoneElse.status, 403, "reading an order with another order's token");
      const customerShips = await ctx.shop.request('POST', `/orders/${order.id}/cancel`, {}, ctx.shop.customerOf(order.id));
      expectEqual(customerShips.status, 403, 'an admin action with a customer token');
    },
  },
  {
    title: '9. A webhook delivered twice is applied once',
    sandboxOnly: true,
    async run(ctx) {
      const sandbox = ctx.sandbox as Sandbox;
      const [orderId] = [...ctx.labels].find(([, label]) => label === 'card + ship') ?? [];
      expectThat(orderId !== undefined, 'scenario 1 created an order');
      const before = await ctx.shop.order(orderId as string);
      const events = await sandboxEvents(sandbox, before.paymentId);
      const event = events.find((e) => e.event_type === 'payment_succeeded');
      expectThat(event?.is_delivery_successful === true, 'the payment_succeeded webhook was delivered');
      const runsBefore = ctx.timeline.find('event', orderId as string, 'payment_succeeded').length;
      ctx.timeline.add('sandbox', `resend ${event.event_id} (payment_succeeded) through the events API (manual retry)`);
      const attempt = await sandboxClient(sandbox).events.retry(event.event_id);
      ctx.timeline.add('sandbox', `the shop answered ${attempt.response.status_code} ${attempt.response.body}`);
      const status = attempt.response.status_code ?? 0;
      expectThat(status >= 200 && status < 300, 'the shop acknowledges the duplicate with a 2xx');
      expectThat(attempt.response.body?.includes('duplicate') === true, 'the shop recognised it as a duplicate');
      const after = await ctx.shop.order(orderId as string);
      expectEqual(ctx.timeline.find('event', orderId as string, 'payment_succeeded').length, runsBefore, 'handler runs for the event');
      expectEqual(JSON.stringify(after), JSON.stringify(before), 'the order after the duplicate');
      ctx.timeline.add('note', `${orderId} unchanged: ${after.status}, captured ${after.capturedAmount}, ${after.history.length} events in its history`);
    },
  },
];

/** The month after this one, `YYYY-MM`: the period the demo's renewal run charges. */
function nextPeriod(): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString().slice(0, 7);
}

function savedAccount(ctx: DemoContext): NonNullable<DemoContext['saved']> {
  expectThat(ctx.saved !== undefined, 'scenario 10 saved a card');
  return ctx.saved;
}

/** A shipped order paid with `card`: `paid`. */
async function shippedOrder(ctx: DemoContext, label: string, card: DemoCard): Promise<OrderView> {
  const order = await newOrder(ctx, label, [line(BEANS, 1), line(MUG, 1)]);
  const paid = await ctx.shop.pay(order.id, card);
  expectEqual(paid.body.order.status, 'authorized', 'order after paying');
  const shipped = await ctx.shop.ship(order.id);
  expectEqual(shipped.body.status, 'paid', 'order after shipping');
  return shipped.body;
}

const EVIDENCE = { productDescription: '1 kg of coffee beans and a ceramic mug', shippingCarrier: 'DHL', shippingTrackingNumber: 'JD0146000033', note: 'Delivered and signed for' };

/** Saved cards, renewals and chargebacks (scenarios 10 to 14). */
export const MERCHANT_SCENARIOS: Scenario[] = [
  {
    title: '10. "Save my card" at checkout, then a one-click reorder charged off-session with the mandate',
    async run(ctx) {
      const account = await ctx.shop.createAccount('ada@example.com');
      expectEqual(account.status, 201, 'POST /accounts');
      const accountId = account.body.id;
      const order = await ctx.shop.createAccountOrder(accountId, [line(BEANS, 1)]);
      expectEqual(order.status, 201, 'an order of the account');
      ctx.labels.set(order.body.id, 'card saved');
      const paid = await ctx.shop.pay(order.body.id, CARDS.success, { saveCard: true });
      expectEqual(paid.body.order.status, 'authorized', 'order after paying with "save my card"');
      await settle(ctx);
      const [card] = (await ctx.shop.account(accountId)).body.savedCards;
      expectThat(card !== undefined && card.status === 'active', 'the account has an active saved card');
      ctx.timeline.add('note', `${accountId} keeps card •••• ${card.last4 ?? '?'}: mandate ${card.mandateId}, payment method ${card.paymentMethodId} (no card data)`);
      await ctx.shop.ship(order.body.id);

      const reorder = await ctx.shop.reorder(accountId, order.body.id);
      expectEqual(reorder.status, 201, 'one-click reorder');
      expectEqual(reorder.body.status, 'authorized', 'the reorder, charged to the saved card');
      ctx.labels.set(reorder.body.id, 'one-click reorder');
      const shipped = await ctx.shop.ship(reorder.body.id);
      expectEqual(shipped.body.status, 'paid', 'the reorder after shipping');
      if (ctx.sandbox !== undefined) {
        const payment = ctx.sandbox.state.getPayment(reorder.body.paymentId as string);
        expectEqual(payment?.off_session, true, 'the reorder payment is off-session');
        expectEqual(payment?.mandate_id, card.mandateId, "the reorder payment's mandate");
      }
      await settle(ctx);
      ctx.saved = { accountId, orderId: order.body.id, mandateId: card.mandateId };
    },
  },
  {
    title: '11. A subscription renewed next month by a merchant-initiated charge; the run retried charges once',
    async run(ctx) {
      const saved = savedAccount(ctx);
      const subscribed = await ctx.shop.subscribe(saved.accountId, saved.orderId);
      expectEqual(subscribed.status, 201, 'subscribing to the order');
      saved.subscriptionId = subscribed.body.id;
      const period = nextPeriod();
      ctx.timeline.add('note', `the monthly job runs the renewals of ${period} (key ${subscribed.body.id}:renewal:${period})`);
      const first = await ctx.shop.renewals(period);
      const renewal = first.body.results.find((r) => r.subscriptionId === subscribed.body.id);
      expectEqual(renewal?.outcome, 'charged', 'the renewal');
      const orderId = renewal?.orderId as string;
      ctx.labels.set(orderId, `renewal ${period}`);
      expectEqual((await ctx.shop.order(orderId)).status, 'paid', 'the renewal order (captured at once)');
      ctx.timeline.add('note', 'the job runs again for the same month (a retry after a crash)');
      const again = await ctx.shop.renewals(period);
      expectEqual(again.body.results.find((r) => r.subscriptionId === subscribed.body.id)?.outcome, 'already_renewed', 'the retried renewal');
      if (ctx.sandbox !== undefined) {
        const charges = ctx.sandbox.state.listPayments().filter((p) => (p.metadata as { order_id?: string } | null)?.order_id === orderId);
        expectEqual(charges.length, 1, 'payments of the renewal');
      }
      await settle(ctx);
    },
  },
  {
    title: '12. The customer removes the saved card: the reorder and the next renewal are refused with a clear reason',
    async run(ctx) {
      const saved = savedAccount(ctx);
      const revoked = await ctx.shop.revokeCard(saved.accountId, saved.mandateId);
      expectEqual(revoked.status, 200, 'removing the card');
      expectEqual(revoked.body.savedCards.find((c) => c.mandateId === saved.mandateId)?.status, 'revoked', 'the card after removal');
      await settle(ctx);
      const reorder = await ctx.shop.reorder(saved.accountId, saved.orderId);
      expectEqual(reorder.status, 409, 'a reorder with the removed card');
      const renewal = (await ctx.shop.renewals('2099-12')).body.results.find((r) => r.subscriptionId === saved.subscriptionId);
      expectEqual(renewal?.outcome, 'refused', 'the renewal with the removed card');
      if (renewal?.orderId) ctx.labels.set(renewal.orderId, 'renewal refused');
    },
  },
  {
    title: '13. A chargeback on a shipped order: flagged, the shop submits the receipt as evidence, and wins',
    sandboxOnly: true,
    async run(ctx) {
      const sandbox = ctx.sandbox as Sandbox;
      const order = await shippedOrder(ctx, 'chargeback won', CARDS.dispute);
      ctx.timeline.add('note', 'the dispute card: the cardholder disputes the charge once captured');
      const disputed = await waitForStatus(ctx, order.id, 'disputed');
      expectEqual(disputed.dispute?.amount, order.amount, 'disputed amount');
      const challenged = await ctx.shop.submitEvidence(order.id, EVIDENCE);
      expectEqual(challenged.body.status, 'dispute_challenged', 'order after submitting evidence');
      ctx.timeline.add('sandbox', `the issuer decides ${disputed.dispute?.disputeId}: won`);
      await sandbox.settleDispute(disputed.dispute?.disputeId as string, 'won');
      const won = await waitForStatus(ctx, order.id, 'paid');
      expectEqual(won.chargedBackAmount, 0, 'charged back');
      await settle(ctx);
    },
  },
  {
    title: '14. Chargebacks the shop loses: one accepted, one challenged and lost',
    sandboxOnly: true,
    async run(ctx) {
      const sandbox = ctx.sandbox as Sandbox;
      const accepted = await shippedOrder(ctx, 'chargeback accepted', CARDS.success);
      const opened = sandbox.openDispute(accepted.paymentId as string, { reason: 'product_not_received' });
      ctx.timeline.add('sandbox', `dispute ${opened.dispute_id} opened on ${accepted.paymentId} (product_not_received)`);
      await waitForStatus(ctx, accepted.id, 'disputed');
      const answer = await ctx.shop.acceptDispute(accepted.id);
      expectEqual(answer.body.status, 'charged_back', 'order after accepting');
      expectEqual(answer.body.chargedBackAmount, accepted.amount, 'charged back');

      const lost = await shippedOrder(ctx, 'chargeback lost', CARDS.success);
      const dispute = sandbox.openDispute(lost.paymentId as string, { amount: 1000 });
      ctx.timeline.add('sandbox', `dispute ${dispute.dispute_id} opened on ${lost.paymentId} for 1000`);
      await waitForStatus(ctx, lost.id, 'disputed');
      await ctx.shop.submitEvidence(lost.id, EVIDENCE);
      ctx.timeline.add('sandbox', `the issuer decides ${dispute.dispute_id}: lost`);
      await sandbox.settleDispute(dispute.dispute_id, 'lost');
      const charged = await waitForStatus(ctx, lost.id, 'charged_back');
      expectEqual(charged.chargedBackAmount, 1000, 'charged back');
      await settle(ctx);
    },
  },
  {
    title: "15. Checkout in the browser: the card goes to Paymnt with the publishable key, never to the shop's server",
    sandboxOnly: true,
    async run(ctx) {
      const order = await newOrder(ctx, 'paid in the browser', [line(BEANS, 1)]);
      const { status, body } = await ctx.shop.checkout(order.id);
      expectEqual(status, 200, 'POST /orders/:id/checkout');
      expectThat(body.publishableKey.startsWith('pk_'), 'the page gets the publishable key, not the secret one');
      // What the checkout page's script does: the card straight to Paymnt's API, with the payment's client secret.
      const response = await fetch(`${body.apiBaseUrl}/payments/${encodeURIComponent(body.paymentId)}/confirm`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'api-key': body.publishableKey },
        body: JSON.stringify({
          client_secret: body.clientSecret,
          payment_method: 'card',
          payment_method_type: 'credit',
          payment_method_data: { card: { card_number: CARDS.success.number, card_exp_month: '12', card_exp_year: '2030', card_cvc: '123' } },
        }),
      });
      const payment = (await response.json()) as { status?: string };
      ctx.timeline.add('customer', `POST ${new URL(body.apiBaseUrl).host}/payments/${body.paymentId}/confirm (publishable key, card) → ${response.status} ${payment.status ?? ''}`);
      expectEqual(payment.status, 'requires_capture', 'payment confirmed in the browser');
      const authorized = await waitForStatus(ctx, order.id, 'authorized');
      expectEqual(authorized.history.at(-1)?.source, 'webhook', 'the shop learns the outcome from the webhook');
      await settle(ctx);
    },
  },
];

/** The events API of the embedded sandbox through the typed client, as a shop would call Paymnt's. */
export function sandboxClient(sandbox: Sandbox): PaymntClient {
  return new PaymntClient({ apiKey: sandbox.apiKey, baseUrl: sandbox.url, merchantId: sandbox.merchantId });
}

/** Every event the sandbox keeps (optionally about one object), newest first. */
export async function sandboxEvents(sandbox: Sandbox, objectId?: string | null): Promise<EventListItem[]> {
  const events: EventListItem[] = [];
  const list = sandboxClient(sandbox).events.list(objectId == null ? { limit: 100 } : { object_id: objectId });
  for await (const event of list) events.push(event);
  return events;
}
