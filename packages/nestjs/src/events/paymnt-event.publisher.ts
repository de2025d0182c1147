import { randomUUID } from 'node:crypto';
import { inspect, type InspectOptions } from 'node:util';
import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { EventEmitter2, EventEmitterReadinessWatcher } from '@nestjs/event-emitter';
import {
  EVENT_TYPES,
  isDisputeEventType,
  isMandateEventType,
  isPaymentEventType,
  isRefundEventType,
  type Dispute,
  type DisputeWebhookEvent,
  type MandateWebhookEvent,
  type Payment,
  type PaymentWebhookEvent,
  type Refund,
  type RefundWebhookEvent,
  type WebhookEvent,
} from '@paymnt/client';
import { PaymntConfigurationError } from '../errors/paymnt-configuration.error';
import { PaymntEventHandlerError } from '../errors/paymnt-event-handler.error';
import type { ResolvedPaymntOptions } from '../options/paymnt-module-options.interface';
import { inspectWithoutSecrets } from '../options/redact-paymnt-options';
import { PAYMNT_EVENT_PREFIX } from '../paymnt.constants';
import { isDefaultPaymntInstance, PAYMNT_DEFAULT_INSTANCE } from '../paymnt.tokens';
import { InjectPaymntEventStore, InjectPaymntOptions } from '../paymnt.decorators';
import type { PaymntEventStore } from '../stores/paymnt-event.store';
import { DisputeEvent } from './dispute.event';
import { PaymentEvent } from './payment.event';
import { disputeEventTypeFor, type OtherEventType, paymentEventTypeFor, refundEventTypeFor } from './paymnt-events';
import type { PaymntPublishOutcome } from './paymnt-publish-outcome';
import { PaymntResourceEvent } from './paymnt-resource.event';
import { disputeTransition, eventTransition, mandateTransition, paymentTransition, type PaymntTransition, refundTransition } from './paymnt-transition';
import { RefundEvent } from './refund.event';
import { MandateEvent } from './mandate.event';
import { TransitionClaims } from './transition-claims';

/** The startup error when the app has no `EventEmitter2`: it says how to add one. */
export const MISSING_EVENT_EMITTER_MESSAGE =
  'PaymntModule publishes domain events on an EventEmitter2, and none was found. ' +
  'Add EventEmitterModule.forRoot() (from @nestjs/event-emitter) to your AppModule imports, ' +
  "with { wildcard: true } to listen to 'paymnt.*'.";

/** Payouts, invoices...: published as `PaymntResourceEvent`. */
const OTHER_EVENT_TYPES: ReadonlySet<string> = new Set(
  EVENT_TYPES.filter((type) => !isPaymentEventType(type) && !isRefundEventType(type) && !isMandateEventType(type) && !isDisputeEventType(type)),
);

type DispatchableEvent = PaymentEvent | RefundEvent | MandateEvent | DisputeEvent | PaymntResourceEvent;

/**
 * Turns verified webhooks and service results into typed domain events on the app's
 * `EventEmitter2`, each state change once (`PaymntTransition`, run under the event store's claims
 * by `TransitionClaims`). Events older (by the object's `updated` / `modified_at`, or a refund's
 * `updated_at`, a dispute's `connector_updated_at`) than the last one applied to the same object
 * are recorded but not dispatched.
 *
 * Handlers are awaited with `emitAsync`, so their errors reach the publisher (with
 * `suppressErrors: false`, the default of `@OnPaymntEvent`).
 */
@Injectable()
export class PaymntEventPublisher implements OnModuleInit, OnModuleDestroy {
  protected readonly logger = new Logger('PaymntEventPublisher');
  protected emitter!: EventEmitter2;
  /** False until `@nestjs/event-emitter` has registered the app's listeners (at bootstrap). */
  protected listenersReady = false;
  /** Whether the emitter can say that nothing listens to an event (EventEmitter2 can), so that emitting can be skipped. */
  protected canSkipUnheard = false;
  /** Event names found heard once (a few dozen at most: one per event type). */
  private readonly heard = new Set<string>();
  private readonly claims: TransitionClaims;
  /** The instance's name, carried by every event (`instance`). */
  protected readonly instance: string;

  constructor(
    @InjectPaymntOptions() protected readonly options: ResolvedPaymntOptions,
    @InjectPaymntEventStore() protected readonly store: PaymntEventStore,
    protected readonly moduleRef: ModuleRef,
  ) {
    this.instance = options.name ?? PAYMNT_DEFAULT_INSTANCE;
    // A named instance's keys are its own: instances sharing a Redis store must not take each
    // other's events for duplicates (the API numbers each account's events on its own).
    const namespace = isDefaultPaymntInstance(this.instance) ? '' : `${this.instance}/`;
    this.claims = new TransitionClaims(store, options.leaseMs, options.dedupeTtlMs, this.logger, namespace);
  }

