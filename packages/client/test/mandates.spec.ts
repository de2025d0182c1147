import {
  isMandateEvent,
  isWebhookEvent,
  PaymntInvalidRequestError,
  PaymntNotFoundError,
  PaymntValidationError,
  type CustomerAcceptance,
  type WebhookEvent,
} from '@paymnt/client';
import { rejection, useSandboxClient } from './support/sandbox-client';

const ACCEPTANCE: CustomerAcceptance = { acceptance_type: 'online', online: { ip_address: '127.0.0.1', user_agent: 'jest' } };
const CARD = { card_number: '4242424242424242', card_exp_month: '10', card_exp_year: '35', card_cvc: '123', card_holder_name: 'Jo Doe' };

describe('client.paymentMethods and client.mandates against the real @paymnt/sandbox', () => {
  const t = useSandboxClient();

  it('set-up payment → saved card and mandate → off-session charges → revoke → refused', async () => {
    const setup = await t.client.payments.create({
      amount: 0,
      currency: 'USD',
      confirm: true,
      customer_id: 'cus_client_mandates',
      payment_method: 'card',
      payment_method_data: { card: CARD },
      authentication_type: 'no_three_ds',
      setup_future_usage: 'off_session',
      customer_acceptance: ACCEPTANCE,
      mandate_data: { customer_acceptance: ACCEPTANCE, mandate_type: { multi_use: { amount: 50_000, currency: 'USD' } } },
    });
    expect(setup.status).toBe('succeeded');
    const mandateId = setup.mandate_id as string;
    const paymentMethodId = setup.payment_method_id as string;

    const mandate = await t.client.mandates.retrieve(mandateId);
    expect(mandate).toMatchObject({ mandate_id: mandateId, status: 'active', payment_method_id: paymentMethodId });
    expect(mandate.card?.last4_digits).toBe('4242');
    expect((await t.client.mandates.listForCustomer('cus_client_mandates')).map((m) => m.mandate_id)).toEqual([mandateId]);
    expect((await t.client.mandates.list({ mandate_status: 'active' })).map((m) => m.mandate_id)).toContain(mandateId);

    const charge = await t.client.payments.create({
      amount: 1500,
      currency: 'USD',
      confirm: true,
      off_session: true,
      customer_id: 'cus_client_mandates',
      recurring_details: { type: 'mandate_id', data: mandateId },
    });
    expect(charge).toMatchObject({ status: 'succeeded', mandate_id: mandateId, payment_method_id: paymentMethodId });
    const byMethod = await t.client.payments.create({
      amount: 700,
      currency: 'USD',
      confirm: true,
      off_session: true,
      customer_id: 'cus_client_mandates',
      recurring_details: { type: 'payment_method_id', data: paymentMethodId },
    });
    expect(byMethod.status).toBe('succeeded');

    expect(await t.client.mandates.revoke(mandateId)).toMatchObject({ mandate_id: mandateId, status: 'revoked' });
    const refused = await rejection(
      t.client.payments.create({ amount: 100, currency: 'USD', confirm: true, off_session: true, customer_id: 'cus_client_mandates', recurring_details: { type: 'mandate_id', data: mandateId } }),
    );
    expect(refused).toBeInstanceOf(PaymntInvalidRequestError);
    expect(refused).toMatchObject({ code: 'IR_16', message: 'mandate is not active' });
    expect(await rejection(t.client.mandates.retrieve('man_missing'))).toBeInstanceOf(PaymntNotFoundError);
  });

  it('payment methods: create, retrieve, update, setDefault, listForCustomer, del', async () => {
    await t.client.customers.create({ customer_id: 'cus_client_pm' });
    const first = await t.client.paymentMethods.create({ payment_method: 'card', customer_id: 'cus_client_pm', card: { ...CARD, nick_name: 'Main' } });
    expect(first.card).toMatchObject({ last4_digits: '4242', card_network: 'Visa', nick_name: 'Main' });
    const second = await t.client.paymentMethods.create({ payment_method: 'card', customer_id: 'cus_client_pm', card: { ...CARD, card_number: '5555555555554444' } });
    expect((await t.client.paymentMethods.retrieve(second.payment_method_id)).payment_method_id).toBe(second.payment_method_id);
    const updated = await t.client.paymentMethods.update(second.payment_method_id, { card: { card_exp_month: '11', card_exp_year: '38' } });
    expect(updated.card).toMatchObject({ expiry_month: '11', expiry_year: '38' });
    expect(await rejection(t.client.paymentMethods.del(first.payment_method_id))).toMatchObject({ code: 'IR_25' });
    const def = await t.client.paymentMethods.setDefault('cus_client_pm', second.payment_method_id);
    expect(def.default_payment_method_id).toBe(second.payment_method_id);
    expect(await t.client.paymentMethods.del(first.payment_method_id)).toEqual({ payment_method_id: first.payment_method_id, deleted: true });
    const listed = await t.client.paymentMethods.listForCustomer('cus_client_pm');
    expect(listed.customer_payment_methods.map((m) => m.payment_method_id)).toEqual([second.payment_method_id]);
    expect((await t.client.customers.listPaymentMethods('cus_client_pm')).customer_payment_methods).toHaveLength(1);
  });

  it('bad input is refused before the network, naming the field', async () => {
    const before = t.requests;
    const cases: Array<[Promise<unknown>, string]> = [
      [t.client.payments.create({ amount: 100, currency: 'USD', confirm: true, customer_id: 'c', recurring_details: { type: 'mandate_id', data: 'man_x' } }), 'off_session'],
      [t.client.payments.create({ amount: 100, currency: 'USD', off_session: true, customer_id: 'c', recurring_details: { type: 'mandate_id', data: 'man_x' } }), 'confirm'],
      [t.client.payments.create({ amount: 100, currency: 'USD', confirm: true, off_session: true, recurring_details: { type: 'mandate_id', data: 'man_x' } }), 'customer_id'],
      [t.client.payments.create({ amount: 100, currency: 'USD', confirm: true, off_session: true, customer_id: 'c' }), 'recurring_details'],
      [t.client.payments.create({ amount: 100, currency: 'USD', confirm: true, off_session: true, customer_id: 'c', recurring_details: { type: 'bogus', data: 'x' } as never }), 'recurring_details.type'],
      [t.client.payments.create({ amount: 100, currency: 'USD', setup_future_usage: 'later' as never, customer_id: 'c' }), 'setup_future_usage'],
      [t.client.payments.create({ amount: 100, currency: 'USD', setup_future_usage: 'off_session' }), 'customer_id'],
      [t.client.payments.create({ amount: 100, currency: 'USD', customer_id: 'c', customer_acceptance: { acceptance_type: 'online' } }), 'customer_acceptance.online'],
      [t.client.paymentMethods.create({ payment_method: 'card', customer_id: 'c', card: { ...CARD, card_number: '42' } }), 'card.card_number'],
      [t.client.paymentMethods.create({ payment_method: 'card', card: CARD }), 'customer_id'],
      [t.client.paymentMethods.update('pm_x', { card: { card_exp_month: '13' } }), 'card.card_exp_month'],
      [t.client.paymentMethods.retrieve('../x'), 'payment_method_id'],
      [t.client.paymentMethods.setDefault('cus x', 'pm_x'), 'customer_id'],
      [t.client.mandates.revoke(''), 'mandate_id'],
      [t.client.mandates.list({ mandate_status: 'gone' }), 'mandate_status'],
    ];
    for (const [promise, field] of cases) {
      const error = await rejection(promise);
      expect(error).toBeInstanceOf(PaymntValidationError);
      expect((error as PaymntValidationError).field).toBe(field);
    }
    expect(t.requests).toBe(before);
  });

  it('a mandate webhook event is recognised and narrowed', () => {
    const event = {
      merchant_id: 'm',
      event_id: 'evt_1',
      event_type: 'mandate_revoked',
      timestamp: new Date().toISOString(),
      content: { type: 'mandate_details', object: { mandate_id: 'man_1', status: 'revoked', payment_method_id: 'pm_1', payment_method: 'card' } },
    };
    expect(isWebhookEvent(event)).toBe(true);
    expect(isMandateEvent(event as WebhookEvent)).toBe(true);
    expect(isWebhookEvent({ ...event, content: { type: 'mandate_details', object: { status: 'revoked' } } })).toBe(false);
  });
});
