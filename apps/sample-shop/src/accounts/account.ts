import type { MandateStatus } from '@paymnt/client';

/**
 * A card the customer asked the shop to keep ("save my card" at checkout). The shop holds no card
 * data: only Paymnt's ids (the mandate it charges off-session, and the saved payment method) and
 * what Paymnt shows of the card (masked).
 */
export interface SavedCard {
  /** `man_…`: what off-session charges name (`recurring_details: { type: 'mandate_id' }`). */
  mandateId: string;
  /** `pm_…`: the saved card itself. */
  paymentMethodId: string;
  /** e.g. `4242`, when Paymnt said. */
  last4: string | null;
  network: string | null;
  /** `active` until revoked (by the customer here, or anywhere else: the `mandate_revoked` webhook tells). */
  status: MandateStatus;
  /** The order whose payment saved it. */
  savedWithOrderId: string | null;
  savedAt: string;
}

/** A shop account: a customer with a login token, one Paymnt customer, and their saved cards. */
export interface ShopAccount {
  /** `acct_…` */
  id: string;
  email: string;
  /** The Paymnt customer of this account (created with it): saved cards and mandates belong to it. */
  customerId: string;
  /** SHA-256 of the account's token (given to its holder once, at creation). */
  accessTokenHash: string;
  /** Newest first. */
  savedCards: SavedCard[];
  createdAt: string;
}

export type AccountView = Omit<ShopAccount, 'accessTokenHash'>;

export function toAccountView(account: ShopAccount): AccountView {
  const { accessTokenHash: _hash, ...visible } = account;
  return visible;
}

/** `•••• 4242 (visa)`, for messages. */
export function describeCard(card: SavedCard): string {
  return `•••• ${card.last4 ?? '????'}${card.network ? ` (${card.network})` : ''}`;
}
