import { createSandbox, DECLINE_CARDS, SUCCESS_CARDS, THREE_DS_CARD, type Sandbox } from '../src';
import { createPayment } from './helpers';

describe('test cards (HS dummy connector, sections 7 and 9)', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await createSandbox();
  });
  afterAll(() => sb.close());

  it.each([...SUCCESS_CARDS])('%s succeeds', async (number) => {
    const p = await createPayment(sb, {}, number);
    expect(p).toMatchObject({ status: 'succeeded', error_code: null, error_message: null, amount_received: 6540 });
    expect(p.payment_method_data.card.last4).toBe(number.slice(-4));
  });

  it.each([
    ['4000000000000002', 'Payment declined: Card declined'],
    ['5105105105105100', 'Payment declined: Card declined'],
    ['4000000000009995', 'Payment declined: Insufficient funds'],
    ['4000000000009987', 'Payment declined: Lost card'],
    ['4000000000009979', 'Payment declined: Stolen card'],
  ])('%s is declined: failed, DC_08 "%s" (HTTP 200)', async (number, message) => {
    expect(DECLINE_CARDS[number]).toBeDefined();
    const p = await createPayment(sb, {}, number);
    expect(p).toMatchObject({
      status: 'failed',
      error_code: 'DC_08',
      error_message: message,
      unified_code: 'UE_9000',
      amount_capturable: 0,
      amount_received: null,
      manual_retry_allowed: true,
    });
    expect(p.connector_transaction_id).toBeNull();
  });

  it('any other Luhn-valid card: failed, DC_04 "Card not supported. Please use test cards"', async () => {
    const p = await createPayment(sb, {}, '4012888888881881');
    expect(p).toMatchObject({ status: 'failed', error_code: 'DC_04', error_message: 'Card not supported. Please use test cards' });
  });

  it(`${THREE_DS_CARD} asks for a 3DS challenge`, async () => {
    const p = await createPayment(sb, {}, THREE_DS_CARD);
    expect(p.status).toBe('requires_customer_action');
    expect(p.next_action.type).toBe('redirect_to_url');
  });

  it('declines also apply with manual capture (no authorisation)', async () => {
    const p = await createPayment(sb, { capture_method: 'manual' }, '4000000000009995');
    expect(p).toMatchObject({ status: 'failed', amount_capturable: 0 });
  });
});
