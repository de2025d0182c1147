import { type INestApplication, Injectable, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import type { PaymentCreateParams } from '@paymnt/client';
import { OnPaymntEvent, PaymentsService, type PaymentSucceededEvent, PaymntEvents, PaymntModule, PaymntRetryLaterError } from '@paymnt/nestjs';
import { buildWebhookEvent, createPaymntTestingSandbox, type PaymntTestingSandbox, sendSignedWebhook } from '@paymnt/nestjs/testing';
import { ADAPTERS, startApp } from './support/apps';

const WEBHOOK_PATH = 'webhooks/paymnt';

/** The shop's orders: each knows its payment id only once the caller has stored it, or finds it by the payment's metadata. */
@Injectable()
class Orders {
  readonly paymentIds = new Map<string, string>();
  readonly paid = new Map<string, number>();
  readonly attempts: Array<{ source: string; outcome: 'applied' | 'retry_later' }> = [];

  /** By the stored payment id (what loses updates if the handler just returned when it is not stored yet). */
  findByPaymentId(paymentId: string): string | undefined {
    return [...this.paymentIds].find(([, id]) => id === paymentId)?.[0];
  }
}

@Injectable()
class PaidListener {
  constructor(private readonly orders: Orders) {}

  @OnPaymntEvent(PaymntEvents.PAYMENT_SUCCEEDED)
  paid(event: PaymentSucceededEvent): void {
    const metadata = event.payment.metadata as { order_id?: string } | null | undefined;
    const orderId = metadata?.order_id ?? this.orders.findByPaymentId(event.payment.payment_id);
    if (orderId === undefined) {
      this.orders.attempts.push({ source: event.source, outcome: 'retry_later' });
      throw new PaymntRetryLaterError(`no order stored for ${event.payment.payment_id} yet`);
    }
    this.orders.attempts.push({ source: event.source, outcome: 'applied' });
    this.orders.paid.set(orderId, (this.orders.paid.get(orderId) ?? 0) + 1);
  }
}

function card(extra: Partial<PaymentCreateParams> = {}): PaymentCreateParams {
  return {
    amount: 2500,
    currency: 'USD',
    confirm: true,
    authentication_type: 'no_three_ds',
    payment_method: 'card',
    payment_method_type: 'credit',
    payment_method_data: {
      card: { card_number: '4242424242424242', card_exp_month: '10', card_exp_year: '35', card_cvc: '123', card_holder_name: 'Jo Doe' },
    },
    ...extra,
  };
}

describe.each(ADAPTERS)('a handler that cannot apply an event yet, on %s', (adapter) => {
  let paymnt: PaymntTestingSandbox;
  let app: INestApplication;
  let url: string;
  let orders: Orders;
  let payments: PaymentsService;

  beforeAll(async () => {
    paymnt = await createPaymntTestingSandbox();
    @Module({
      imports: [EventEmitterModule.forRoot({ wildcard: true }), PaymntModule.forRoot(paymnt.moduleOptions(WEBHOOK_PATH))],
      providers: [Orders, PaidListener],
    })
    class AppModule {}
    ({ app, url } = await startApp(AppModule, adapter));
    paymnt.pointWebhooksAt(`${url}/${WEBHOOK_PATH}`);
    orders = app.get(Orders);
    payments = app.get(PaymentsService);
  });

  afterAll(async () => {
    await app?.close();
    await paymnt?.close();
  });

  it('runs again from the webhook after throwing PaymntRetryLaterError inside payments.create(), and applies once', async () => {
    const payment = await payments.create(card());
    // The handler ran inside create(), before this line could store the payment id: it said "later".
    expect(orders.attempts).toEqual([{ source: 'api', outcome: 'retry_later' }]);
    orders.paymentIds.set('order-1', payment.payment_id);

    await paymnt.waitForWebhooksAcknowledged();
    expect(orders.paid.get('order-1')).toBe(1);
    expect(orders.attempts.filter((a) => a.outcome === 'applied')).toEqual([{ source: 'webhook', outcome: 'applied' }]);
    // A redelivery of the acknowledged webhook is a duplicate: still applied once.
    const event = paymnt.sandbox.state.listEvents().find((e) => e.objectId === payment.payment_id && e.eventType === 'payment_succeeded');
    expect(event?.isDeliverySuccessful).toBe(true);
    orders.attempts.length = 0;
  });

  it('finds its record from the payment itself (metadata set at create) and applies once, with no retry', async () => {
    const payment = await payments.create(card({ metadata: { order_id: 'order-2' } }));
    expect(orders.paid.get('order-2')).toBe(1);
    await paymnt.waitForWebhooksAcknowledged();
    expect(orders.paid.get('order-2')).toBe(1);
    expect(orders.attempts).toEqual([{ source: 'api', outcome: 'applied' }]);
    expect(payment.metadata).toEqual({ order_id: 'order-2' });
    orders.attempts.length = 0;
  });

  it('answers 503 handler_retry_later to a webhook whose handler cannot apply it yet, then 200 once it can', async () => {
    const created = await payments.create(card({ metadata: { order_id: 'order-3' } }));
    await paymnt.waitForWebhooksAcknowledged();
    // The same transition for a payment no order knows (no metadata, no stored id): later.
    const orphan = buildWebhookEvent('payment_succeeded', { ...created, payment_id: 'pay_orphan0000000000001', metadata: null });
    const first = await sendSignedWebhook(`${url}/${WEBHOOK_PATH}`, orphan, paymnt.sandbox.webhookSecret);
    expect(first.status).toBe(503);
    expect(first.body).toMatchObject({ code: 'handler_retry_later', eventId: orphan.event_id });
    orders.paymentIds.set('order-4', 'pay_orphan0000000000001');
    const second = await sendSignedWebhook(`${url}/${WEBHOOK_PATH}`, orphan, paymnt.sandbox.webhookSecret);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ outcome: 'dispatched' });
    expect(orders.paid.get('order-4')).toBe(1);
  });
});
