import { randomUUID } from 'node:crypto';
import { inspect, type InspectOptions } from 'node:util';
import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { EventEmitter2, EventEmitterReadinessWatcher } from '@nestjs/event-emitter';
import { parseIsoTime, PAYMENT_EVENT_TYPES, type Payment, type PaymentWebhookEvent, REFUND_EVENT_TYPES, type Refund, type RefundWebhookEvent, type WebhookEvent } from '@paymnt/client';
import { PaymntConfigurationError } from '../errors/paymnt-configuration.error';
import { PaymntEventHandlerError } from '../errors/paymnt-event-handler.error';
import type { ResolvedPaymntOptions } from '../options/paymnt-module-options.interface';
import { inspectWithoutSecrets } from '../options/redact-paymnt-options';
import { PAYMNT_EVENT_PREFIX } from '../paymnt.constants';
import { InjectPaymntEventStore, InjectPaymntOptions } from '../paymnt.decorators';
import type { PaymntClaimResult, PaymntEventStore } from '../stores/paymnt-event.store';
import { PaymentEvent } from './payment.event';
import { type OtherEventType, paymentEventTypeFor, PaymntEvents, refundEventTypeFor } from './paymnt-events';
import { PaymntResourceEvent } from './paymnt-resource.event';
import { RefundEvent } from './refund.event';
import { UnrecordedCompletions } from './unrecorded-completions';

/**
 * What publishing did:
 * - `dispatched`: the handlers ran and succeeded;
 * - `duplicate`: this transition was already published (redelivery, or learned the other way);
 * - `stale`: older than what was already applied to the object: recorded, not dispatched;
 * - `in_progress`: another delivery is running the handlers right now;
 * - `ignored`: no domain event for it (a status without an event, an unknown event type, or
 *   `publishServiceEvents: false`);
 * - `failed`: only for service results: a handler or the store failed (logged, not thrown);
 * - `queued`: only in durable intake mode (`webhook.intake`): enqueued, published by a worker.
 */
export type PaymntPublishOutcome = 'dispatched' | 'duplicate' | 'stale' | 'in_progress' | 'ignored' | 'failed' | 'queued';

/** The startup error when the app has no `EventEmitter2`: it says how to add one. */
export const MISSING_EVENT_EMITTER_MESSAGE =
  'PaymntModule publishes domain events on an EventEmitter2, and none was found. ' +
  'Add EventEmitterModule.forRoot() (from @nestjs/event-emitter) to your AppModule imports, ' +
  "with { wildcard: true } to listen to 'paymnt.*'.";

const PAYMENT_TYPES: ReadonlySet<string> = new Set(PAYMENT_EVENT_TYPES);
const REFUND_TYPES: ReadonlySet<string> = new Set(REFUND_EVENT_TYPES);
const OTHER_EVENT_TYPES: ReadonlySet<string> = new Set(
  Object.values(PaymntEvents)
    .map((name) => name.slice(PAYMNT_EVENT_PREFIX.length))
    .filter((type) => !type.startsWith('payment_') && !type.startsWith('refund_') && type !== 'action_required'),
);

type DispatchableEvent = PaymentEvent | RefundEvent | PaymntResourceEvent;

function timeOf(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const time = parseIsoTime(value);
  return Number.isNaN(time) ? undefined : time;
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}

/** A payment's version for ordering: when it last changed. */
function paymentVersion(payment: Payment): number | undefined {
  return timeOf(payment.updated) ?? timeOf(payment.modified_at);
}

function refundVersion(refund: Refund): number | undefined {
  return timeOf(refund.updated_at);
}

/**
 * Turns verified webhooks and service results into typed domain events on the app's
 * `EventEmitter2`, each state change once.
 *
 * A transition's identity is `${objectId}:${event_type}`: the API sends at most one initial
 * delivery per (object, event type), and its redeliveries carry the same `event_id` and object, so
 * one key de-duplicates redeliveries, concurrent deliveries to several instances, and the same
 * transition learned from a webhook and from an API response. Events older (by the object's
 * `updated` / `modified_at`, or a refund's `updated_at`) than the last one applied to the same
 * object are recorded but not dispatched.
 *
 * Handlers are awaited with `emitAsync`, so their errors reach the publisher (with
 * `suppressErrors: false`, the default of `@OnPaymntEvent`).
 *
 * A store failure before the handlers ran is thrown (a webhook is answered 503 and delivered
 * again). Once they succeeded, it is not: the transition is published, its claim is kept rather
 * than released (so a redelivery does not run the handlers again), this instance answers its
 * deliveries `duplicate`, and the completion is recorded in the background until the store takes it.
 */
