import { PaymntValidationError } from '../errors/validation.error';
import { assertId, assertParams, assertString, isPlainObject } from './validators';

const CARD_NUMBER = /^\d{12,19}$/;
const EXP_MONTH = /^(0?[1-9]|1[0-2])$/;
const EXP_YEAR = /^(\d{2}|\d{4})$/;
const MAX_TEXT = 255;

function assertExpiry(card: Record<string, unknown>, field: string, required: boolean): void {
  const { card_exp_month: month, card_exp_year: year } = card;
  if (month !== undefined || required) {
    if (typeof month !== 'string' || !EXP_MONTH.test(month)) throw new PaymntValidationError(`${field}.card_exp_month`, 'must be a month "01".."12"');
  }
  if (year !== undefined || required) {
    if (typeof year !== 'string' || !EXP_YEAR.test(year)) throw new PaymntValidationError(`${field}.card_exp_year`, 'must be a year of 2 or 4 digits, e.g. "30"');
  }
}

function assertOptionalText(card: Record<string, unknown>, field: string, keys: readonly string[]): void {
  for (const key of keys) if (card[key] !== null) assertString(card[key], `${field}.${key}`, MAX_TEXT);
}

/** `POST /payment_methods`: a card method for a customer. */
export function assertPaymentMethodCreate(params: unknown): void {
  assertParams(params, 'params', false);
  const p = params as Record<string, unknown>;
  if (typeof p.payment_method !== 'string' || p.payment_method === '') throw new PaymntValidationError('payment_method', 'is required (e.g. "card")');
  assertId(p.customer_id, 'customer_id', true);
  assertString(p.payment_method_type ?? undefined, 'payment_method_type');
  if (p.metadata !== undefined && p.metadata !== null && !isPlainObject(p.metadata)) throw new PaymntValidationError('metadata', 'must be an object');
  if (p.payment_method !== 'card') return;
  if (!isPlainObject(p.card)) throw new PaymntValidationError('card', 'is required for payment_method "card"');
  const card = p.card;
  const number = typeof card.card_number === 'string' ? card.card_number.replace(/\s+/g, '') : undefined;
  if (number === undefined || !CARD_NUMBER.test(number)) throw new PaymntValidationError('card.card_number', 'must be 12 to 19 digits');
  assertExpiry(card, 'card', true);
  assertOptionalText(card, 'card', ['card_holder_name', 'nick_name', 'card_issuer', 'card_network', 'card_type', 'card_issuing_country']);
  if (card.card_cvc !== undefined && card.card_cvc !== null && (typeof card.card_cvc !== 'string' || !/^\d{3,4}$/.test(card.card_cvc))) {
    throw new PaymntValidationError('card.card_cvc', 'must be 3 or 4 digits');
  }
}

/** `POST /payment_methods/{id}/update`: new expiry, holder name or nickname of a saved card. */
export function assertPaymentMethodUpdate(params: unknown): void {
  assertParams(params, 'params', false);
  const p = params as Record<string, unknown>;
  if (p.card === undefined || p.card === null) return;
  if (!isPlainObject(p.card)) throw new PaymntValidationError('card', 'must be an object');
  assertExpiry(p.card, 'card', false);
  assertOptionalText(p.card, 'card', ['card_holder_name', 'nick_name']);
}
