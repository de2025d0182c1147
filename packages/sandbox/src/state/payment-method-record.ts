/** A saved payment method as the sandbox keeps it (HS's payment_methods row plus its locker card). */

export interface SavedCard {
  /** The locker's copy: kept in memory to charge the card later; never returned. */
  number: string;
  expMonth: string;
  expYear: string;
  holderName: string | null;
  nickName: string | null;
  network: string | null;
  issuer: string | null;
  cardType: string | null;
  issuingCountry: string | null;
  fingerprint: string;
}

export interface StoredPaymentMethod {
  seq: number;
  paymentMethodId: string;
  merchantId: string;
  customerId: string;
  paymentMethod: string;
  paymentMethodType: string | null;
  paymentMethodIssuer: string | null;
  card: SavedCard;
  metadata: unknown;
  billing: unknown;
  recurringEnabled: boolean;
  /** The token the customer's list hands out (`payment_token`). */
  paymentToken: string;
  createdAt: string;
  lastUsedAt: string;
  lastUsedMs: number;
}
