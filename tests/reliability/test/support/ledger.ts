import { Injectable } from '@nestjs/common';
import { OnPaymntEvent, type AnyPaymntEvent, PaymntEvents } from '@paymnt/nestjs';

/** What one handler call saw. */
export interface LedgerEntry {
  key: string;
  type: string;
  objectId: string;
  paymentId: string | undefined;
  source: 'api' | 'webhook';
  eventId: string;
  /** `amount_received` of a payment event, `amount` of a refund event. */
  amount: number | null;
}

export function objectIdOf(event: AnyPaymntEvent): string {
  if ('payment' in event) return event.payment.payment_id;
  if ('refund' in event) return event.refund.refund_id;
  if ('mandate' in event) return event.mandate.mandate_id;
  if ('dispute' in event) return event.dispute.dispute_id;
  return String(event.object.id ?? event.eventId);
}

/** `${objectId}:${event_type}`: one state change of one object (what the API sends at most one event for). */
export function transitionKey(objectId: string, type: string): string {
  return `${objectId}:${type}`;
}

/**
 * The app's ledger: a typed `@OnPaymntEvent` handler for every domain event, applying each
 * transition's money effect, and a `'paymnt.*'` wildcard counting every call, so a call that
 * reaches no typed handler is still seen.
 */
@Injectable()
export class Ledger {
  readonly entries: LedgerEntry[] = [];
  /** Calls per transition key, from the typed handler. */
  readonly calls = new Map<string, number>();
  /** Calls per transition key, from the wildcard handler. */
  readonly wildcardCalls = new Map<string, number>();
  /** Amount captured per payment, as the events told it (the latest amount_received seen). */
  readonly captured = new Map<string, number>();
  /** Sum of succeeded refunds per payment, as the events told it. */
  readonly refunded = new Map<string, number>();

  // One decorator per event: `@OnPaymntEvent([a, b])` subscribes to nothing (see handler-registration.spec.ts).
  @OnPaymntEvent(PaymntEvents.PAYMENT_AUTHORIZED)
  @OnPaymntEvent(PaymntEvents.PAYMENT_PARTIALLY_AUTHORIZED)
  @OnPaymntEvent(PaymntEvents.PAYMENT_CAPTURED)
  @OnPaymntEvent(PaymntEvents.PAYMENT_SUCCEEDED)
  @OnPaymntEvent(PaymntEvents.PAYMENT_FAILED)
  @OnPaymntEvent(PaymntEvents.PAYMENT_PROCESSING)
  @OnPaymntEvent(PaymntEvents.PAYMENT_CANCELLED)
  @OnPaymntEvent(PaymntEvents.PAYMENT_CANCELLED_POST_CAPTURE)
  @OnPaymntEvent(PaymntEvents.PAYMENT_EXPIRED)
  @OnPaymntEvent(PaymntEvents.ACTION_REQUIRED)
  @OnPaymntEvent(PaymntEvents.REFUND_SUCCEEDED)
  @OnPaymntEvent(PaymntEvents.REFUND_FAILED)
  apply(event: AnyPaymntEvent): void {
    const objectId = objectIdOf(event);
    const key = transitionKey(objectId, event.type);
    this.calls.set(key, (this.calls.get(key) ?? 0) + 1);
    let amount: number | null = null;
    let paymentId: string | undefined;
    if ('payment' in event) {
      paymentId = event.payment.payment_id;
      amount = event.payment.amount_received ?? null;
      if ((event.type === 'payment_captured' || event.type === 'payment_succeeded') && amount !== null) {
        this.captured.set(paymentId, Math.max(this.captured.get(paymentId) ?? 0, amount));
      }
    } else if ('refund' in event) {
      paymentId = event.refund.payment_id;
      amount = event.refund.amount;
      if (event.type === 'refund_succeeded') this.refunded.set(paymentId, (this.refunded.get(paymentId) ?? 0) + amount);
    }
    this.entries.push({ key, type: event.type, objectId, paymentId, source: event.source, eventId: event.eventId, amount });
  }

  @OnPaymntEvent('paymnt.*')
  count(event: AnyPaymntEvent): void {
    const key = transitionKey(objectIdOf(event), event.type);
    this.wildcardCalls.set(key, (this.wildcardCalls.get(key) ?? 0) + 1);
  }
}
