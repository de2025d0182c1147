import { Injectable, Logger } from '@nestjs/common';
import { OnPaymntEvent, PaymntEvents, type PaymentEvent, type RefundEvent } from '@paymnt/nestjs';
import { applyPaymentEvent, applyRefundEvent, type TransitionResult } from './order-transitions';
import { OrdersRepository } from './orders.repository';

/**
 * The ONLY place where an order's payment state changes. `@paymnt/nestjs` calls these handlers
 * with verified webhooks and with the results of `PaymentsService` / `RefundsService` calls,
 * once per transition (a redelivered webhook, or one learned both ways, is dropped by the
 * module). The transition rules check the order's own history and amounts too, so a replayed or
 * out-of-order event changes nothing even without the module's de-duplication.
 */
@Injectable()
export class OrderEventsListener {
  private readonly logger = new Logger('OrderEvents');

  constructor(private readonly orders: OrdersRepository) {}

  @OnPaymntEvent(PaymntEvents.ACTION_REQUIRED)
  @OnPaymntEvent(PaymntEvents.PAYMENT_AUTHORIZED)
  @OnPaymntEvent(PaymntEvents.PAYMENT_CAPTURED)
  @OnPaymntEvent(PaymntEvents.PAYMENT_SUCCEEDED)
  @OnPaymntEvent(PaymntEvents.PAYMENT_FAILED)
  @OnPaymntEvent(PaymntEvents.PAYMENT_CANCELLED)
  onPaymentEvent(event: PaymentEvent): void {
    const order = this.orders.findByPaymentId(event.payment.payment_id);
    if (order === undefined) {
      this.logger.warn(`${event.type} for payment ${event.payment.payment_id}: no order has this payment, ignored`);
      return;
    }
    const result = applyPaymentEvent(order, event);
    if (result.applied) this.orders.save(order);
    this.report(order.id, event, result);
  }

  @OnPaymntEvent(PaymntEvents.REFUND_SUCCEEDED)
  @OnPaymntEvent(PaymntEvents.REFUND_FAILED)
  onRefundEvent(event: RefundEvent): void {
    const order = this.orders.findByPaymentId(event.refund.payment_id);
    if (order === undefined) {
      this.logger.warn(`${event.type} for payment ${event.refund.payment_id}: no order has this payment, ignored`);
      return;
    }
    const result = applyRefundEvent(order, event);
    if (result.applied) this.orders.save(order);
    this.report(order.id, event, result);
  }

  private report(orderId: string, event: PaymentEvent | RefundEvent, result: TransitionResult): void {
    const what = `${event.type} (${event.source}, ${event.eventId})`;
    if (result.applied) {
      const amount = result.entry.amount === undefined ? '' : `, amount ${result.entry.amount}`;
      this.logger.log(`${orderId} ${what} applied → ${result.entry.status}${amount}`);
    } else {
      this.logger.log(`${orderId} ${what} changed nothing: ${result.reason}`);
    }
  }
}
