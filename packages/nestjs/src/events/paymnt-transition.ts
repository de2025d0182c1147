import { parseIsoTime, type Dispute, type Payment, type Refund } from '@paymnt/client';

/**
 * One state change of one object, as the event store de-duplicates and orders it.
 *
 * Its identity is `${objectId}:${event_type}`: the API sends at most one initial delivery per
 * (object, event type), and its redeliveries carry the same `event_id` and object, so one key
 * de-duplicates redeliveries, concurrent deliveries to several instances, and the same transition
 * learned from a webhook and from an API response.
 */
export interface PaymntTransition {
  readonly key: string;
  /** The object whose transitions are ordered (`payment:pay_123`); none for unordered events. */
  readonly objectKey?: string;
  /** When the object last changed (epoch milliseconds); a transition older than the applied one is stale. */
  readonly version?: number;
}

function timeOf(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const time = parseIsoTime(value);
  return Number.isNaN(time) ? undefined : time;
}

export function paymentTransition(payment: Payment, type: string): PaymntTransition {
  const version = timeOf(payment.updated) ?? timeOf(payment.modified_at);
  return { key: `${payment.payment_id}:${type}`, objectKey: `payment:${payment.payment_id}`, version };
}

export function refundTransition(refund: Refund, type: string): PaymntTransition {
  return { key: `${refund.refund_id}:${type}`, objectKey: `refund:${refund.refund_id}`, version: timeOf(refund.updated_at) };
}

/** A mandate's transitions are ordered by the webhook's timestamp (a mandate carries no update time). */
export function mandateTransition(mandateId: string, type: string, timestamp: string): PaymntTransition {
  return { key: `${mandateId}:${type}`, objectKey: `mandate:${mandateId}`, version: timeOf(timestamp) };
}

/** A dispute's changes are ordered by `connector_updated_at` (its only modification time), else `created_at`. */
export function disputeTransition(dispute: Dispute, type: string): PaymntTransition {
  const version = timeOf(dispute.connector_updated_at) ?? timeOf(dispute.created_at);
  return { key: `${dispute.dispute_id}:${type}`, objectKey: `dispute:${dispute.dispute_id}`, version };
}

/** An event without an ordered object (payouts, invoices…): de-duplicated by its id only. */
export function eventTransition(eventId: string): PaymntTransition {
  return { key: `event:${eventId}` };
}
