import { type INestApplication, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { PaymntClient, type PaymentCreateParams } from '@paymnt/client';
import { EventsService, PaymntModule, PaymntReconciliationService } from '@paymnt/nestjs';
import { createPaymntTestingSandbox, type PaymntTestingSandbox } from '@paymnt/nestjs/testing';
import { ADAPTERS, freePort, startApp } from './support/apps';
import { EventRecorder, PaymntHandlers } from './support/recorder';

const WEBHOOK_PATH = 'webhooks/paymnt';

const cardPayment: PaymentCreateParams = {
  amount: 6540,
  currency: 'USD',
  confirm: true,
  authentication_type: 'no_three_ds',
  payment_method: 'card',
  payment_method_data: { card: { card_number: '4242424242424242', card_exp_month: '10', card_exp_year: '35', card_cvc: '123' } },
};

describe.each(ADAPTERS)('redeliverMissed: webhooks missed during an outage come back through the webhook route (%s)', (adapter) => {
  let paymnt: PaymntTestingSandbox;
  let app: INestApplication;
  let appUrl: string;
  /** Creates payments as another system would: nothing published by the app's own services. */
  let shop: PaymntClient;

  beforeEach(async () => {
    // The real retry schedule (first retry after 1 min): only redeliverMissed resends during the test.
    paymnt = await createPaymntTestingSandbox({ webhookRetryTimeScale: 1 });
    @Module({
      imports: [EventEmitterModule.forRoot({ wildcard: true }), PaymntModule.forRoot(paymnt.moduleOptions(WEBHOOK_PATH))],
      providers: [EventRecorder, PaymntHandlers],
    })
    class OutageAppModule {}
    const started = await startApp(OutageAppModule, adapter);
    app = started.app;
    appUrl = `${started.url}/${WEBHOOK_PATH}`;
    paymnt.pointWebhooksAt(appUrl);
    shop = new PaymntClient({ apiKey: paymnt.sandbox.apiKey, baseUrl: paymnt.sandbox.url });
  });

  afterEach(async () => {
    await shop.close();
    await app.close();
    await paymnt.close();
  });

  it('each missed event reaches the @OnPaymntEvent handler exactly once', async () => {
    const recorder = app.get(EventRecorder);
    const reconciliation = app.get(PaymntReconciliationService);
    const events = app.get(EventsService);
    const typedRuns = (paymentId: string): number => recorder.count({ handler: 'typed', objectId: paymentId });

    // Before the outage: delivered as usual.
    const before = await shop.payments.create(cardPayment);
    await paymnt.waitForWebhooksAcknowledged();
    expect(typedRuns(before.payment_id)).toBe(1);
    const since = new Date();

    // Outage 1: the API sends nothing (webhooks switched off).
    paymnt.sandbox.setWebhooksEnabled(false);
    const switchedOff = await shop.payments.create(cardPayment);
    // Outage 2: webhooks go out but the endpoint is unreachable.
    paymnt.sandbox.setWebhooksEnabled(true);
    paymnt.pointWebhooksAt(`http://127.0.0.1:${await freePort()}/${WEBHOOK_PATH}`);
    const unreachable = [await shop.payments.create(cardPayment), await shop.payments.create(cardPayment)];
    await paymnt.sandbox.waitForWebhooks();
    const missedIds = [switchedOff, ...unreachable].map((p) => p.payment_id);
    for (const id of missedIds) expect(typedRuns(id)).toBe(0);
    expect((await events.list({ is_delivered: false })).totalCount).toBe(3);

    // Still down: nothing delivered, every event reported as still missed.
    const stillDown = await reconciliation.redeliverMissed({ since });
    expect(stillDown).toMatchObject({ missed: 3, delivered: 0, failed: 3, errors: 0 });
    expect(stillDown.eventIds).toHaveLength(3);

    // Back up.
    paymnt.pointWebhooksAt(appUrl);
    const recovered = await reconciliation.redeliverMissed({ since });
    expect(recovered).toEqual({ missed: 3, delivered: 3, failed: 0, errors: 0, eventIds: [] });
    for (const id of missedIds) {
      expect(typedRuns(id)).toBe(1);
      // Through the verified webhook route, not published by the service.
      expect(recorder.calls.find((c) => c.handler === 'typed' && c.objectId === id)?.source).toBe('webhook');
    }
    expect(typedRuns(before.payment_id)).toBe(1);

    // Nothing left; a repeated manual retry is de-duplicated by the route.
    expect(await reconciliation.redeliverMissed({ since })).toEqual({ missed: 0, delivered: 0, failed: 0, errors: 0, eventIds: [] });
    const [first] = (await events.list({ object_id: switchedOff.payment_id })).data;
    const again = await events.retry(first!.event_id);
    expect(again.response.status_code).toBe(200);
    // initial (switched off), still down, recovered, again.
    const attempts = await events.listAttempts(first!.event_id);
    expect(attempts.map((a) => [a.delivery_attempt, a.response.status_code])).toEqual([
      ['initial_attempt', null],
      ['manual_retry', null],
      ['manual_retry', 200],
      ['manual_retry', 200],
    ]);
    for (const id of missedIds) expect(typedRuns(id)).toBe(1);
  });

  it('checks its options', async () => {
    const reconciliation = app.get(PaymntReconciliationService);
    await expect(reconciliation.redeliverMissed({ since: new Date('nope') })).rejects.toMatchObject({ option: 'since' });
    await expect(reconciliation.redeliverMissed({ since: new Date(), maxEvents: 0 })).rejects.toMatchObject({ option: 'maxEvents' });
  });
});
