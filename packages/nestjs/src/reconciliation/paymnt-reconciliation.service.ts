import { inspect, type InspectOptions } from 'node:util';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { EventListItem, Payment, PaymntClient } from '@paymnt/client';
import { PaymntConfigurationError } from '../errors/paymnt-configuration.error';
import { PaymntEventPublisher } from '../events/paymnt-event.publisher';
import type { ResolvedPaymntOptions, ResolvedPaymntReconciliationOptions } from '../options/paymnt-module-options.interface';
import { inspectWithoutSecrets } from '../options/redact-paymnt-options';
import { InjectPaymntClient, InjectPaymntOptions } from '../paymnt.decorators';

/** What one reconciliation pass did. */
export interface PaymntReconciliationResult {
  /** Payments fetched with `force_sync: true`. */
  checked: number;
  /** Events published to the handlers (the missed ones). */
  dispatched: number;
  /** Events already published (by a webhook or a service call): nothing ran. */
  duplicates: number;
  /** Payments no longer watched: in a final status, or past `maxAgeMs`. */
  settled: number;
  /** Payments still pending (or whose handlers failed): checked again after `pendingAfterMs`. */
  pending: number;
  /** Payments that could not be fetched (API error): checked again after `pendingAfterMs`. */
  errors: number;
}

/** Which missed webhooks `redeliverMissed` asks the API to send again. */
export interface PaymntRedeliverMissedOptions {
  /** Start of the outage: events created at or after it (the API keeps 90 days). */
  since: Date;
  /** End of the outage. @default now */
  until?: Date;
  /** At most this many events per call (the oldest are redelivered first). @default 1000 */
  maxEvents?: number;
}

/** What `redeliverMissed` did. */
export interface PaymntRedeliverMissedResult {
  /** Events the API had not delivered (`is_delivered: false`) in the window. */
  missed: number;
  /** Redelivered: your webhook route answered 2xx (its handlers ran, or had already run). */
  delivered: number;
  /** Sent, but your route did not answer 2xx: still missed, `eventIds` lists them. */
  failed: number;
  /** The retry call itself failed (API error): still missed. */
  errors: number;
  /** The events still not delivered: `failed`, `errors`, and those past `maxEvents` (for the next call). */
  eventIds: string[];
}

const DEFAULT_REDELIVER_MAX_EVENTS = 1000;

/**
 * Reconciliation (`reconciliation` option): `PaymentsService` reports every payment it returns;
 * those in a watched status (`requires_customer_action`, `processing`, ...) are tracked, and each
 * pass fetches the ones pending for longer than `pendingAfterMs` with `force_sync: true` and
 * publishes the event of their status through `PaymntEventPublisher` (de-duplicated: a transition
 * its webhook already delivered is not dispatched again). So a dropped webhook cannot leave an
 * order stuck. Run a pass with `reconcileNow()`, or every `intervalMs` (an unref'd timer).
 */
@Injectable()
export class PaymntReconciliationService implements OnApplicationBootstrap, OnModuleDestroy {
  protected readonly logger = new Logger('PaymntReconciliation');
  protected readonly config: ResolvedPaymntReconciliationOptions | undefined;
  protected readonly watched: ReadonlySet<string>;
  protected timer: NodeJS.Timeout | undefined;
  protected running: Promise<PaymntReconciliationResult> | undefined;

  constructor(
    @InjectPaymntOptions() options: ResolvedPaymntOptions,
    @InjectPaymntClient() protected readonly client: PaymntClient,
    protected readonly publisher: PaymntEventPublisher,
  ) {
    this.config = options.reconciliation;
    this.watched = new Set(this.config?.statuses ?? []);
  }

  /** Whether the `reconciliation` option is set. */
  get enabled(): boolean {
    return this.config !== undefined;
  }

  /** Safe to log or serialize: the client shows its settings, never its key. */
  toJSON(): Record<string, unknown> {
    return { enabled: this.enabled, client: this.client };
  }

  [inspect.custom](_depth: number, options: InspectOptions): string {
    return inspectWithoutSecrets(this.constructor.name, this.toJSON(), options);
  }

