import { Body, Controller, Delete, Get, type INestApplication, Module, Param, Post } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import type { PaymentCreateParams, PaymentMethodCreateParams } from '@paymnt/client';
import { CustomersService, DisputesService, EventsService, MandatesService, PaymentMethodsService, PaymentsService, PaymntExceptionFilter, PaymntModule } from '@paymnt/nestjs';
import { createPaymntTestingSandbox, type PaymntTestingSandbox } from '@paymnt/nestjs/testing';
import { ADAPTERS, startApp } from './support/apps';

// Payment methods, mandates, disputes and the events API through the injected services, success and the
// API's documented errors; the errors through an app's own routes, answered by PaymntExceptionFilter.

const CARD = { card_number: '4242424242424242', card_exp_month: '10', card_exp_year: '35', card_cvc: '123', card_holder_name: 'Jo Doe' };
const PDF = Buffer.from('%PDF-1.7\nnest evidence\n');

/** A shop's thin routes over the services; errors are the filter's. */
@Controller('shop')
class MerchantController {
  constructor(
    private readonly payments: PaymentsService,
    private readonly paymentMethods: PaymentMethodsService,
    private readonly mandates: MandatesService,
    private readonly disputes: DisputesService,
    private readonly events: EventsService,
  ) {}

  @Post('payment-methods')
  createPaymentMethod(@Body() body: PaymentMethodCreateParams): Promise<unknown> {
    return this.paymentMethods.create(body);
  }

  @Get('payment-methods/:id')
  retrievePaymentMethod(@Param('id') id: string): Promise<unknown> {
    return this.paymentMethods.retrieve(id);
  }

  @Delete('payment-methods/:id')
  deletePaymentMethod(@Param('id') id: string): Promise<unknown> {
    return this.paymentMethods.del(id);
  }

  @Post('charges')
  charge(@Body() body: PaymentCreateParams): Promise<unknown> {
    return this.payments.create(body);
  }

  @Get('mandates/:id')
  retrieveMandate(@Param('id') id: string): Promise<unknown> {
    return this.mandates.retrieve(id);
  }

  @Post('disputes/:id/accept')
  acceptDispute(@Param('id') id: string): Promise<unknown> {
    return this.disputes.accept(id);
  }

  @Get('disputes/:id')
  retrieveDispute(@Param('id') id: string): Promise<unknown> {
    return this.disputes.retrieve(id);
  }

  @Get('events/:id/attempts')
  attempts(@Param('id') id: string): Promise<unknown> {
    return this.events.listAttempts(id);
  }
}

