import { type INestApplication, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import type { CaptureMethod, Payment } from '@paymnt/client';
import { PaymentsService, PaymntModule, type PaymntModuleOptions, PaymntReconciliationService, RedisPaymentTracker } from '@paymnt/nestjs';
import { createPaymntTestingSandbox, type PaymntTestingSandbox } from '@paymnt/nestjs/testing';
import Redis from 'ioredis';
import { startApp } from './support/apps';
import { EventRecorder, PaymntHandlers } from './support/recorder';
import { describeWithRedis, REDIS_HOST, REDIS_PORT, uniquePrefix } from './support/redis';

const THREE_DS_CARD = '4000003800000446';

/** A browser's GET that does not follow redirects. */
async function browse(url: string): Promise<{ status: number; location: string | null; html: string }> {
  const response = await fetch(url, { redirect: 'manual' });
  return { status: response.status, location: response.headers.get('location'), html: await response.text() };
}

/** The customer passes the sandbox's 3DS page: redirect URL → challenge page → "Complete Payment". */
async function completeChallenge(payment: Payment): Promise<void> {
  const redirect = (payment.next_action as { redirect_to_url?: string } | null)?.redirect_to_url;
  if (redirect === undefined) throw new Error(`payment ${payment.payment_id} has no redirect_to_url`);
  const hop = await browse(redirect);
  expect(hop.status).toBe(302);
  const pageUrl = new URL(hop.location!, redirect).toString();
  const page = await browse(pageUrl);
  expect(page.html).toContain('Complete Payment');
  const form = /<form id="complete-form" method="get" action="([^"]+)"><input type="hidden" name="confirm" value="(true|false)">/.exec(page.html);
  if (form === null) throw new Error('no "Complete Payment" form on the challenge page');
  const action = new URL(form[1]!.replace(/&amp;/g, '&'), pageUrl);
  action.searchParams.set('confirm', form[2]!);
  const done = await browse(action.toString());
  expect(done.status).toBeLessThan(400);
}

function threeDsPayment(payments: PaymentsService, captureMethod: CaptureMethod): Promise<Payment> {
  return payments.create({
    amount: 6540,
    currency: 'USD',
    confirm: true,
    capture_method: captureMethod,
    authentication_type: 'three_ds',
    payment_method: 'card',
    payment_method_data: { card: { card_number: THREE_DS_CARD, card_exp_month: '10', card_exp_year: '30', card_cvc: '123' } },
    return_url: 'https://shop.example/checkout/return',
  });
}

async function startReconcilingApp(paymnt: PaymntTestingSandbox, reconciliation: PaymntModuleOptions['reconciliation']): Promise<INestApplication> {
  @Module({
    imports: [EventEmitterModule.forRoot({ wildcard: true }), PaymntModule.forRoot({ ...paymnt.moduleOptions(), reconciliation })],
    providers: [EventRecorder, PaymntHandlers],
  })
  class ReconcilingAppModule {}
  return (await startApp(ReconcilingAppModule, 'express')).app;
}