@Injectable()
export class PaymntEventPublisher implements OnModuleInit, OnModuleDestroy {
  protected readonly logger = new Logger('PaymntEventPublisher');
  protected emitter!: EventEmitter2;
  /** False until `@nestjs/event-emitter` has registered the app's listeners (at bootstrap). */
  protected listenersReady = false;
  /** Whether the emitter can say that nothing listens to an event (EventEmitter2 can), so that emitting can be skipped. */
  protected canSkipUnheard = false;
  /** Transitions whose handlers succeeded while the store could not record it (see the class comment). */
  private readonly unrecorded = new UnrecordedCompletions(
    (key, ttlMs, objectKey, version) => this.completeClaim(key, ttlMs, objectKey, version),
    this.logger,
  );

  constructor(
    @InjectPaymntOptions() protected readonly options: ResolvedPaymntOptions,
    @InjectPaymntEventStore() protected readonly store: PaymntEventStore,
    protected readonly moduleRef: ModuleRef,
  ) {}

  /** Safe to log or serialize: no options (they hold the API key), no module reference. */
  toJSON(): Record<string, unknown> {
    return { store: this.store.constructor.name, publishServiceEvents: this.options.publishServiceEvents, listenersReady: this.listenersReady };
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
    await this.unrecorded.close();
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
    if (PAYMENT_TYPES.has(type)) {
      if (contentType !== 'payment_details') return 'ignored';
      const webhook = event as PaymentWebhookEvent;
      const payment = webhook.content.object;
      const domainEvent = new PaymentEvent(webhook.event_id, webhook.event_type, payment, webhook.timestamp, 'webhook', webhook);
      return this.dispatch(`${payment.payment_id}:${type}`, `payment:${payment.payment_id}`, paymentVersion(payment), domainEvent);
    }
    if (REFUND_TYPES.has(type)) {
      if (contentType !== 'refund_details') return 'ignored';
      const webhook = event as RefundWebhookEvent;
      const refund = webhook.content.object;
      const domainEvent = new RefundEvent(webhook.event_id, webhook.event_type, refund, webhook.timestamp, 'webhook', webhook);
      return this.dispatch(`${refund.refund_id}:${type}`, `refund:${refund.refund_id}`, refundVersion(refund), domainEvent);
    }
    if (OTHER_EVENT_TYPES.has(type)) {
      const domainEvent = new PaymntResourceEvent(
        event.event_id,
        type as OtherEventType,
        event.content.object as Record<string, unknown>,
        event.timestamp,
        event as PaymntResourceEvent['raw'],
      );
      return this.dispatch(`event:${event.event_id}`, undefined, undefined, domainEvent);
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
    const domainEvent = new PaymentEvent(`api_${randomUUID()}`, type, payment, timestamp, 'api');
    return this.publishFromApi(`${payment.payment_id}:${type}`, `payment:${payment.payment_id}`, paymentVersion(payment), domainEvent);
  }

  /** Same as `publishPayment()`, for a refund returned by the API. */
  async publishRefund(refund: Refund): Promise<PaymntPublishOutcome> {
    const type = this.options.publishServiceEvents ? refundEventTypeFor(refund.status) : undefined;
    if (type === undefined) return 'ignored';
    const timestamp = refund.updated_at ?? new Date().toISOString();
    const domainEvent = new RefundEvent(`api_${randomUUID()}`, type, refund, timestamp, 'api');
    return this.publishFromApi(`${refund.refund_id}:${type}`, `refund:${refund.refund_id}`, refundVersion(refund), domainEvent);
  }

  protected async publishFromApi(
    key: string,
    objectKey: string,
    version: number | undefined,
    event: DispatchableEvent,
  ): Promise<PaymntPublishOutcome> {
    // Before bootstrap ends (a call from an onModuleInit hook), no listener is registered yet:
    // publishing would mark the transition done with nobody told. Leave it to its webhook.
    if (!this.listenersReady) {
      this.logger.warn(`${key} was not published: event handlers are registered at application bootstrap; its webhook will deliver it.`);
      return 'ignored';
    }
    try {
      return await this.dispatch(key, objectKey, version, event);
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

  /**
   * Claim, check ordering, emit and await the handlers, then record: the core of "exactly once".
   *
   * With a store that has `claimWithVersion()` / `completeWithVersion()` (both built-in stores do),
   * that is two store calls per event, and none awaited with `MemoryEventStore`, which answers
   * synchronously; other stores get `claim()`, `getVersion()`, `setVersion()`, `complete()` as before.
   */
  protected async dispatch(
    key: string,
    objectKey: string | undefined,
    version: number | undefined,
    event: DispatchableEvent,
  ): Promise<PaymntPublishOutcome> {
    // Handled here already, the store just does not know it yet.
    if (this.unrecorded.has(key)) return 'duplicate';
    const store = this.store;
    const versioned = objectKey !== undefined && version !== undefined;
    let claim: PaymntClaimResult;
    let applied: number | undefined;
    if (store.claimWithVersion !== undefined) {
      const pending = store.claimWithVersion(key, this.options.leaseMs, versioned ? objectKey : undefined);
      const result = isPromiseLike(pending) ? await pending : pending;
      claim = result.claim;
      applied = result.version;
    } else {
      claim = await store.claim(key, this.options.leaseMs);
    }
    if (claim === 'done') return 'duplicate';
    if (claim === 'in_progress') return 'in_progress';
    const ttlMs = this.options.dedupeTtlMs;
    try {
      if (versioned) {
        if (store.claimWithVersion === undefined) applied = await store.getVersion(objectKey);
        // A newer transition of this object handled here may not be in the store yet.
        applied = this.unrecorded.newestVersion(objectKey, applied);
        if (applied !== undefined && version < applied) {
          const completed = this.completeClaim(key, ttlMs, undefined, undefined);
          if (completed !== undefined) await completed;
          return 'stale';
        }
      }
      const name = PAYMNT_EVENT_PREFIX + event.type;
      if (this.isHeard(name)) {
        try {
          await this.emitter.emitAsync(name, event);
        } catch (error) {
          throw new PaymntEventHandlerError(name, event.eventId, error);
        }
      }
      // The handlers succeeded: a store failure from here on must not release the claim (the
      // redelivery would run them again). The completion is kept and recorded in the background.
      try {
        const completed = this.completeClaim(key, ttlMs, versioned ? objectKey : undefined, version);
        if (completed !== undefined) await completed;
      } catch (error) {
        this.unrecorded.add(key, ttlMs, versioned ? objectKey : undefined, version, error);
      }
      return 'dispatched';
    } catch (error) {
      // Without the claim, the next delivery runs the handlers again. If the release itself fails
      // (store down), the lease still expires after leaseMs.
      await this.store.release(key).catch(() => undefined);
      throw error;
    }
  }

  /**
   * Whether emitting `name` could reach a listener. `false` only when that is certain: no `onAny()`
   * listener, and none matching `name` (EventEmitter2's `hasListeners()` looks through the wildcard
   * tree, `'paymnt.*'` and `'**'` included, when `wildcard` is on). Emitting to nobody is then skipped.
   */
  protected isHeard(name: string): boolean {
    if (!this.canSkipUnheard) return true;
    const emitter = this.emitter;
    // (Typed `Boolean`; a primitive at run time. Anything but `false` counts as heard.)
    return emitter.listenersAny().length > 0 || (emitter.hasListeners(name) as unknown) !== false;
  }

  /** Records the version (when given) and completes the claim: one store call when the store can. `undefined` when done synchronously. */
  private completeClaim(key: string, ttlMs: number, objectKey: string | undefined, version: number | undefined): PromiseLike<void> | undefined {
    const store = this.store;
    if (store.completeWithVersion !== undefined) {
      const result = store.completeWithVersion(key, ttlMs, objectKey, version);
      return isPromiseLike(result) ? result : undefined;
    }
    return (async () => {
      if (objectKey !== undefined && version !== undefined) await store.setVersion(objectKey, version, ttlMs);
      await store.complete(key, ttlMs);
    })();
  }
}