describe.each(ADAPTERS)('payment methods, mandates, disputes and events through the services on %s, against the sandbox', (adapter) => {
  let paymnt: PaymntTestingSandbox;
  let app: INestApplication;
  let url: string;
  let payments: PaymentsService;
  let paymentMethods: PaymentMethodsService;
  let mandates: MandatesService;
  let disputes: DisputesService;
  let events: EventsService;
  let customers: CustomersService;

  beforeAll(async () => {
    // Webhooks go nowhere: every event stays undelivered for the events API part.
    paymnt = await createPaymntTestingSandbox();
    @Module({
      imports: [EventEmitterModule.forRoot({ wildcard: true }), PaymntModule.forRoot(paymnt.moduleOptions())],
      controllers: [MerchantController],
      providers: [{ provide: APP_FILTER, useClass: PaymntExceptionFilter }],
    })
    class MerchantAppModule {}
    ({ app, url } = await startApp(MerchantAppModule, adapter));
    payments = app.get(PaymentsService);
    paymentMethods = app.get(PaymentMethodsService);
    mandates = app.get(MandatesService);
    disputes = app.get(DisputesService);
    events = app.get(EventsService);
    customers = app.get(CustomersService);
  });

  afterAll(async () => {
    await app?.close();
    await paymnt?.close();
  });

  const post = (path: string, body?: unknown): Promise<Response> =>
    // No body, no Content-Type: Fastify refuses an empty JSON body.
    fetch(`${url}/shop/${path}`, body === undefined ? { method: 'POST' } : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('saved cards: create, retrieve, update, setDefault, listForCustomer, del; the default cannot be deleted (IR_25)', async () => {
    const customerId = `cus_pm_${adapter}`;
    await customers.create({ customer_id: customerId });
    const first = await paymentMethods.create({ payment_method: 'card', customer_id: customerId, card: { ...CARD, nick_name: 'Main' } });
    expect(first.card).toMatchObject({ last4_digits: '4242', nick_name: 'Main' });
    expect(JSON.stringify(first)).not.toContain(CARD.card_number);
    const second = await paymentMethods.create({ payment_method: 'card', customer_id: customerId, card: { ...CARD, card_number: '5555555555554444' } });
    expect((await paymentMethods.retrieve(second.payment_method_id)).payment_method_id).toBe(second.payment_method_id);
    expect((await paymentMethods.update(second.payment_method_id, { card: { card_exp_month: '11', card_exp_year: '38' } })).card).toMatchObject({ expiry_month: '11', expiry_year: '38' });

    const refused = await fetch(`${url}/shop/payment-methods/${first.payment_method_id}`, { method: 'DELETE' });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ statusCode: 400, code: 'IR_25' });

    expect((await paymentMethods.setDefault(customerId, second.payment_method_id)).default_payment_method_id).toBe(second.payment_method_id);
    const deleted = await fetch(`${url}/shop/payment-methods/${first.payment_method_id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toEqual({ payment_method_id: first.payment_method_id, deleted: true });
    expect((await paymentMethods.listForCustomer(customerId)).customer_payment_methods.map((m) => m.payment_method_id)).toEqual([second.payment_method_id]);

    const gone = await fetch(`${url}/shop/payment-methods/${first.payment_method_id}`);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toMatchObject({ statusCode: 404 });
  });

  it('saved cards: a bad card is refused before the network, naming the field', async () => {
    const requestsBefore = paymnt.sandbox.state.listEvents().length;
    const bad = await post('payment-methods', { payment_method: 'card', customer_id: `cus_pm_${adapter}`, card: { ...CARD, card_exp_month: '13' } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ statusCode: 400, field: 'card.card_exp_month' });
    expect(paymnt.sandbox.state.listEvents()).toHaveLength(requestsBefore);
  });

  it('mandates: a revoked mandate refuses the next off-session charge (IR_16), an unknown one is 404', async () => {
    const customerId = `cus_mandate_${adapter}`;
    const acceptance = { acceptance_type: 'offline' } as const;
    const setup = await payments.create({
      amount: 0,
      currency: 'USD',
      confirm: true,
      customer_id: customerId,
      authentication_type: 'no_three_ds',
      payment_method: 'card',
      payment_method_data: { card: CARD },
      setup_future_usage: 'off_session',
      customer_acceptance: acceptance,
      mandate_data: { customer_acceptance: acceptance, mandate_type: { multi_use: null } },
    });
    const mandateId = setup.mandate_id as string;
    const offSession = { amount: 900, currency: 'USD', confirm: true, off_session: true, customer_id: customerId, recurring_details: { type: 'mandate_id', data: mandateId } };
    const charged = await post('charges', offSession);
    expect(charged.status).toBe(201);
    expect(await charged.json()).toMatchObject({ status: 'succeeded', amount: 900 });

    await mandates.revoke(mandateId);
    const refused = await post('charges', offSession);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ statusCode: 400, code: 'IR_16', message: 'mandate is not active' });

    const unknown = await fetch(`${url}/shop/mandates/man_missing_${adapter}`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ statusCode: 404 });
  });

  it('disputes: list with filters, retrieve, evidence attach/retrieve/delete, submit; accept twice is HE_03, unknown is HE_04', async () => {
    const captured = await payments.create({ amount: 4200, currency: 'USD', confirm: true, capture_method: 'automatic', authentication_type: 'no_three_ds', payment_method: 'card', payment_method_data: { card: CARD } });
    const challenged = paymnt.sandbox.openDispute(captured.payment_id);
    const accepted = paymnt.sandbox.openDispute(
      (await payments.create({ amount: 1200, currency: 'USD', confirm: true, authentication_type: 'no_three_ds', payment_method: 'card', payment_method_data: { card: CARD } })).payment_id,
    );

    expect((await disputes.list({ dispute_status: 'dispute_opened' })).map((d) => d.dispute_id)).toEqual(expect.arrayContaining([challenged.dispute_id, accepted.dispute_id]));
    expect(await disputes.retrieve(challenged.dispute_id)).toEqual(challenged);
    const file = await disputes.attachEvidence({ dispute_id: challenged.dispute_id, evidence_type: 'receipt', file: PDF, file_name: 'receipt.pdf' });
    await disputes.attachEvidence({ dispute_id: challenged.dispute_id, evidence_type: 'uncategorized_file', file: PDF });
    expect((await disputes.retrieveEvidence(challenged.dispute_id)).map((b) => b.evidence_type)).toEqual(['receipt', 'uncategorized_file']);
    await disputes.deleteEvidence({ dispute_id: challenged.dispute_id, evidence_type: 'uncategorized_file' });
    expect((await disputes.retrieveEvidence(challenged.dispute_id)).map((b) => b.evidence_type)).toEqual(['receipt']);
    expect((await disputes.submitEvidence({ dispute_id: challenged.dispute_id, receipt: file.file_id })).dispute_status).toBe('dispute_challenged');

    const first = await post(`disputes/${accepted.dispute_id}/accept`);
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ dispute_id: accepted.dispute_id, dispute_status: 'dispute_accepted' });
    const again = await post(`disputes/${accepted.dispute_id}/accept`);
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ statusCode: 400, code: 'HE_03', message: 'Dispute status validation failed' });
    const unknown = await fetch(`${url}/shop/disputes/dp_missing_${adapter}`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ statusCode: 404, code: 'HE_04' });
  });

  it('events API: an undelivered event is listed, its attempts read, retried by hand; an unknown event is 404', async () => {
    const payment = await payments.create({ amount: 700, currency: 'USD', confirm: true, authentication_type: 'no_three_ds', payment_method: 'card', payment_method_data: { card: CARD } });
    await paymnt.sandbox.waitForWebhooks();
    const [event] = (await events.list({ object_id: payment.payment_id })).data;
    expect(event).toMatchObject({ object_id: payment.payment_id, event_type: 'payment_succeeded' });
    const before = await events.listAttempts(event!.event_id);
    expect(before.length).toBeGreaterThanOrEqual(1);
    const retried = await events.retry(event!.event_id);
    expect(retried).toMatchObject({ initial_attempt_id: event!.event_id, delivery_attempt: 'manual_retry' });
    expect(await events.listAttempts(event!.event_id)).toHaveLength(before.length + 1);

    const unknown = await fetch(`${url}/shop/events/evt_unknown_${adapter}/attempts`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ statusCode: 404 });
  });
});
