/**
 * Where an order is in its payment life cycle. It moves when a Paymnt domain event says so (see
 * `order-transitions.ts`), and back to `pending_payment` only when the customer starts a new
 * payment attempt after a failed one:
 *
 * ```text
 * pending_payment ─▶ requires_action (3DS) ─▶ authorized ─▶ paid ─▶ partially_refunded ─▶ refunded
 *     ▲  │                  │                     │           └──────────────────────────▶ refunded
 *     │  └──────────────────┴─▶ payment_failed     └─▶ cancelled (void; also from the first two)
 *     └─────── new attempt ───────────┘
 * ```
 *
 * A chargeback on a captured order (paid, partially or fully refunded):
 *
 * ```text
 * paid ─▶ disputed ─▶ dispute_challenged (evidence submitted) ─▶ paid again (won)
 *            │                 └──────────────────────────────▶ charged_back (lost)
 *            ├─▶ charged_back (accepted by the shop, or expired unanswered)
 *            └─▶ paid again (cancelled by the customer's bank; also from dispute_challenged)
 * ```
 */
export type OrderStatus =
  | 'pending_payment'
  | 'requires_action'
  | 'authorized'
  | 'paid'
  | 'partially_refunded'
  | 'refunded'
  | 'payment_failed'
  | 'cancelled'
  | 'disputed'
  | 'dispute_challenged'
  | 'charged_back';

/** One line of the cart. Amounts are integers in the currency's minor unit (cents). */
export interface OrderItem {
  name: string;
  quantity: number;
  unitAmount: number;
}

/** A payment event that changed the order, kept for the audit trail. */
export interface OrderHistoryEntry {
  /** `<payment or refund id>:<event type>`: the identity of the transition (the module dedupes on the same). */
  key: string;
  /** The webhook's `event_id`, or the module's `api_…` id when learned from an API response first. */
  eventId: string;
  /** The API's event type, e.g. `payment_authorized`. */
  type: string;
  /** Where the module learned it: a verified webhook, or the API's own response. */
  source: 'webhook' | 'api';
  /** The event's timestamp. */
  at: string;
  /** The order's status once the event was applied. */
  status: OrderStatus;
  /** The money the event moved (authorized, captured or refunded), when it moved any. */
  amount?: number;
}

/** The chargeback of an order, as its dispute events told it. */
export interface OrderDispute {
  /** `dp_…` */
  disputeId: string;
  /** The dispute's last status the order applied, e.g. `dispute_opened`. */
  status: string;
  /** Disputed amount, minor units. */
  amount: number;
  /** The card network's reason, e.g. `fraudulent`. */
  reason: string | null;
  /** The evidence deadline. */
  challengeBy: string | null;
}

/** A shop order and what it knows about its payment. */
export interface Order {
  id: string;
  status: OrderStatus;
  currency: string;
  /** The order total, the sum of the items. */
  amount: number;
  items: OrderItem[];
  /**
   * The payment of the current attempt (manual capture), once the shop knows it: from Paymnt's
   * answer to the attempt's create call, or from the payment's first event when that comes first.
   */
  paymentId: string | null;
  /**
   * The current payment attempt: 0 before the first, then 1, 2, … Attempt n is created with the
   * idempotency key `${id}:pay:${n}` and the metadata `{ order_id, attempt: "n" }`.
   */
  paymentAttempt: number;
  /**
   * True from sending the attempt's create call until its outcome is known (Paymnt's answer, a
   * refusal, or the payment's first event). While true, another pay request retries this attempt
   * with the same idempotency key instead of starting a second payment.
   */
  attemptPending: boolean;
  /** SHA-256 of the order's access token (the token itself is only given to the customer, once). */
  accessTokenHash: string;
  /**
   * The shop account that placed the order (`POST /accounts/:accountId/orders`), or `null` for a
   * guest checkout. Only an account's orders can save the card they are paid with.
   */
  accountId: string | null;
  /** Held on the card once authorized (0 again after a void). */
  authorizedAmount: number;
  /** Taken from the card by shipping (captures). */
  capturedAmount: number;
  /** Given back by succeeded refunds. */
  refundedAmount: number;
  /** Taken back by a lost (or accepted, or expired) chargeback. */
  chargedBackAmount: number;
  /** The order's chargeback, from its `dispute_opened` event on. */
  dispute: OrderDispute | null;
  /** Refunds applied, by refund id with their amount: a refund is counted once. */
  refunds: Record<string, number>;
  /** Why the payment failed, as the API said. */
  failureReason: string | null;
  history: OrderHistoryEntry[];
  createdAt: string;
  updatedAt: string;
}

/** What can still be captured (shipped) for this order. */
export function capturableAmount(order: Order): number {
  return order.status === 'authorized' ? order.authorizedAmount : 0;
}

/** What can still be refunded for this order. */
export function refundableAmount(order: Order): number {
  return order.status === 'paid' || order.status === 'partially_refunded' ? order.capturedAmount - order.refundedAmount : 0;
}

/** An order as the shop's API returns it: the order (without its token hash) plus what can still be captured and refunded. */
export type OrderView = Omit<Order, 'accessTokenHash'> & { capturableAmount: number; refundableAmount: number };

export function toOrderView(order: Order): OrderView {
  const { accessTokenHash: _hash, ...visible } = order;
  return { ...visible, capturableAmount: capturableAmount(order), refundableAmount: refundableAmount(order) };
}
