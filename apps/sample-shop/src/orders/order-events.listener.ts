import { Injectable, Logger } from '@nestjs/common';
import { type DisputeEvent, OnPaymntEvent, PaymntEvents, type PaymentEvent, type RefundEvent } from '@paymnt/nestjs';
import type { Order } from './order';
import { applyDisputeEvent, applyPaymentEvent, applyRefundEvent, paymentReference, type TransitionResult } from './order-transitions';
import { OrdersRepository } from './orders.repository';

/**
 * The ONLY place where an order's payment state changes. `@paymnt/nestjs` calls these handlers
 * with verified webhooks and with the results of `PaymentsService` / `RefundsService` calls,
 * once per transition (a redelivered webhook, or one learned both ways, is dropped by the
 * module). The transition rules check the order's own history and amounts too, so a replayed or
 * out-of-order event changes nothing even without the module's de-duplication.
 *
 * Finding the order: by the `order_id` the shop put in the payment's (or refund's) metadata
 * first, then by the payment id it stored. The metadata matters because an event can come before
 * the shop has stored the payment id: the event published inside `payments.create({ confirm: true })`
 * always does, and a fast webhook can too.
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
    const order = this.orderOf(event.payment.payment_id, event.payment.metadata);
    if (order === undefined) {
      this.ignore(event, event.payment.payment_id);
      return;
    }
    // Throws OrderNotReadyError (a PaymntRetryLaterError) for an attempt the order has not recorded yet.
    const result = applyPaymentEvent(order, event);
    if (result.applied) this.orders.save(order);
    this.report(order.id, event, result);
  }

  @OnPaymntEvent(PaymntEvents.REFUND_SUCCEEDED)
  @OnPaymntEvent(PaymntEvents.REFUND_FAILED)
  onRefundEvent(event: RefundEvent): void {
    const order = this.orderOf(event.refund.payment_id, event.refund.metadata);
    if (order === undefined) {
      this.ignore(event, event.refund.payment_id);
      return;
    }
    const result = applyRefundEvent(order, event);
    if (result.applied) this.orders.save(order);
    this.report(order.id, event, result);
  }

  /**
   * A chargeback on one of the shop's payments: `dispute_opened` flags the order (the shop then
   * submits evidence or accepts, see `ChargebacksService`), and the outcome settles it. A dispute
   * names its payment only; the order is found by the payment id it stored when it was paid.
   */
  @OnPaymntEvent([
    PaymntEvents.DISPUTE_OPENED,
    PaymntEvents.DISPUTE_CHALLENGED,
    PaymntEvents.DISPUTE_ACCEPTED,
    PaymntEvents.DISPUTE_EXPIRED,
    PaymntEvents.DISPUTE_WON,
    PaymntEvents.DISPUTE_LOST,
    PaymntEvents.DISPUTE_CANCELLED,
  ])
  onDisputeEvent(event: DisputeEvent): void {
    const order = this.orders.findByPaymentId(event.dispute.payment_id);
    if (order === undefined) {
      this.ignore(event, event.dispute.payment_id);
      return;
    }
    const result = applyDisputeEvent(order, event);
    if (result.applied) this.orders.save(order);
    this.report(order.id, event, result);
  }

  private orderOf(paymentId: string, metadata: unknown): Order | undefined {
    const reference = paymentReference(metadata);
    return (reference === undefined ? undefined : this.orders.findById(reference.orderId)) ?? this.orders.findByPaymentId(paymentId);
  }

  /**
   * No order has this payment, and its metadata names none the shop has. Acknowledged rather than
   * retried (PaymntRetryLaterError would have Paymnt redeliver it for a day): the shop stores each
   * order before creating any payment for it, so an order it does not have now never appears. Such
   * a payment was made outside the shop (the dashboard, another app on the same profile).
   */
  private ignore(event: PaymentEvent | RefundEvent | DisputeEvent, paymentId: string): void {
    this.logger.warn(`${event.type} for payment ${paymentId}: no order of this shop has this payment, ignored`);
  }

  private report(orderId: string, event: PaymentEvent | RefundEvent | DisputeEvent, result: TransitionResult): void {
    const what = `${event.type} (${event.source}, ${event.eventId})`;
    if (result.applied) {
      const amount = result.entry.amount === undefined ? '' : `, amount ${result.entry.amount}`;
      this.logger.log(`${orderId} ${what} applied → ${result.entry.status}${amount}`);
    } else {
      this.logger.log(`${orderId} ${what} changed nothing: ${result.reason}`);
    }
  }
}
