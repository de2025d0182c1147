import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import {
  OnPaymntEvent,
  type PaymentSucceededEvent,
  type AnyPaymntEvent,
  PaymntEvents,
  type RefundSucceededEvent,
} from '@paymnt/nestjs';

export interface RecordedCall {
  handler: 'typed' | 'typed-refund' | 'wildcard';
  type: string;
  objectId: string;
  source: 'webhook' | 'api';
  eventId: string;
}

function objectIdOf(event: AnyPaymntEvent): string {
  if ('payment' in event) return event.payment.payment_id;
  if ('refund' in event) return event.refund.refund_id;
  if ('mandate' in event) return event.mandate.mandate_id;
  if ('dispute' in event) return event.dispute.dispute_id;
  return String(event.object.id ?? event.eventId);
}

/**
 * Records every domain event the app's handlers receive, and can make them fail or wait: the
 * observable side of the module in end-to-end tests.
 */
@Injectable()
export class EventRecorder {
  readonly calls: RecordedCall[] = [];
  /** Handler attempts, failed ones included, by `${objectId}:${type}`. */
  readonly attempts = new Map<string, number>();
  /** `${objectId}:${type}` keys whose next N attempts throw. */
  readonly failures = new Map<string, number>();
  /** `${objectId}:${type}` keys whose handler waits for this promise. */
  readonly gates = new Map<string, Promise<void>>();
  /** Resolved when a handler for `${objectId}:${type}` starts. */
  private readonly started = new Map<string, { promise: Promise<void>; resolve: () => void }>();

  count(filter: Partial<RecordedCall>): number {
    return this.calls.filter((call) => Object.entries(filter).every(([key, value]) => call[key as keyof RecordedCall] === value)).length;
  }

  /** A promise resolved once a handler for `key` has started. */
  whenStarted(key: string): Promise<void> {
    return this.startedEntry(key).promise;
  }

  async handle(handler: RecordedCall['handler'], event: AnyPaymntEvent): Promise<void> {
    const objectId = objectIdOf(event);
    const key = `${objectId}:${event.type}`;
    if (handler === 'wildcard') {
      this.attempts.set(key, (this.attempts.get(key) ?? 0) + 1);
      this.startedEntry(key).resolve();
      const gate = this.gates.get(key);
      if (gate !== undefined) await gate;
      const failures = this.failures.get(key) ?? 0;
      if (failures > 0) {
        this.failures.set(key, failures - 1);
        throw new Error(`planned failure of ${key}`);
      }
    }
    this.calls.push({ handler, type: event.type, objectId, source: event.source, eventId: event.eventId });
  }

  private startedEntry(key: string): { promise: Promise<void>; resolve: () => void } {
    let entry = this.started.get(key);
    if (entry === undefined) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      entry = { promise, resolve };
      this.started.set(key, entry);
    }
    return entry;
  }
}

/** The app's event handlers: a typed `@OnPaymntEvent`, and a plain `@OnEvent('paymnt.*')`. */
@Injectable()
export class PaymntHandlers {
  constructor(private readonly recorder: EventRecorder) {}

  @OnPaymntEvent(PaymntEvents.PAYMENT_SUCCEEDED)
  async onPaymentSucceeded(event: PaymentSucceededEvent): Promise<void> {
    await this.recorder.handle('typed', event);
  }

  @OnPaymntEvent(PaymntEvents.REFUND_SUCCEEDED)
  async onRefundSucceeded(event: RefundSucceededEvent): Promise<void> {
    await this.recorder.handle('typed-refund', event);
  }

  // Plain @OnEvent suppresses handler errors unless told otherwise.
  @OnEvent('paymnt.*', { suppressErrors: false })
  async onAny(event: AnyPaymntEvent): Promise<void> {
    await this.recorder.handle('wildcard', event);
  }
}
