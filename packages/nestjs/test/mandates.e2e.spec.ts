import type { INestApplication } from '@nestjs/common';
import type { CustomerAcceptance, PaymentCreateParams } from '@paymnt/client';
import { MandatesService, PaymentMethodsService, PaymentsService } from '@paymnt/nestjs';
import { createPaymntTestingSandbox, type PaymntTestingSandbox } from '@paymnt/nestjs/testing';
import { ADAPTERS, startApp } from './support/apps';
import { flowAppModule } from './support/flow-app';
import { EventRecorder } from './support/recorder';

const WEBHOOK_PATH = 'webhooks/paymnt';
const ACCEPTANCE: CustomerAcceptance = { acceptance_type: 'offline' };

function setupPayment(customerId: string): PaymentCreateParams {
  return {
    amount: 0,
    currency: 'USD',
    confirm: true,
    customer_id: customerId,
    authentication_type: 'no_three_ds',
    payment_method: 'card',
    payment_method_data: { card: { card_number: '4242424242424242', card_exp_month: '10', card_exp_year: '35', card_cvc: '123', card_holder_name: 'Jo Doe' } },
    setup_future_usage: 'off_session',
    customer_acceptance: ACCEPTANCE,
    mandate_data: { customer_acceptance: ACCEPTANCE, mandate_type: { multi_use: null } },
  };
}

describe.each(ADAPTERS)('payment methods and mandates through the services on %s, against the sandbox', (adapter) => {
  let paymnt: PaymntTestingSandbox;
  let app: INestApplication;
  let recorder: EventRecorder;
  let payments: PaymentsService;
  let paymentMethods: PaymentMethodsService;
  let mandates: MandatesService;

  beforeAll(async () => {
    paymnt = await createPaymntTestingSandbox();
    let url: string;
    ({ app, url } = await startApp(flowAppModule('forRoot', paymnt.moduleOptions(), WEBHOOK_PATH), adapter));
    paymnt.pointWebhooksAt(`${url}/${WEBHOOK_PATH}`);
    recorder = app.get(EventRecorder);
    payments = app.get(PaymentsService);
    paymentMethods = app.get(PaymentMethodsService);
    mandates = app.get(MandatesService);
  });

  afterAll(async () => {
    await app?.close();
    await paymnt?.close();
  });

  it('set up, charge off-session, revoke: each mandate transition published once, typed, from its verified webhook', async () => {
    const customerId = `cus_nest_mandate_${adapter}`;
    const setup = await payments.create(setupPayment(customerId));
    expect(setup.status).toBe('succeeded');
    const mandateId = setup.mandate_id as string;
    const saved = await paymentMethods.retrieve(setup.payment_method_id as string);
    expect(saved.card?.last4_digits).toBe('4242');
    expect((await paymentMethods.listForCustomer(customerId)).customer_payment_methods).toHaveLength(1);

    const charge = await payments.create({ amount: 2500, currency: 'USD', confirm: true, off_session: true, customer_id: customerId, recurring_details: { type: 'mandate_id', data: mandateId } });
    expect(charge.status).toBe('succeeded');
    expect((await mandates.listForCustomer(customerId)).map((m) => m.mandate_id)).toEqual([mandateId]);
    expect((await mandates.revoke(mandateId)).status).toBe('revoked');
    expect((await mandates.retrieve(mandateId)).status).toBe('revoked');
    expect((await mandates.list({ mandate_status: 'revoked' })).map((m) => m.mandate_id)).toContain(mandateId);

    await paymnt.waitForWebhooksAcknowledged();
    const calls = recorder.calls.filter((call) => call.handler === 'wildcard' && call.objectId === mandateId);
    expect(calls.map((call) => [call.type, call.source])).toEqual([
      ['mandate_active', 'webhook'],
      ['mandate_revoked', 'webhook'],
    ]);
    for (const call of calls) {
      const event = paymnt.sandbox.state.listEvents().find((e) => e.objectId === mandateId && e.eventType === call.type);
      expect(call.eventId).toBe(event?.eventId);
    }
  });

  it('a mandate handler that throws answers 500; the sandbox redelivers and the handler runs again, once dispatched', async () => {
    const customerId = `cus_nest_mandate_fail_${adapter}`;
    const setup = await payments.create(setupPayment(customerId));
    const mandateId = setup.mandate_id as string;
    await paymnt.waitForWebhooksAcknowledged();
    // Fail the revoke's handler once: the first delivery gets a 500, the retry is dispatched.
    const key = `${mandateId}:mandate_revoked`;
    recorder.failures.set(key, 1);
    await mandates.revoke(mandateId);
    const [event] = (await paymnt.waitForWebhooksAcknowledged()).filter((e) => e.objectId === mandateId && e.eventType === 'mandate_revoked');
    const outcomes = paymnt.sandbox.state.listDeliveryAttempts(event!.eventId).map((attempt) => attempt.response.status_code);
    expect(outcomes[0]).toBe(500);
    expect(recorder.attempts.get(key)).toBe(2);
    expect(recorder.count({ handler: 'wildcard', objectId: mandateId, type: 'mandate_revoked' })).toBe(1);
  });
});
