import { ApiError } from '../http/api-error';

/**
 * HS's `validate_card_data` (payments helpers): CVC length, then expiry month, then year, then
 * whether the card has expired. All are 400 IR_16 (PreconditionFailed) except a non-numeric value,
 * which is IR_07 "Invalid value provided: {field}".
 */
export function validateCardData(card: { card_cvc?: unknown; card_exp_month?: unknown; card_exp_year?: unknown }, now = new Date()): void {
  const cvc = String(card.card_cvc ?? '');
  if (cvc.length < 3 || cvc.length > 4) throw ApiError.preconditionFailed('Invalid card_cvc length');
  if (!/^\d+$/.test(cvc)) throw ApiError.invalidDataValue('card_cvc');
  validateCardExpiry(card, now);
}

/** HS's `validate_card_expiry`: the month, the year, then whether the card has expired. */
export function validateCardExpiry(card: { card_exp_month?: unknown; card_exp_year?: unknown }, now = new Date()): void {
  const monthStr = String(card.card_exp_month ?? '');
  if (!/^\d{1,3}$/.test(monthStr)) throw ApiError.invalidDataValue('card_exp_month');
  const month = Number(monthStr);
  if (month < 1 || month > 12) throw ApiError.preconditionFailed('Invalid Expiry Month');

  let yearStr = String(card.card_exp_year ?? '');
  if (yearStr.length === 2) yearStr = `20${yearStr}`;
  if (!/^\d{1,5}$/.test(yearStr) || Number(yearStr) > 65535) throw ApiError.invalidDataValue('card_exp_year');
  const year = Number(yearStr);
  const currentYear = now.getUTCFullYear();
  if (year < currentYear) throw ApiError.preconditionFailed('Invalid Expiry Year');
  if (year === currentYear && month < now.getUTCMonth() + 1) throw ApiError.preconditionFailed('Card Expired');
}
