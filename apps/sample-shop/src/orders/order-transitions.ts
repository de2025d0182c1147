import type { Dispute, Payment, Refund } from '@paymnt/client';
import { PaymntRetryLaterError } from '@paymnt/nestjs';
import type { Order, OrderHistoryEntry, OrderStatus } from './order';

/** The parts of a Paymnt domain event the order needs (`PaymentEvent` / `RefundEvent` of `@paymnt/nestjs` fit). */
interface EventInfo {
  eventId: string;
  type: string;
  timestamp: string;
  source: 'webhook' | 'api';
}

export interface PaymentChange extends EventInfo {
  payment: Payment;
}

export interface RefundChange extends EventInfo {
  refund: Refund;
}

export interface DisputeChange extends EventInfo {
  dispute: Dispute;
}

/** What applying an event did: the new history entry, or why the order did not change. */
export type TransitionResult = { applied: true; entry: OrderHistoryEntry } | { applied: false; reason: string };

/**
 * The order cannot apply this event yet, and will be able to later: a refund that arrives before
 * the capture it refunds, or a payment of an attempt the order has not recorded yet. Thrown from
 * an event handler, it is a `PaymntRetryLaterError`: the module releases the event, a webhook is
 * answered 503 and Paymnt delivers it again, once the order has caught up.
 */
export class OrderNotReadyError extends PaymntRetryLaterError {
  constructor(reason: string) {
    super(`${reason}; retry later`);
    this.name = 'OrderNotReadyError';
  }
}

/** What the shop writes in each payment's metadata: which order, and which of its attempts. */
export interface PaymentReference {
  orderId: string;
  /** Missing on payments created without it. */
  attempt: number | undefined;
}

/** The metadata of attempt `attempt` of order `orderId` (strings, as most providers require). */
export function paymentMetadata(orderId: string, attempt: number): Record<string, string> {
  return { order_id: orderId, attempt: String(attempt) };
}

/** Reads `paymentMetadata()` back from a payment or refund; `undefined` when it names no order. */
export function paymentReference(metadata: unknown): PaymentReference | undefined {
  if (metadata === null || typeof metadata !== 'object') return undefined;
  const { order_id: orderId, attempt } = metadata as Record<string, unknown>;
  if (typeof orderId !== 'string' || orderId === '') return undefined;
  return { orderId, attempt: typeof attempt === 'string' && /^[1-9]\d{0,5}$/.test(attempt) ? Number(attempt) : undefined };
}

interface PaymentRule {
  /** The statuses the event may move the order from; from any other, it is stale and ignored. */
  from: readonly OrderStatus[];
  to: OrderStatus;
  /** Updates the amounts; returns the amount the event moved. */
  apply(order: Order, payment: Payment): number | undefined;
}

const BEFORE_CAPTURE: readonly OrderStatus[] = ['pending_payment', 'requires_action', 'authorized'];

const PAYMENT_RULES: Readonly<Record<string, PaymentRule>> = {
  action_required: { from: ['pending_payment'], to: 'requires_action', apply: () => undefined },
  payment_authorized: {
    from: ['pending_payment', 'requires_action'],
    to: 'authorized',
    apply(order, payment) {
      order.authorizedAmount = payment.amount_capturable;
      return payment.amount_capturable;
    },
  },
  // Partial capture (`payment_captured`, status partially_captured) or full (`payment_succeeded`).
  // With manual capture, the uncaptured rest of the authorization is released.
  payment_captured: { from: BEFORE_CAPTURE, to: 'paid', apply: applyCapture },
  payment_succeeded: { from: BEFORE_CAPTURE, to: 'paid', apply: applyCapture },
  payment_failed: {
    from: ['pending_payment', 'requires_action'],
    to: 'payment_failed',
    apply(order, payment) {
      order.failureReason = payment.error_message ?? payment.error_code ?? 'The payment failed';
      return undefined;
    },
  },
  payment_cancelled: {
    from: BEFORE_CAPTURE,
    to: 'cancelled',
    apply(order) {
      order.authorizedAmount = 0;
      return undefined;
    },
  },
};