  onApplicationBootstrap(): void {
    const intervalMs = this.config?.intervalMs;
    if (intervalMs === undefined) return;
    this.timer = setInterval(() => {
      this.reconcileNow().catch((error: unknown) => this.logger.error(`Reconciliation pass failed: ${error instanceof Error ? error.message : String(error)}`));
    }, intervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /**
   * Called by `PaymentsService` with each payment it returns: a payment in a watched status is
   * tracked (due in `pendingAfterMs`). Never throws: a tracker failure is logged.
   */
  async observe(payment: Payment): Promise<void> {
    const config = this.config;
    if (config === undefined || !this.watched.has(payment.status)) return;
    const now = Date.now();
    try {
      await config.tracker.track(payment.payment_id, now + config.pendingAfterMs, now);
    } catch (error) {
      this.logger.error(`Could not track payment ${payment.payment_id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * Recovers webhooks missed during an outage of your endpoint (opt-in, independent of the
   * `reconciliation` option; needs the `merchantId` option): lists the events the API has not
   * delivered since `since`, then asks the API to retry each one. The API resends the original
   * signed request, so every event comes back through the verified webhook route (de-duplicated by
   * event id: a handler that already ran does not run again); nothing is published from here.
   * Sequential, oldest first. Call it when your endpoint is reachable again.
   */
  async redeliverMissed(options: PaymntRedeliverMissedOptions): Promise<PaymntRedeliverMissedResult> {
    const { since, until, maxEvents = DEFAULT_REDELIVER_MAX_EVENTS } = options;
    if (!(since instanceof Date) || Number.isNaN(since.getTime())) throw new PaymntConfigurationError('since', 'must be a valid Date');
    if (until !== undefined && (!(until instanceof Date) || Number.isNaN(until.getTime()))) throw new PaymntConfigurationError('until', 'must be a valid Date');
    if (!Number.isInteger(maxEvents) || maxEvents < 1) throw new PaymntConfigurationError('maxEvents', 'must be an integer >= 1');

    // Collected before any retry: each success leaves the `is_delivered: false` list and would shift its offsets.
    const missed: EventListItem[] = [];
    const list = this.client.events.list({
      is_delivered: false,
      created_after: since.toISOString(),
      ...(until === undefined ? {} : { created_before: until.toISOString() }),
      limit: 100,
    });
    for await (const event of list) missed.push(event);
    missed.sort((a, z) => Date.parse(a.created) - Date.parse(z.created));
    const batch = missed.slice(0, maxEvents);

    const result: PaymntRedeliverMissedResult = { missed: missed.length, delivered: 0, failed: 0, errors: 0, eventIds: [] };
    for (const event of batch) {
      try {
        const attempt = await this.client.events.retry(event.event_id);
        const status = attempt.response.status_code;
        if (status !== null && status >= 200 && status < 300) {
          result.delivered++;
          continue;
        }
        result.failed++;
        this.logger.warn(`Redelivery of event ${event.event_id} got ${status ?? attempt.response.error_message ?? 'no answer'}`);
      } catch (error) {
        result.errors++;
        this.logger.warn(`Could not redeliver event ${event.event_id}: ${error instanceof Error ? error.message : String(error)}`);
      }
      result.eventIds.push(event.event_id);
    }
    // Past maxEvents: still missed, for the next call.
    result.eventIds.push(...missed.slice(maxEvents).map((e) => e.event_id));
    return result;
  }

  /** Runs one pass now (or joins the pass already running) and returns what it did. */
  reconcileNow(): Promise<PaymntReconciliationResult> {
    if (this.config === undefined) {
      return Promise.reject(new PaymntConfigurationError('reconciliation', 'is not configured: PaymntReconciliationService needs the reconciliation option'));
    }
    this.running ??= this.pass(this.config).finally(() => (this.running = undefined));
    return this.running;
  }

  protected async pass(config: ResolvedPaymntReconciliationOptions): Promise<PaymntReconciliationResult> {
    const result: PaymntReconciliationResult = { checked: 0, dispatched: 0, duplicates: 0, settled: 0, pending: 0, errors: 0 };
    const now = Date.now();
    const due = await config.tracker.due(now, config.batchSize);
    for (const { paymentId, trackedAt } of due) {
      let payment: Payment;
      try {
        payment = await this.client.payments.retrieve(paymentId, { force_sync: true });
      } catch (error) {
        result.errors++;
        this.logger.warn(`Could not fetch payment ${paymentId}: ${error instanceof Error ? error.message : String(error)}`);
        await this.keepOrDrop(config, paymentId, trackedAt, now);
        continue;
      }
      result.checked++;
      const outcome = await this.publisher.publishPayment(payment);
      if (outcome === 'dispatched') result.dispatched++;
      if (outcome === 'duplicate') result.duplicates++;
      // A failed or contended publication is retried by the next pass.
      const retry = outcome === 'failed' || outcome === 'in_progress';
      if (!retry && !this.watched.has(payment.status)) {
        await config.tracker.untrack(paymentId);
        result.settled++;
      } else if (await this.keepOrDrop(config, paymentId, trackedAt, now)) {
        result.pending++;
      } else {
        result.settled++;
      }
    }
    return result;
  }

  /** Schedules the next check, or stops watching past `maxAgeMs`; returns whether it is still watched. */
  protected async keepOrDrop(config: ResolvedPaymntReconciliationOptions, paymentId: string, trackedAt: number, now: number): Promise<boolean> {
    if (now - trackedAt >= config.maxAgeMs) {
      this.logger.warn(`Payment ${paymentId} is no longer reconciled: still pending after maxAgeMs (${config.maxAgeMs} ms)`);
      await config.tracker.untrack(paymentId);
      return false;
    }
    await config.tracker.track(paymentId, now + config.pendingAfterMs, now);
    return true;
  }
}