  /** Safe to log or serialize: no options (they hold the API key), no module reference. */
  toJSON(): Record<string, unknown> {
    return { instance: this.instance, store: this.store.constructor.name, publishServiceEvents: this.options.publishServiceEvents, listenersReady: this.listenersReady };
  }

  [inspect.custom](_depth: number, options: InspectOptions): string {
    return inspectWithoutSecrets(this.constructor.name, this.toJSON(), options);
  }

  /** The app owns the emitter (a peer dependency): check it is there before any event flows. */
  onModuleInit(): void {
    let emitter: EventEmitter2 | undefined;
    try {
      emitter = this.moduleRef.get(EventEmitter2, { strict: false });
    } catch {
      emitter = undefined;
    }
    if (emitter === undefined || emitter === null) {
      throw new PaymntConfigurationError('EventEmitter2', 'no EventEmitter2 provider', MISSING_EVENT_EMITTER_MESSAGE);
    }
    this.emitter = emitter;
    this.canSkipUnheard = typeof emitter.hasListeners === 'function' && typeof emitter.listenersAny === 'function';
    let watcher: EventEmitterReadinessWatcher | undefined;
    try {
      watcher = this.moduleRef.get(EventEmitterReadinessWatcher, { strict: false });
    } catch {
      watcher = undefined;
    }
    if (watcher === undefined) {
      this.listenersReady = true;
    } else {
      watcher.waitUntilReady().then(
        () => (this.listenersReady = true),
        () => undefined,
      );
    }
  }

  /** Makes a last attempt to record the completions the store missed, and logs those it still could not. */
  async onModuleDestroy(): Promise<void> {
    await this.claims.close();
  }

  /**
   * Publishes a verified webhook event. Throws `PaymntEventHandlerError` when a handler fails
   * (the claim is released first, so a redelivery runs the handlers again), and the store's error
   * when it failed before the handlers ran.
   *
   * Only the event types of the API are published (section 6: payments, refunds, disputes,
   * mandates, payouts, invoices), each with the object its type announces. Any other event type
   * (one added to the API later, say) is `ignored`: nothing is emitted, claimed or recorded, so it
   * cannot make the next genuine event of its object look stale.
   */
  async publishWebhookEvent(event: WebhookEvent): Promise<PaymntPublishOutcome> {
    const type = event.event_type;
    const contentType = event.content?.type;
    if (isPaymentEventType(type)) {
      if (contentType !== 'payment_details') return 'ignored';
      const webhook = event as PaymentWebhookEvent;
      const payment = webhook.content.object;
      const domainEvent = new PaymentEvent(webhook.event_id, webhook.event_type, payment, webhook.timestamp, 'webhook', webhook, this.instance);
      return this.dispatch(paymentTransition(payment, type), domainEvent);
    }
    if (isRefundEventType(type)) {
      if (contentType !== 'refund_details') return 'ignored';
      const webhook = event as RefundWebhookEvent;
      const refund = webhook.content.object;
      const domainEvent = new RefundEvent(webhook.event_id, webhook.event_type, refund, webhook.timestamp, 'webhook', webhook, this.instance);
      return this.dispatch(refundTransition(refund, type), domainEvent);
    }
    if (isMandateEventType(type)) {
      const webhook = event as MandateWebhookEvent;
      const mandate = webhook.content?.object;
      if (contentType !== 'mandate_details' || typeof mandate?.mandate_id !== 'string') return 'ignored';
      const domainEvent = new MandateEvent(webhook.event_id, webhook.event_type, mandate, webhook.timestamp, webhook, this.instance);
      return this.dispatch(mandateTransition(mandate.mandate_id, type, webhook.timestamp), domainEvent);
    }
    if (isDisputeEventType(type)) {
      if (contentType !== 'dispute_details') return 'ignored';
      const webhook = event as DisputeWebhookEvent;
      const dispute = webhook.content.object;
      const domainEvent = new DisputeEvent(webhook.event_id, webhook.event_type, dispute, webhook.timestamp, 'webhook', webhook, this.instance);
      return this.dispatch(disputeTransition(dispute, type), domainEvent);
    }
    if (OTHER_EVENT_TYPES.has(type)) {
      const domainEvent = new PaymntResourceEvent(
        event.event_id,
        type as OtherEventType,
        event.content.object as Record<string, unknown>,
        event.timestamp,
        event as PaymntResourceEvent['raw'],
        this.instance,
      );
      return this.dispatch(eventTransition(event.event_id), domainEvent);
    }
    return 'ignored';
  }