function applyCapture(order: Order, payment: Payment): number {
  const captured = payment.amount_received ?? 0;
  // A capture implies an authorization, even if its event has not been applied yet.
  if (order.authorizedAmount === 0) order.authorizedAmount = payment.amount;
  order.capturedAmount = captured;
  return captured;
}

function record(order: Order, key: string, event: EventInfo, amount: number | undefined): OrderHistoryEntry {
  const entry: OrderHistoryEntry = { key, eventId: event.eventId, type: event.type, source: event.source, at: event.timestamp, status: order.status };
  if (amount !== undefined) entry.amount = amount;
  order.history.push(entry);
  order.updatedAt = new Date().toISOString();
  return entry;
}

/**
 * Whether `payment` is the order's current payment: the one it stored, or, while the order does not
 * know its payment yet, the one whose metadata names the order's current attempt. That second case
 * is an event overtaking Paymnt's answer to the create call (always so for the event published
 * inside `payments.create({ confirm: true })`): the order learns its payment id from the event.
 */
function isCurrentPayment(order: Order, payment: Payment): boolean {
  if (order.paymentId !== null) return payment.payment_id === order.paymentId;
  const reference = paymentReference(payment.metadata);
  return reference?.orderId === order.id && reference.attempt === order.paymentAttempt;
}

/**
 * Applies a payment event to its order, or says why not. Idempotent: an event already applied
 * (same payment and event type), one of an earlier attempt's payment, or one the order has moved
 * past (out of order), changes nothing. The order is only mutated when the result is `applied`.
 * Throws `OrderNotReadyError` for a payment of an attempt the order has not recorded yet.
 */
export function applyPaymentEvent(order: Order, change: PaymentChange): TransitionResult {
  const { payment, type } = change;
  const key = `${payment.payment_id}:${type}`;
  const rule = PAYMENT_RULES[type];
  if (rule === undefined) return { applied: false, reason: `the shop does not act on ${type}` };
  if (order.history.some((entry) => entry.key === key)) return { applied: false, reason: 'already applied' };
  if (!isCurrentPayment(order, payment)) {
    const reference = paymentReference(payment.metadata);
    if (reference?.orderId === order.id && reference.attempt !== undefined && reference.attempt > order.paymentAttempt) {
      throw new OrderNotReadyError(`Order ${order.id} has not recorded its payment attempt ${reference.attempt} yet (it is at ${order.paymentAttempt})`);
    }
    return { applied: false, reason: `payment ${payment.payment_id} is not the payment of the order's current attempt` };
  }
  if (payment.currency !== order.currency || payment.amount !== order.amount) {
    return { applied: false, reason: `payment ${payment.payment_id} (${payment.amount} ${payment.currency}) does not match the order` };
  }
  if (!rule.from.includes(order.status)) return { applied: false, reason: `order is already ${order.status} (out-of-order event)` };
  if (rule.to === 'paid') {
    const captured = payment.amount_received ?? 0;
    if (captured <= 0 || captured > order.amount) return { applied: false, reason: `captured amount ${captured} is not within the order total` };
  }
  if (order.paymentId === null) {
    order.paymentId = payment.payment_id;
    order.attemptPending = false;
  }
  const moved = rule.apply(order, payment);
  order.status = rule.to;
  return { applied: true, entry: record(order, key, change, moved) };
}

/**
 * Applies a refund event. A succeeded refund is counted once (by refund id) and never beyond what
 * was captured; a failed one is only recorded. A refund for an order not yet `paid` throws
 * `OrderNotReadyError` so that the webhook is delivered again later.
 */
