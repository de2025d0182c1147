import type { OrderItem } from '../orders/order';

/**
 * A subscription: the items of one of the account's orders, delivered again every period (a
 * month, `YYYY-MM`) and charged to a saved card off-session. Each period's renewal is an order
 * of its own, charged with the idempotency key `${id}:renewal:${period}`: a renewal run retried
 * for the same period (a crash, a timeout, a second scheduler) never charges twice.
 */
export interface Subscription {
  /** `sub_…` */
  id: string;
  accountId: string;
  items: OrderItem[];
  amount: number;
  currency: string;
  /** The saved card's mandate every renewal charges. */
  mandateId: string;
  /** `suspended` once a renewal could not charge the card (revoked): renewals skip it until the customer acts. */
  status: 'active' | 'suspended';
  suspendedReason: string | null;
  /** The period the first order paid for; renewals start with the next one. */
  startPeriod: string;
  /** The renewal order of each period, recorded before it is charged. */
  renewals: Record<string, string>;
  createdAt: string;
}

/** What one subscription's renewal for a period did. */
export interface RenewalResult {
  subscriptionId: string;
  period: string;
  /**
   * `charged`: this run charged it; `already_renewed`: an earlier run did (nothing sent again);
   * `declined`: the card declined (the order is `payment_failed`); `refused`: the card can no
   * longer be charged (the subscription is suspended); `skipped`: not due (suspended, or the
   * period is covered by the first order); `in_progress`: another run is charging it right now;
   * `unanswered`: Paymnt's answer never came (the next run sends the same charge again).
   */
  outcome: 'charged' | 'already_renewed' | 'declined' | 'refused' | 'skipped' | 'in_progress' | 'unanswered';
  orderId: string | null;
  detail?: string;
}

/** `2026-12` for a date in December 2026 (UTC). */
export function periodOf(date: Date): string {
  return date.toISOString().slice(0, 7);
}