describe('reconciliation of pending payments (sandbox webhooks switched off)', () => {
  let paymnt: PaymntTestingSandbox;
  let app: INestApplication | undefined;

  beforeEach(async () => {
    paymnt = await createPaymntTestingSandbox();
    paymnt.sandbox.setWebhooksEnabled(false);
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
    await paymnt.close();
  });

  it('publishes the events the dropped webhooks carried, once; a handler failure is retried by the next pass', async () => {
    app = await startReconcilingApp(paymnt, { pendingAfterMs: 0 });
    const payments = app.get(PaymentsService);
    const reconciliation = app.get(PaymntReconciliationService);
    const recorder = app.get(EventRecorder);
    const runs = (paymentId: string, type: string): number => recorder.count({ handler: 'wildcard', objectId: paymentId, type });

    const automatic = await threeDsPayment(payments, 'automatic');
    const manual = await threeDsPayment(payments, 'manual');
    const flaky = await threeDsPayment(payments, 'automatic');
    const abandoned = await threeDsPayment(payments, 'automatic');
    for (const payment of [automatic, manual, flaky, abandoned]) expect(payment.status).toBe('requires_customer_action');
    recorder.failures.set(`${flaky.payment_id}:payment_succeeded`, 1);
    await completeChallenge(automatic);
    await completeChallenge(manual);
    await completeChallenge(flaky);
    expect(paymnt.sandbox.state.getPayment(automatic.payment_id)?.status).toBe('succeeded');
    expect(paymnt.sandbox.state.getPayment(manual.payment_id)?.status).toBe('requires_capture');

    // The sandbox recorded the transitions, but no webhook left it: the app has not heard of them.
    await paymnt.sandbox.waitForWebhooks();
    expect(paymnt.sandbox.state.listEvents().map((event) => event.eventType)).toEqual(expect.arrayContaining(['payment_succeeded', 'payment_authorized']));
    const sent = paymnt.sandbox.state.listDeliveryAttempts().filter((attempt) => attempt.isDeliverySuccessful !== null || attempt.response.status_code !== null);
    expect(sent).toHaveLength(0);
    expect(runs(automatic.payment_id, 'payment_succeeded')).toBe(0);
    expect(runs(manual.payment_id, 'payment_authorized')).toBe(0);

    const first = await reconciliation.reconcileNow();
    expect(first).toEqual({ checked: 4, dispatched: 2, duplicates: 1, settled: 2, pending: 2, errors: 0 });
    expect(runs(automatic.payment_id, 'payment_succeeded')).toBe(1);
    expect(runs(manual.payment_id, 'payment_authorized')).toBe(1);
    expect(runs(flaky.payment_id, 'payment_succeeded')).toBe(0);
    expect(recorder.attempts.get(`${flaky.payment_id}:payment_succeeded`)).toBe(1);

    const second = await reconciliation.reconcileNow();
    expect(second).toEqual({ checked: 2, dispatched: 1, duplicates: 1, settled: 1, pending: 1, errors: 0 });
    expect(runs(flaky.payment_id, 'payment_succeeded')).toBe(1);

    // Only the abandoned challenge is still watched, and its action_required was published at creation.
    const third = await reconciliation.reconcileNow();
    expect(third).toEqual({ checked: 1, dispatched: 0, duplicates: 1, settled: 0, pending: 1, errors: 0 });
    for (const payment of [automatic, manual, flaky]) {
      expect(recorder.count({ handler: 'wildcard', objectId: payment.payment_id })).toBe(2); // action_required + the final one
    }
    expect(recorder.count({ handler: 'wildcard', objectId: abandoned.payment_id })).toBe(1);
    process.stdout.write(
      `reconciliation: 4 3DS payments, webhooks off (${sent.length} deliveries); passes: ${JSON.stringify(first)}, ${JSON.stringify(second)}, ${JSON.stringify(third)}\n`,
    );
  });

  it('runs passes on its own every intervalMs (unref\'d timer, cleared on close)', async () => {
    app = await startReconcilingApp(paymnt, { pendingAfterMs: 0, intervalMs: 20 });
    const recorder = app.get(EventRecorder);
    const payment = await threeDsPayment(app.get(PaymentsService), 'automatic');
    await completeChallenge(payment);
    const deadline = Date.now() + 10_000;
    while (recorder.count({ handler: 'wildcard', objectId: payment.payment_id, type: 'payment_succeeded' }) === 0) {
      if (Date.now() > deadline) throw new Error('the timer never published payment_succeeded');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(recorder.count({ handler: 'wildcard', objectId: payment.payment_id, type: 'payment_succeeded' })).toBe(1);
  });
});

describeWithRedis('reconciliation with a RedisPaymentTracker shared by two instances', () => {
  it('a payment created by one instance is reconciled by the other, once', async () => {
    const paymnt = await createPaymntTestingSandbox();
    paymnt.sandbox.setWebhooksEnabled(false);
    const prefix = uniquePrefix('reconcile');
    const redis = new Redis({ host: REDIS_HOST, port: REDIS_PORT });
    const tracker = new RedisPaymentTracker(redis, { keyPrefix: prefix });
    const a = await startReconcilingApp(paymnt, { pendingAfterMs: 0, tracker });
    const b = await startReconcilingApp(paymnt, { pendingAfterMs: 0, tracker });
    try {
      const payment = await threeDsPayment(a.get(PaymentsService), 'automatic');
      await completeChallenge(payment);
      expect(await tracker.size()).toBe(1);
      expect(await b.get(PaymntReconciliationService).reconcileNow()).toMatchObject({ checked: 1, dispatched: 1, settled: 1 });
      expect(await a.get(PaymntReconciliationService).reconcileNow()).toMatchObject({ checked: 0, dispatched: 0 });
      expect(await tracker.size()).toBe(0);
      expect(b.get(EventRecorder).count({ handler: 'wildcard', objectId: payment.payment_id, type: 'payment_succeeded' })).toBe(1);
    } finally {
      await a.close();
      await b.close();
      await paymnt.close();
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    }
  });
});
