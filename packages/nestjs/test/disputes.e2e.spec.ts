import { type INestApplication, Injectable, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import type { PaymentCreateParams } from '@paymnt/client';
import {
  DisputeEvent,
  type DisputeOpenedEvent,
  DisputesService,
  OnPaymntEvent,
  PaymentsService,
  PaymntEvents,
  type DisputeAcceptedEvent,
  type DisputeChallengedEvent,
  type DisputeWonEvent,
} from '@paymnt/nestjs';
import { createPaymntTestingSandbox, type PaymntTestingSandbox } from '@paymnt/nestjs/testing';
import { ADAPTERS, startApp } from './support/apps';
import { paymntImport } from './support/flow-app';
import { EventRecorder, PaymntHandlers } from './support/recorder';

const WEBHOOK_PATH = 'webhooks/paymnt';
const PDF = Buffer.from('%PDF-1.4\nnest evidence\n');

/** Typed handlers for the dispute events: what an app writes. */
@Injectable()
class DisputeHandlers {
  readonly received: DisputeEvent[] = [];

  @OnPaymntEvent(PaymntEvents.DISPUTE_OPENED)
  onOpened(event: DisputeOpenedEvent): void {
    this.received.push(event);
  }

  @OnPaymntEvent(PaymntEvents.DISPUTE_CHALLENGED)
  onChallenged(event: DisputeChallengedEvent): void {
    this.received.push(event);
  }

  @OnPaymntEvent(PaymntEvents.DISPUTE_WON)
  onWon(event: DisputeWonEvent): void {
    this.received.push(event);
  }

  @OnPaymntEvent(PaymntEvents.DISPUTE_ACCEPTED)
  onAccepted(event: DisputeAcceptedEvent): void {
    this.received.push(event);
  }
}

function cardPayment(number: string): PaymentCreateParams {
  return {
    amount: 6540,
    currency: 'USD',
    confirm: true,
    capture_method: 'automatic',
    authentication_type: 'no_three_ds',
    payment_method: 'card',
    payment_method_data: { card: { card_number: number, card_exp_month: '10', card_exp_year: '35', card_cvc: '123' } },
  };
}

async function waitUntil<T>(read: () => T | undefined, timeoutMs = 5_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.each(ADAPTERS)('DisputesService and dispute webhooks on %s, against the sandbox', (adapter) => {
  let paymnt: PaymntTestingSandbox;
  let app: INestApplication;
  let recorder: EventRecorder;
  let handlers: DisputeHandlers;
  let disputes: DisputesService;
  let payments: PaymentsService;

  beforeAll(async () => {
    paymnt = await createPaymntTestingSandbox({ disputeDelayMs: 10 });
    @Module({
      imports: [EventEmitterModule.forRoot({ wildcard: true }), paymntImport('forRoot', paymnt.moduleOptions(), WEBHOOK_PATH)],
      providers: [EventRecorder, PaymntHandlers, DisputeHandlers],
    })
    class DisputesAppModule {}
    let url: string;
    ({ app, url } = await startApp(DisputesAppModule, adapter));
    paymnt.pointWebhooksAt(`${url}/${WEBHOOK_PATH}`);
    recorder = app.get(EventRecorder);
    handlers = app.get(DisputeHandlers);
    disputes = app.get(DisputesService);
    payments = app.get(PaymentsService);
  });

  afterAll(async () => {
    await app?.close();
    await paymnt?.close();
  });

  /** Each dispute transition reached the handlers once; every webhook of it was acknowledged (dispatched or duplicate). */
  function expectPublishedOnce(disputeId: string, types: string[]): void {
    const calls = recorder.calls.filter((call) => call.handler === 'wildcard' && call.objectId === disputeId);
    expect(calls.map((call) => call.type).sort()).toEqual([...types].sort());
    for (const call of calls) {
      const event = paymnt.sandbox.state.listEvents().find((e) => e.objectId === disputeId && e.eventType === call.type);
      expect(event?.isDeliverySuccessful).toBe(true);
      const outcomes = paymnt.sandbox.state
        .listDeliveryAttempts(event!.eventId)
        .filter((attempt) => attempt.isDeliverySuccessful)
        .map((attempt) => JSON.parse(attempt.response.body ?? '{}').outcome);
      expect(outcomes.filter((outcome) => outcome === 'dispatched')).toHaveLength(call.source === 'webhook' ? 1 : 0);
    }
    expect(handlers.received.filter((e) => e.dispute.dispute_id === disputeId).map((e) => e.type).sort()).toEqual([...types].sort());
  }

  it('the dispute card: dispute_opened arrives as a verified, typed webhook; evidence and submit through the service; dispute_won by webhook', async () => {
    const payment = await payments.create(cardPayment('4000000000000259'));
    const opened = await waitUntil(() => handlers.received.find((e) => e.dispute.payment_id === payment.payment_id && e.type === 'dispute_opened'));
    expect(opened).toBeInstanceOf(DisputeEvent);
    expect(opened).toMatchObject({ source: 'webhook', instance: 'default', dispute: { dispute_status: 'dispute_opened', amount: '6540' } });
    expect(opened.raw?.content.type).toBe('dispute_details');
    const disputeId = opened.dispute.dispute_id;

    expect(await disputes.retrieve(disputeId)).toMatchObject({ dispute_id: disputeId, dispute_status: 'dispute_opened' });
    expect((await disputes.list({ dispute_status: 'dispute_opened' })).map((d) => d.dispute_id)).toContain(disputeId);
    const file = await disputes.attachEvidence({ dispute_id: disputeId, evidence_type: 'receipt', file: PDF, file_name: 'receipt.pdf' });
    const extra = await disputes.attachEvidence({ dispute_id: disputeId, evidence_type: 'uncategorized_file', file: PDF });
    expect(await disputes.deleteEvidence({ dispute_id: disputeId, evidence_type: 'uncategorized_file' })).toEqual({});
    expect((await disputes.retrieveEvidence(disputeId)).map((b) => b.file_metadata_response.file_id)).toEqual([file.file_id]);
    expect(extra.file_id).not.toBe(file.file_id);

    const challenged = await disputes.submitEvidence({ dispute_id: disputeId, receipt: file.file_id, product_description: 'Mug' });
    expect(challenged.dispute_status).toBe('dispute_challenged');
    const apiEvent = handlers.received.find((e) => e.dispute.dispute_id === disputeId && e.type === 'dispute_challenged');
    expect(apiEvent?.source).toBe('api');

    await paymnt.sandbox.settleDispute(disputeId, 'won');
    await paymnt.waitForWebhooksAcknowledged();
    expectPublishedOnce(disputeId, ['dispute_opened', 'dispute_challenged', 'dispute_won']);
    expect(JSON.stringify(disputes)).not.toContain(paymnt.sandbox.apiKey);
  });

  it('accept publishes dispute_accepted once (from the API response; its webhook is a duplicate)', async () => {
    const payment = await payments.create(cardPayment('4242424242424242'));
    const { dispute_id } = paymnt.sandbox.openDispute(payment.payment_id, { amount: 1000 });
    await paymnt.waitForWebhooksAcknowledged();
    const accepted = await disputes.accept(dispute_id);
    expect(accepted.dispute_status).toBe('dispute_accepted');
    await paymnt.waitForWebhooksAcknowledged();
    expectPublishedOnce(dispute_id, ['dispute_opened', 'dispute_accepted']);
    expect(handlers.received.find((e) => e.dispute.dispute_id === dispute_id && e.type === 'dispute_accepted')?.source).toBe('api');
    await expect(disputes.accept(dispute_id)).rejects.toMatchObject({ statusCode: 400, code: 'HE_03' });
  });

  it('a dispute handler that throws answers 500; the sandbox redelivers and the handler runs again, dispatched once', async () => {
    const payment = await payments.create(cardPayment('4242424242424242'));
    const { dispute_id } = paymnt.sandbox.openDispute(payment.payment_id);
    // Delivery starts on the next turn of the event loop: the failure is planned before it.
    const key = `${dispute_id}:dispute_opened`;
    recorder.failures.set(key, 1);
    const [event] = (await paymnt.waitForWebhooksAcknowledged()).filter((e) => e.objectId === dispute_id);
    const attempts = paymnt.sandbox.state.listDeliveryAttempts(event!.eventId).map((attempt) => ({
      status: attempt.response.status_code,
      code: JSON.parse(attempt.response.body ?? '{}').code,
      outcome: JSON.parse(attempt.response.body ?? '{}').outcome,
    }));
    expect(attempts[0]).toEqual({ status: 500, code: 'handler_failed', outcome: undefined });
    expect(attempts.filter((attempt) => attempt.outcome === 'dispatched')).toHaveLength(1);
    expect(recorder.attempts.get(key)).toBe(2);
    expect(recorder.count({ handler: 'wildcard', objectId: dispute_id, type: 'dispute_opened' })).toBe(1);
    // At least once: the other handler of the event ran in the failed attempt and runs again with the redelivery.
    expect(handlers.received.filter((e) => e.dispute.dispute_id === dispute_id).map((e) => e.eventId)).toEqual([event!.eventId, event!.eventId]);
  });
});
