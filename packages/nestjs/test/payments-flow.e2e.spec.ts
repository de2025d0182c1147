import { type INestApplication, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import type { PaymentCreateParams, PaymntClient } from '@paymnt/client';
import { PAYMNT_CLIENT, PaymentsService, PaymntModule, RefundsService } from '@paymnt/nestjs';
import { createPaymntTestingSandbox, type PaymntTestingSandbox } from '@paymnt/nestjs/testing';
import { ADAPTERS, freePort, startApp } from './support/apps';
import { flowAppModule, STYLES } from './support/flow-app';
import { EventRecorder, PaymntHandlers } from './support/recorder';

const WEBHOOK_PATH = 'webhooks/paymnt';

const card = (number: string) => ({ card_number: number, card_exp_month: '10', card_exp_year: '35', card_cvc: '123', card_holder_name: 'Jo Doe' });

function cardPayment(number: string, extra: Partial<PaymentCreateParams> = {}): PaymentCreateParams {
  return {
    amount: 6540,
    currency: 'USD',
    authentication_type: 'no_three_ds',
    payment_method: 'card',
    payment_method_type: 'credit',
    payment_method_data: { card: card(number) },
    ...extra,
  };
}

describe.each(ADAPTERS.flatMap((adapter) => STYLES.map((style) => [adapter, style] as const)))(
  'payments through the services on %s with %s, against the sandbox',
  (adapter, style) => {
    let paymnt: PaymntTestingSandbox;
    let app: INestApplication;
    let url: string;
    let recorder: EventRecorder;
    let payments: PaymentsService;
    let refunds: RefundsService;

    beforeAll(async () => {
      paymnt = await createPaymntTestingSandbox();
      ({ app, url } = await startApp(flowAppModule(style, paymnt.moduleOptions(), WEBHOOK_PATH), adapter));
      paymnt.pointWebhooksAt(`${url}/${WEBHOOK_PATH}`);
      recorder = app.get(EventRecorder);
      payments = app.get(PaymentsService);
      refunds = app.get(RefundsService);
    });

    afterAll(async () => {
      await app?.close();
      await paymnt?.close();
    });

    /** Each transition learned once, and every webhook of it acknowledged by the built-in route accordingly. */
    function expectPublishedOnce(objectId: string, types: string[]): void {
      const calls = recorder.calls.filter((call) => call.handler === 'wildcard' && call.objectId === objectId);
      expect(calls.map((call) => call.type).sort()).toEqual([...types].sort());
      for (const call of calls) {
        const event = paymnt.sandbox.state.listEvents().find((e) => e.objectId === objectId && e.eventType === call.type);
        expect(event?.isDeliverySuccessful).toBe(true);
        const acknowledged = paymnt.sandbox.state
          .listDeliveryAttempts(event!.eventId)
          .filter((attempt) => attempt.isDeliverySuccessful)
          .map((attempt) => JSON.parse(attempt.response.body ?? '{}').outcome);
        // The webhook dispatched it only when the API response did not; otherwise it was a duplicate.
        // (A scheduled retry may also land while a slow first attempt is in flight: a duplicate too.)
        expect(acknowledged.length).toBeGreaterThan(0);
        expect(acknowledged.every((outcome) => outcome === 'dispatched' || outcome === 'duplicate')).toBe(true);
        expect(acknowledged.filter((outcome) => outcome === 'dispatched')).toHaveLength(call.source === 'webhook' ? 1 : 0);
        if (call.source === 'webhook') expect(call.eventId).toBe(event!.eventId);
      }
    }

    it('create, confirm, capture and refund: each state change published once, though the webhooks come too', async () => {
      const created = await payments.create(cardPayment('4242424242424242', { capture_method: 'manual' }));
      expect(created.status).toBe('requires_confirmation');
      const authorized = await payments.confirm(created.payment_id);
      expect(authorized.status).toBe('requires_capture');
      const captured = await payments.capture(created.payment_id);
      expect(captured.status).toBe('succeeded');
      const refund = await refunds.create({ payment_id: created.payment_id, amount: 6540, reason: 'requested_by_customer' });
      expect(refund.status).toBe('succeeded');

      await paymnt.waitForWebhooksAcknowledged();
      expectPublishedOnce(created.payment_id, ['payment_authorized', 'payment_succeeded']);
      expectPublishedOnce(refund.refund_id, ['refund_succeeded']);
      expect(recorder.count({ handler: 'typed', objectId: created.payment_id })).toBe(1);
      expect(recorder.count({ handler: 'typed-refund', objectId: refund.refund_id })).toBe(1);
    });

    it('a payment made without the services reaches the handlers through its verified webhook', async () => {
      const client = app.get<PaymntClient>(PAYMNT_CLIENT);
      const payment = await client.payments.create(cardPayment('4242424242424242', { confirm: true }));
      expect(payment.status).toBe('succeeded');

      await paymnt.waitForWebhooksAcknowledged();
      expect(recorder.count({ handler: 'typed', objectId: payment.payment_id, source: 'webhook' })).toBe(1);
      expectPublishedOnce(payment.payment_id, ['payment_succeeded']);
    });

    it('a declined card is a result, not an exception: payment_failed once', async () => {
      const payment = await payments.create(cardPayment('4000000000000002', { confirm: true }));
      expect(payment.status).toBe('failed');
      await paymnt.waitForWebhooksAcknowledged();
      expectPublishedOnce(payment.payment_id, ['payment_failed']);
    });

    it('cancel after authorization publishes payment_cancelled once', async () => {
      const payment = await payments.create(cardPayment('4242424242424242', { confirm: true, capture_method: 'manual' }));
      const cancelled = await payments.cancel(payment.payment_id, { cancellation_reason: 'requested_by_customer' });
      expect(cancelled.status).toBe('cancelled');
      await paymnt.waitForWebhooksAcknowledged();
      expectPublishedOnce(payment.payment_id, ['payment_authorized', 'payment_cancelled']);
    });

    it('a 3DS card publishes action_required once', async () => {
      const payment = await payments.create(
        cardPayment('4000003800000446', { confirm: true, authentication_type: 'three_ds', return_url: 'https://shop.example/return' }),
      );
      expect(payment.status).toBe('requires_customer_action');
      expect(payment.next_action?.type).toBe('redirect_to_url');
      await paymnt.waitForWebhooksAcknowledged();
      expectPublishedOnce(payment.payment_id, ['action_required']);
    });

    it('a handler that throws answers 500; the sandbox redelivers and the handler runs again', async () => {
      const paymentId = `pay_fail_${Date.now()}${Math.floor(Math.random() * 1000)}`;
      const key = `${paymentId}:payment_succeeded`;
      recorder.failures.set(key, 1);
      const client = app.get<PaymntClient>(PAYMNT_CLIENT);
      await client.payments.create(cardPayment('4242424242424242', { confirm: true, payment_id: paymentId }));

      const [event] = (await paymnt.waitForWebhooksAcknowledged()).filter((e) => e.objectId === paymentId);
      const attempts = paymnt.sandbox.state.listDeliveryAttempts(event.eventId).map((attempt) => ({
        status: attempt.response.status_code,
        code: JSON.parse(attempt.response.body ?? '{}').code,
        outcome: JSON.parse(attempt.response.body ?? '{}').outcome,
      }));
      expect(attempts[0]).toEqual({ status: 500, code: 'handler_failed', outcome: undefined });
      expect(attempts.filter((attempt) => attempt.outcome === 'dispatched')).toHaveLength(1);
      expect(recorder.attempts.get(key)).toBe(2);
      expect(recorder.count({ handler: 'wildcard', objectId: paymentId })).toBe(1);
    });

    it('a handler failing on a service result does not fail the call; the other delivery path runs it again', async () => {
      const paymentId = `pay_svcfail_${Date.now()}${Math.floor(Math.random() * 1000)}`;
      const key = `${paymentId}:payment_succeeded`;
      recorder.failures.set(key, 1);
      const payment = await payments.create(cardPayment('4242424242424242', { confirm: true, payment_id: paymentId }));
      expect(payment.status).toBe('succeeded');

      // Usually the API result fails and the webhook succeeds; if the webhook wins the race, the reverse.
      await paymnt.waitForWebhooksAcknowledged();
      expect(recorder.attempts.get(key)).toBe(2);
      expect(recorder.count({ handler: 'wildcard', objectId: paymentId })).toBe(1);
    });

    it('PaymntExceptionFilter maps the client errors: 404 unknown payment, 400 naming the bad parameter, 400 with the API code', async () => {
      const notFound = await fetch(`${url}/shop/payments/pay_doesnotexist0000000`);
      expect(notFound.status).toBe(404);
      expect(await notFound.json()).toMatchObject({ statusCode: 404, code: 'HE_02' });

      const invalid = await fetch(`${url}/shop/payments/${encodeURIComponent('bad id!')}`);
      expect(invalid.status).toBe(400);
      expect(await invalid.json()).toMatchObject({ statusCode: 400, field: 'payment_id' });

      // The API refuses to capture an automatic-capture payment: its code and message come through.
      const payment = await payments.create(cardPayment('4242424242424242', { confirm: true }));
      const refused = await fetch(`${url}/shop/payments/${payment.payment_id}/capture`, { method: 'POST' });
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({ statusCode: 400, code: 'IR_14', message: expect.stringContaining('could not be captured') });
    });
  },
);

describe('a service call made before the application finished bootstrapping', () => {
  let paymnt: PaymntTestingSandbox | undefined;
  let app: INestApplication | undefined;

  afterEach(async () => {
    await app?.close();
    await paymnt?.close();
  });

  it('is not published to handlers that are not registered yet: its webhook delivers it once they are', async () => {
    const sandbox = await createPaymntTestingSandbox();
    paymnt = sandbox;
    const port = await freePort();
    sandbox.pointWebhooksAt(`http://127.0.0.1:${port}/${WEBHOOK_PATH}`);

    @Injectable()
    class Seeder implements OnModuleInit {
      paymentId?: string;
      constructor(private readonly payments: PaymentsService) {}
      async onModuleInit(): Promise<void> {
        this.paymentId = (await this.payments.create(cardPayment('4242424242424242', { confirm: true }))).payment_id;
      }
    }
    @Module({
      imports: [EventEmitterModule.forRoot({ wildcard: true }), PaymntModule.forRoot(sandbox.moduleOptions(WEBHOOK_PATH))],
      providers: [EventRecorder, PaymntHandlers, Seeder],
    })
    class SeededAppModule {}

    ({ app } = await startApp(SeededAppModule, 'express', { port }));
    await sandbox.waitForWebhooksAcknowledged();
    const paymentId = app.get(Seeder).paymentId!;
    expect(app.get(EventRecorder).count({ handler: 'typed', objectId: paymentId, source: 'webhook' })).toBe(1);
  });
});
