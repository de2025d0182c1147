import { CARDS } from '../../src/demo/scenarios';
import { ShopApi } from '../../src/demo/shop-api';
import { Timeline } from '../../src/demo/timeline';
import { type LocalShop, startLocalShop } from '../../src/local/local-shop';
import type { Payment } from '@paymnt/client';
import type { OrderItem, OrderStatus, OrderView } from '../../src/orders/order';

export { CARDS };

/** The shop on the embedded sandbox, with a silent timeline as its logger so tests can count handler runs. */
export interface TestShop extends LocalShop {
  api: ShopApi;
  timeline: Timeline;
  /** How many times the order handler ran for this order and event type (applied or not). */
  handlerRuns(orderId: string, eventType: string): number;
  /** Waits until no webhook delivery is in flight. */
  settle(): Promise<void>;
  waitForStatus(orderId: string, status: OrderStatus, timeoutMs?: number): Promise<OrderView>;
  /** A new order for `items` (one mug by default). */
  newOrder(items?: OrderItem[]): Promise<OrderView>;
  /** A new order paid with the plain test card: `authorized`. */
  authorizedOrder(items?: OrderItem[]): Promise<AuthorizedOrder>;
  /** The payments the sandbox holds for an order (by the `order_id` of their metadata), in the order they were created. */
  paymentsOf(orderId: string): Payment[];
}

/** An order that has its payment. */
export type AuthorizedOrder = OrderView & { paymentId: string };

export const MUG: OrderItem = { name: 'Ceramic mug', quantity: 1, unitAmount: 1250 };
export const BEANS: OrderItem = { name: 'Coffee beans, 1 kg', quantity: 1, unitAmount: 2400 };

export async function startTestShop(options: { adapter?: 'express' | 'fastify' } = {}): Promise<TestShop> {
  const timeline = new Timeline(() => undefined);
  const local = await startLocalShop({ logger: timeline, adapter: options.adapter });
  const api = new ShopApi(local.shopUrl, timeline, local.adminToken);
  const shop: TestShop = {
    ...local,
    api,
    timeline,
    handlerRuns: (orderId, eventType) => timeline.find('event', `${orderId} ${eventType} (`).length,
    settle: () => local.sandbox.waitForWebhooks(),
    async waitForStatus(orderId, status, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const order = await api.order(orderId);
        if (order.status === status || Date.now() > deadline) return order;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async newOrder(items = [MUG]) {
      const { status, body } = await api.createOrder(items);
      if (status !== 201) throw new Error(`POST /orders answered ${status}`);
      return body;
    },
    async authorizedOrder(items = [MUG]) {
      const order = await shop.newOrder(items);
      const { body } = await api.pay(order.id, CARDS.success);
      const { paymentId } = body.order;
      if (body.order.status !== 'authorized' || paymentId === null) throw new Error(`paying gave ${body.order.status}`);
      await shop.settle();
      return { ...body.order, paymentId };
    },
    paymentsOf: (orderId) =>
      local.sandbox.state
        .listPayments()
        .filter((payment) => (payment.metadata as { order_id?: unknown } | null)?.order_id === orderId),
  };
  return shop;
}
