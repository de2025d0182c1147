import type { OpenUnion, Timestamp } from './common';
import type { Mandate } from './mandate';
import { type Dispute, DISPUTE_STATUSES } from './dispute';
import type { Payment } from './payment';
import type { Refund } from './refund';

/** Event types whose `content.object` is a payment. */
export const PAYMENT_EVENT_TYPES = [
  'payment_succeeded',
  'payment_failed',
  'payment_processing',
  'payment_cancelled',
  'payment_cancelled_post_capture',
  'payment_authorized',
  'payment_partially_authorized',
  'payment_captured',
  'payment_expired',
  'action_required',
] as const;

/** Event types whose `content.object` is a refund. */
export const REFUND_EVENT_TYPES = ['refund_succeeded', 'refund_failed'] as const;

/** Event types whose `content.object` is a mandate. */
export const MANDATE_EVENT_TYPES = ['mandate_active', 'mandate_revoked'] as const;

/** Event types whose `content.object` is a dispute: one per `DisputeStatus`, with the same names. */
export const DISPUTE_EVENT_TYPES = DISPUTE_STATUSES;

/** Every event type of the API (section 6), including those this SDK does not model in detail. */
export const EVENT_TYPES = [
  ...PAYMENT_EVENT_TYPES,
  ...REFUND_EVENT_TYPES,
  ...DISPUTE_EVENT_TYPES,
  ...MANDATE_EVENT_TYPES,
  'payout_success',
  'payout_failed',
  'payout_initiated',
  'payout_processing',
  'payout_cancelled',
  'payout_expired',
  'payout_reversed',
  'invoice_paid',
] as const;

export type PaymentEventType = (typeof PAYMENT_EVENT_TYPES)[number];
export type RefundEventType = (typeof REFUND_EVENT_TYPES)[number];
export type MandateEventType = (typeof MANDATE_EVENT_TYPES)[number];
export type DisputeEventType = (typeof DISPUTE_EVENT_TYPES)[number];
export type KnownEventType = (typeof EVENT_TYPES)[number];
export type EventType = OpenUnion<KnownEventType>;

interface WebhookEventBase {
  merchant_id: string;
  /** `evt_` + 32 hex. De-duplicate on it. */
  event_id: string;
  timestamp: Timestamp;
  processor_merchant_id?: string | null;
}

export interface PaymentWebhookEvent<T extends PaymentEventType = PaymentEventType> extends WebhookEventBase {
  event_type: T;
  content: { type: 'payment_details'; object: Payment };
}

export interface RefundWebhookEvent<T extends RefundEventType = RefundEventType> extends WebhookEventBase {
  event_type: T;
  content: { type: 'refund_details'; object: Refund };
}

export interface MandateWebhookEvent<T extends MandateEventType = MandateEventType> extends WebhookEventBase {
  event_type: T;
  content: { type: 'mandate_details'; object: Mandate };
}

export interface DisputeWebhookEvent<T extends DisputeEventType = DisputeEventType> extends WebhookEventBase {
  event_type: T;
  content: { type: 'dispute_details'; object: Dispute };
}

/** Payouts, invoices... : typed loosely until the SDK models them. */
export interface OtherWebhookEvent extends WebhookEventBase {
  event_type: Exclude<KnownEventType, PaymentEventType | RefundEventType | MandateEventType | DisputeEventType>;
  content: { type: OpenUnion<'payout_details' | 'subscription_details'>; object: Record<string, unknown> };
}

/** A verified webhook event, discriminated by `event_type`. */
export type WebhookEvent = PaymentWebhookEvent | RefundWebhookEvent | MandateWebhookEvent | DisputeWebhookEvent | OtherWebhookEvent;

const PAYMENT_TYPES: ReadonlySet<string> = new Set(PAYMENT_EVENT_TYPES);
const REFUND_TYPES: ReadonlySet<string> = new Set(REFUND_EVENT_TYPES);
const MANDATE_TYPES: ReadonlySet<string> = new Set(MANDATE_EVENT_TYPES);
const DISPUTE_TYPES: ReadonlySet<string> = new Set(DISPUTE_EVENT_TYPES);

/** Whether `type` is one of `PAYMENT_EVENT_TYPES`. */
export function isPaymentEventType(type: unknown): type is PaymentEventType {
  return typeof type === 'string' && PAYMENT_TYPES.has(type);
}

/** Whether `type` is one of `REFUND_EVENT_TYPES`. */
export function isRefundEventType(type: unknown): type is RefundEventType {
  return typeof type === 'string' && REFUND_TYPES.has(type);
}

/**
 * Whether `event` is a payment event: its `event_type` is one of `PAYMENT_EVENT_TYPES` AND its
 * `content.type` is `payment_details`. An event type this SDK does not know (one added to the API
 * later, say) is not a payment event, whatever its content: narrowing it to `PaymentWebhookEvent`
 * would promise an `event_type` it does not have.
 */
export function isPaymentEvent(event: WebhookEvent): event is PaymentWebhookEvent {
  return isPaymentEventType(event?.event_type) && event.content?.type === 'payment_details';
}

/** Whether `event` is a refund event: `event_type` in `REFUND_EVENT_TYPES` AND `content.type` `refund_details`. */
export function isRefundEvent(event: WebhookEvent): event is RefundWebhookEvent {
  return isRefundEventType(event?.event_type) && event.content?.type === 'refund_details';
}

/** Whether `type` is one of `MANDATE_EVENT_TYPES`. */
export function isMandateEventType(type: unknown): type is MandateEventType {
  return typeof type === 'string' && MANDATE_TYPES.has(type);
}

/** Whether `event` is a mandate event: `event_type` in `MANDATE_EVENT_TYPES` AND `content.type` `mandate_details`. */
export function isMandateEvent(event: WebhookEvent): event is MandateWebhookEvent {
  return isMandateEventType(event?.event_type) && event.content?.type === 'mandate_details';
}

/** Whether `type` is one of `DISPUTE_EVENT_TYPES`. */
export function isDisputeEventType(type: unknown): type is DisputeEventType {
  return typeof type === 'string' && DISPUTE_TYPES.has(type);
}

/** Whether `event` is a dispute event: `event_type` in `DISPUTE_EVENT_TYPES` AND `content.type` `dispute_details`. */
export function isDisputeEvent(event: WebhookEvent): event is DisputeWebhookEvent {
  return isDisputeEventType(event?.event_type) && event.content?.type === 'dispute_details';
}
