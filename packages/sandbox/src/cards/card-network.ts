import { createHash } from 'node:crypto';

/** The network of a card number by its leading digits (HS looks the BIN up; these ranges cover the test cards). */
export function detectCardNetwork(number: string): string | null {
  if (/^4/.test(number)) return 'Visa';
  if (/^(5[1-5]|2(2[2-9]|[3-6]\d|7[01]|720))/.test(number)) return 'Mastercard';
  if (/^3[47]/.test(number)) return 'AmericanExpress';
  if (/^(6011|65|64[4-9])/.test(number)) return 'Discover';
  if (/^3(0[0-5]|[689])/.test(number)) return 'DinersClub';
  if (/^35/.test(number)) return 'JCB';
  return null;
}

/** A stable alias of a card within a merchant (HS's locker fingerprint): the same card twice is recognised. */
export function cardFingerprint(merchantId: string, number: string): string {
  return createHash('sha256').update(`${merchantId}\u0000${number}`).digest('hex').slice(0, 32);
}
