/**
 * Thrown by an event handler that cannot apply an event yet, most often because the record it
 * belongs to is not stored yet (a webhook that overtakes the API answer, or an `api` event
 * published inside `payments.create()` before the caller has saved the payment id):
 *
 * ```ts
 * @OnPaymntEvent(PaymntEvents.PAYMENT_SUCCEEDED)
 * async paid(event: PaymentSucceededEvent) {
 *   const order = await this.orders.findByPaymentReference(event.payment);
 *   if (!order) throw new PaymntRetryLaterError(`no order for ${event.payment.payment_id} yet`);
 *   await this.orders.markPaid(order);
 * }
 * ```
 *
 * The transition is not marked done (its claim is released): a webhook is answered 503 so the
 * API delivers it again, an intake job is retried after its backoff, and an event published by a
 * service call is left to the webhook of the same transition. Logged as a warning, not an error.
 * Returning from a handler without applying the event marks it done: throw this instead.
 */
export class PaymntRetryLaterError extends Error {
  constructor(reason = 'the event cannot be applied yet') {
    super(reason);
    this.name = 'PaymntRetryLaterError';
  }
}