export function applyRefundEvent(order: Order, change: RefundChange): TransitionResult {
  const { refund, type } = change;
  const key = `${refund.refund_id}:${type}`;
  if (type !== 'refund_succeeded' && type !== 'refund_failed') return { applied: false, reason: `the shop does not act on ${type}` };
  if (order.history.some((entry) => entry.key === key) || refund.refund_id in order.refunds) return { applied: false, reason: 'already applied' };
  if (refund.payment_id !== order.paymentId || refund.currency !== order.currency) {
    return { applied: false, reason: `refund ${refund.refund_id} does not belong to the order` };
  }
  if (type === 'refund_failed') return { applied: true, entry: record(order, key, change, undefined) };
  if (BEFORE_CAPTURE.includes(order.status)) {
    throw new OrderNotReadyError(`Order ${order.id} is ${order.status}: ${type} can only be applied once the payment is captured`);
  }
  if (order.status !== 'paid' && order.status !== 'partially_refunded') {
    return { applied: false, reason: `order is ${order.status}: nothing was captured to refund` };
  }
  const refunded = order.refundedAmount + refund.amount;
  if (refund.amount <= 0 || refunded > order.capturedAmount) {
    return { applied: false, reason: `refund of ${refund.amount} would exceed the captured ${order.capturedAmount}` };
  }
  order.refunds[refund.refund_id] = refund.amount;
  order.refundedAmount = refunded;
  order.status = refunded === order.capturedAmount ? 'refunded' : 'partially_refunded';
  return { applied: true, entry: record(order, key, change, refund.amount) };
}

const CAPTURED: readonly OrderStatus[] = ['paid', 'partially_refunded', 'refunded'];
const DISPUTE_OPEN: readonly OrderStatus[] = ['disputed', 'dispute_challenged'];

/** Where a captured order goes back to when its chargeback ends in its favour (won, or cancelled). */
function afterChargeback(order: Order): OrderStatus {
  if (order.refundedAmount === 0) return 'paid';
  return order.refundedAmount >= order.capturedAmount ? 'refunded' : 'partially_refunded';
}

interface DisputeRule {
  from: readonly OrderStatus[];
  to(order: Order): OrderStatus;
  /** The disputed amount is taken back from the shop. */
  chargedBack?: true;
}

/** A chargeback's life on its order (the dispute statuses of the API, section 6). */
const DISPUTE_RULES: Readonly<Record<string, DisputeRule>> = {
  dispute_opened: { from: CAPTURED, to: () => 'disputed' },
  dispute_challenged: { from: ['disputed'], to: () => 'dispute_challenged' },
  dispute_accepted: { from: ['disputed'], to: () => 'charged_back', chargedBack: true },
  // Not answered before `challenge_required_by`: the issuer decides for the cardholder.
  dispute_expired: { from: ['disputed'], to: () => 'charged_back', chargedBack: true },
  dispute_lost: { from: DISPUTE_OPEN, to: () => 'charged_back', chargedBack: true },
  dispute_won: { from: DISPUTE_OPEN, to: afterChargeback },
  dispute_cancelled: { from: DISPUTE_OPEN, to: afterChargeback },
};

/**
 * Applies a dispute event (a chargeback) to the order of its payment, or says why not. Idempotent
 * like the others: an event already applied, one of another dispute than the order's, or one the
 * order has moved past (a late `dispute_challenged` after `dispute_won`) changes nothing. A lost,
 * accepted or expired dispute counts its amount as charged back.
 */
export function applyDisputeEvent(order: Order, change: DisputeChange): TransitionResult {
  const { dispute, type } = change;
  const key = `${dispute.dispute_id}:${type}`;
  const rule = DISPUTE_RULES[type];
  if (rule === undefined) return { applied: false, reason: `the shop does not act on ${type}` };
  if (order.history.some((entry) => entry.key === key)) return { applied: false, reason: 'already applied' };
  if (dispute.payment_id !== order.paymentId) return { applied: false, reason: `dispute ${dispute.dispute_id} is not about the order's payment` };
  if (type !== 'dispute_opened' && order.dispute?.disputeId !== dispute.dispute_id) {
    return { applied: false, reason: `dispute ${dispute.dispute_id} is not the order's open dispute` };
  }
  if (!rule.from.includes(order.status)) return { applied: false, reason: `order is already ${order.status} (out-of-order event)` };
  const amount = Number(dispute.amount);
  if (!Number.isInteger(amount) || amount <= 0 || amount > order.capturedAmount) {
    return { applied: false, reason: `disputed amount ${dispute.amount} is not within the captured ${order.capturedAmount}` };
  }
  order.dispute = {
    disputeId: dispute.dispute_id,
    status: type,
    amount,
    reason: dispute.connector_reason ?? null,
    challengeBy: dispute.challenge_required_by ?? null,
  };
  if (rule.chargedBack === true) order.chargedBackAmount = amount;
  order.status = rule.to(order);
  return { applied: true, entry: record(order, key, change, amount) };
}
