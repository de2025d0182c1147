import { Injectable } from '@nestjs/common';
import type { Order } from './order';

/**
 * Orders kept in memory: this is a sample. A real shop stores them in its database, and applies
 * each payment event in a transaction that also records the event (see the README).
 */
@Injectable()
export class OrdersRepository {
  private readonly orders = new Map<string, Order>();
  private readonly byPaymentId = new Map<string, string>();

  save(order: Order): void {
    this.orders.set(order.id, order);
    // Earlier attempts' payments stay indexed: their late events find the order and change nothing.
    if (order.paymentId !== null) this.byPaymentId.set(order.paymentId, order.id);
  }

  findById(id: string): Order | undefined {
    return this.orders.get(id);
  }

  findByPaymentId(paymentId: string): Order | undefined {
    const id = this.byPaymentId.get(paymentId);
    return id === undefined ? undefined : this.orders.get(id);
  }

  /** Newest first. */
  list(): Order[] {
    return [...this.orders.values()].reverse();
  }
}