  /**
   * Publishes the event matching a payment returned by the API (`source: 'api'`), if its status
   * has one. Never throws: the API call succeeded, and failing it now would make the caller retry
   * an operation that went through. A handler failure is logged and releases the claim, so the
   * webhook of the same transition runs the handlers again.
   */
  async publishPayment(payment: Payment): Promise<PaymntPublishOutcome> {
    const type = this.options.publishServiceEvents ? paymentEventTypeFor(payment.status) : undefined;
    if (type === undefined) return 'ignored';
    const timestamp = payment.updated ?? payment.modified_at ?? new Date().toISOString();
    const domainEvent = new PaymentEvent(`api_${randomUUID()}`, type, payment, timestamp, 'api', undefined, this.instance);
    return this.publishFromApi(paymentTransition(payment, type), domainEvent);
  }

  /** Same as `publishPayment()`, for a refund returned by the API. */
  async publishRefund(refund: Refund): Promise<PaymntPublishOutcome> {
    const type = this.options.publishServiceEvents ? refundEventTypeFor(refund.status) : undefined;
    if (type === undefined) return 'ignored';
    const timestamp = refund.updated_at ?? new Date().toISOString();
    const domainEvent = new RefundEvent(`api_${randomUUID()}`, type, refund, timestamp, 'api', undefined, this.instance);
    return this.publishFromApi(refundTransition(refund, type), domainEvent);
  }

  /** Same as `publishPayment()`, for a dispute returned by the API (accept, submit evidence). */
  async publishDispute(dispute: Dispute): Promise<PaymntPublishOutcome> {
    const type = this.options.publishServiceEvents ? disputeEventTypeFor(dispute.dispute_status) : undefined;
    if (type === undefined) return 'ignored';
    const timestamp = dispute.connector_updated_at ?? dispute.created_at ?? new Date().toISOString();
    const domainEvent = new DisputeEvent(`api_${randomUUID()}`, type, dispute, timestamp, 'api', undefined, this.instance);
    return this.publishFromApi(disputeTransition(dispute, type), domainEvent);
  }

  protected async publishFromApi(transition: PaymntTransition, event: DispatchableEvent): Promise<PaymntPublishOutcome> {
    // Before bootstrap ends (a call from an onModuleInit hook), no listener is registered yet:
    // publishing would mark the transition done with nobody told. Leave it to its webhook.
    if (!this.listenersReady) {
      this.logger.warn(`${transition.key} was not published: event handlers are registered at application bootstrap; its webhook will deliver it.`);
      return 'ignored';
    }
    try {
      return await this.dispatch(transition, event);
    } catch (error) {
      if (error instanceof PaymntEventHandlerError && error.retryLater) {
        this.logger.warn(`${error.message}. Left to the webhook of this transition, which runs the handlers again.`);
        return 'failed';
      }
      const err = error instanceof Error ? error : new Error(String(error));
      this.logger.error(`${err.message}. Not retried here: the webhook of this transition runs the handlers again.`, err.stack);
      return 'failed';
    }
  }

  /** Emits `event` and awaits its handlers, once per transition (`TransitionClaims`); a handler's error becomes `PaymntEventHandlerError`. */
  protected dispatch(transition: PaymntTransition, event: DispatchableEvent): Promise<PaymntPublishOutcome> {
    const name = PAYMNT_EVENT_PREFIX + event.type;
    return this.claims.run(transition, async () => {
      if (!this.isHeard(name)) return;
      try {
        await this.emitter.emitAsync(name, event);
      } catch (error) {
        throw new PaymntEventHandlerError(name, event.eventId, error);
      }
    });
  }

  /**
   * Whether emitting `name` could reach a listener. `false` only when that is certain: no `onAny()`
   * listener, and none matching `name` (EventEmitter2's `hasListeners()` looks through the wildcard
   * tree, `'paymnt.*'` and `'**'` included, when `wildcard` is on). Emitting to nobody is then skipped.
   */
  protected isHeard(name: string): boolean {
    // Once heard, always emitted: emitting to nobody (its listeners removed since) does nothing,
    // and the search through the listener tree stays off the hot path.
    if (!this.canSkipUnheard || this.heard.has(name)) return true;
    const emitter = this.emitter;
    // (Typed `Boolean`; a primitive at run time. Anything but `false` counts as heard.)
    const heard = emitter.listenersAny().length > 0 || (emitter.hasListeners(name) as unknown) !== false;
    if (heard) this.heard.add(name);
    return heard;
  }
}
