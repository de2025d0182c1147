/**
 * The sandbox's card outcomes, after HS's dummy connector (`get_flow_from_card_number`) and
 * section 9 of the API notes. The card number alone decides the outcome.
 */

export type CardOutcome =
  | { kind: 'success' }
  | { kind: 'decline'; errorCode: string; errorMessage: string }
  | { kind: 'three_ds' }
  | { kind: 'unsupported'; errorCode: string; errorMessage: string };

/** Cards that authorise without a challenge. */
export const SUCCESS_CARDS = [
  '4242424242424242',
  '4111111111111111',
  '5555555555554444',
  '378282246310005',
  '6011111111111117',
  '38000000000006',
] as const;

/**
 * Authorises like a success card, then (once money is captured) is disputed by the cardholder
 * after the sandbox's `disputeDelayMs`: Stripe's test card for disputes.
 */
export const DISPUTE_CARD = '4000000000000259';

/** The card that always asks for a 3DS challenge. */
export const THREE_DS_CARD = '4000003800000446';

/** Declined cards and the dummy connector's decline reason. */
export const DECLINE_CARDS: Readonly<Record<string, string>> = {
  '4000000000000002': 'Card declined',
  '5105105105105100': 'Card declined',
  '4000000000009995': 'Insufficient funds',
  '4000000000009987': 'Lost card',
  '4000000000009979': 'Stolen card',
};

export const DECLINE_ERROR_CODE = 'DC_08';
export const UNSUPPORTED_CARD_ERROR_CODE = 'DC_04';
export const UNSUPPORTED_CARD_MESSAGE = 'Card not supported. Please use test cards';

export function cardOutcome(cardNumber: string): CardOutcome {
  const digits = cardNumber.replace(/\s+/g, '');
  if ((SUCCESS_CARDS as readonly string[]).includes(digits) || digits === DISPUTE_CARD) return { kind: 'success' };
  if (digits === THREE_DS_CARD) return { kind: 'three_ds' };
  const decline = DECLINE_CARDS[digits];
  if (decline) return { kind: 'decline', errorCode: DECLINE_ERROR_CODE, errorMessage: `Payment declined: ${decline}` };
  return { kind: 'unsupported', errorCode: UNSUPPORTED_CARD_ERROR_CODE, errorMessage: UNSUPPORTED_CARD_MESSAGE };
}
