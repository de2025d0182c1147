/**
 * Outgoing webhooks as HS sends them (section 6): one event per (object, event type), the body in
 * HS's field order signed with the profile's key, first attempt right away, retries on HS's
 * schedule (scaled) after any non-2xx / network error / timeout, byte-identical resends, and every
 * attempt recorded for the events API.
 */
import { Agent, request } from 'undici';
import { signWebhookPayload } from '@paymnt/client';
import { newEventId } from '../ids';
import type { SandboxStore } from '../state/sandbox-store';
import type { SandboxCounters } from '../state/counters';
import { MAX_AUTOMATIC_RETRIES, retryDelayMs } from './retry-schedule';

export type DeliveryAttemptKind = 'initial_attempt' | 'automatic_retry' | 'manual_retry';
export type EventClass = 'payments' | 'refunds' | 'disputes' | 'mandates' | 'payouts' | 'subscriptions';

export interface WebhookResponseRecord {
  body: string | null;
  headers: Array<[string, string]> | null;
  status_code: number | null;
  error_message: string | null;
}

/** One outgoing event (the initial attempt's row in HS terms; `eventId` is in the body). */
export interface WebhookEventRecord {
  eventId: string;
  merchantId: string;
  profileId: string;
  objectId: string;
  eventType: string;
  eventClass: EventClass;
  created: string;
  createdMs: number;
  /** The exact bytes sent on every attempt. */
  body: string;
  /** The exact headers sent on every attempt (signature included). */
  headers: Array<[string, string]>;
  /** true once any attempt got a 2xx; false after a failed attempt; null while none was made. */
  isDeliverySuccessful: boolean | null;
  /** Automatic retries made so far. */
  automaticRetries: number;
  /** True when the 16 automatic retries were used up without success. */
  retriesExhausted: boolean;
}

/** One delivery attempt (HS: an event row linked by `initial_attempt_id`). */
export interface DeliveryAttemptRecord {
  /** The row's id: the event id for the initial attempt, a new `evt_` id for each retry. */
  eventId: string;
  initialAttemptId: string;
  merchantId: string;
  profileId: string;
  objectId: string;
  eventType: string;
  eventClass: EventClass;
  deliveryAttempt: DeliveryAttemptKind;
  created: string;
  createdMs: number;
  url: string | null;
  request: { body: string; headers: Array<[string, string]> };
  response: WebhookResponseRecord;
  /** null while the attempt is in flight or was never sent. */
  isDeliverySuccessful: boolean | null;
}

export interface EmitInput {
  merchantId: string;
  profileId: string;
  objectId: string;
  eventType: string;
  eventClass: EventClass;
  contentType: 'payment_details' | 'refund_details' | 'mandate_details' | 'dispute_details';
  object: unknown;
}

export interface WebhookDispatcherOptions {
  store: SandboxStore;
  counters: SandboxCounters;
  enabled: boolean;
  timeScale: number;
  timeoutMs: number;
  logger?: (line: string) => void;
}

const MAX_RESPONSE_BODY = 64 * 1024;

/** HS's headers for a webhook body: the signature is HMAC-SHA512 of the exact body; no secret, no signature. */
export function webhookHeaders(body: string, secret: string | undefined): Array<[string, string]> {
  return [
    ['Content-Type', 'application/json'],
    ['User-Agent', 'Hyperswitch-Backend-Server'],
    ['Via', 'HyperSwitch'],
    ...(secret ? [['X-Webhook-Signature-512', signWebhookPayload(body, secret)] as [string, string]] : []),
  ];
}

export class WebhookDispatcher {
  private readonly events: WebhookEventRecord[] = [];
  private readonly eventsById = new Map<string, WebhookEventRecord>();
  private readonly attempts: DeliveryAttemptRecord[] = [];
  private readonly attemptsById = new Map<string, DeliveryAttemptRecord>();
  private readonly emitted = new Set<string>();
  /** The last event time of each object, so that an object's events have strictly increasing timestamps. */
  private readonly lastEventMs = new Map<string, number>();
  private readonly immediates = new Set<NodeJS.Immediate>();
  private readonly retryTimers = new Map<string, NodeJS.Timeout>();
  private readonly controllers = new Set<AbortController>();
  private readonly agent: Agent;
  private inFlight = 0;
  private idleWaiters: Array<() => void> = [];
  private closed = false;
  private enabled: boolean;

  constructor(private readonly options: WebhookDispatcherOptions) {
    this.enabled = options.enabled;
    this.agent = new Agent({ keepAliveTimeout: 2_000, keepAliveMaxTimeout: 10_000, connections: 128 });
  }

  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
  }

  isEnabled(): boolean {
    return this.enabled;
  }

  /**
   * Records an event and schedules its first delivery (asynchronously, after the current operation
   * returns). At most one event per (object, event type): later calls return undefined.
   */
  emit(input: EmitInput): WebhookEventRecord | undefined {
    if (this.closed) return undefined;
    const dedupeKey = `${input.merchantId}\u0000${input.objectId}_${input.eventType}`;
    if (this.emitted.has(dedupeKey)) return undefined;
    this.emitted.add(dedupeKey);

    const profile = this.options.store.profile(input.profileId);
    // Receivers order an object's events by `timestamp` (a mandate has no other time): two changes
    // within one millisecond (a set-up then an immediate revoke) must not share one.
    const objectKey = `${input.merchantId}\u0000${input.objectId}`;
    const now = Math.max(Date.now(), (this.lastEventMs.get(objectKey) ?? 0) + 1);
    this.lastEventMs.set(objectKey, now);
    const created = new Date(now).toISOString();
    const eventId = newEventId();
    // Field order is HS's: merchant_id, event_id, event_type, content{type, object}, timestamp, processor_merchant_id.
    const body = JSON.stringify({
      merchant_id: input.merchantId,
      event_id: eventId,
      event_type: input.eventType,
      content: { type: input.contentType, object: input.object },
      timestamp: created,
      processor_merchant_id: input.merchantId,
    });
    // The signature (an HMAC of the whole body) is computed on first use: most events of a
    // benchmark run are never delivered nor inspected.
    const secret = profile?.webhookSecret;
    let headers: Array<[string, string]> | undefined;
    const headersOf = (): Array<[string, string]> => (headers ??= webhookHeaders(body, secret));

    const event: WebhookEventRecord = {
      eventId,
      merchantId: input.merchantId,
      profileId: input.profileId,
      objectId: input.objectId,
      eventType: input.eventType,
      eventClass: input.eventClass,
      created,
      createdMs: now,
      body,
      get headers() {
        return headersOf();
      },
      isDeliverySuccessful: null,
      automaticRetries: 0,
      retriesExhausted: false,
    };
    this.events.push(event);
    this.eventsById.set(eventId, event);
    this.options.counters.webhookEvents++;

    const initial = this.newAttempt(event, 'initial_attempt', eventId);
    const url = profile?.webhookUrl ?? null;
    if (this.enabled && url) {
      this.inFlight++;
      const immediate = setImmediate(() => {
        this.immediates.delete(immediate);
        void this.deliver(event, initial, url)
          .then(() => {
            // HS schedules retry 1 at event creation + 1 min; the sandbox does the same, but never
            // while the initial attempt is still in flight (so one event never has two attempts at once).
            if (!this.delivered(event)) this.scheduleRetry(event, 1, now);
          })
          .finally(() => this.finishFlight());
      });
      this.immediates.add(immediate);
    }
    return event;
  }

  /** Manual retry (events API): a new attempt row, delivered now; resolves with it once done. */
  async retryManually(event: WebhookEventRecord): Promise<DeliveryAttemptRecord> {
    const row = this.newAttempt(event, 'manual_retry', newEventId());
    const url = this.options.store.profile(event.profileId)?.webhookUrl ?? null;
    this.inFlight++;
    try {
      if (url) await this.deliver(event, row, url);
      else this.recordFailure(event, row, 'No webhook URL is configured for the business profile');
    } finally {
      this.finishFlight();
    }
    return row;
  }

  /** Initial events (one per object and event type), oldest first. */
  listEvents(): readonly WebhookEventRecord[] {
    return this.events;
  }

  event(eventId: string): WebhookEventRecord | undefined {
    return this.eventsById.get(eventId);
  }

  /** The attempt row with this id (initial attempt ids equal their event id). */
  attempt(eventId: string): DeliveryAttemptRecord | undefined {
    return this.attemptsById.get(eventId);
  }

  /** Every attempt, oldest first; only those of one event when `initialAttemptId` is given. */
  listAttempts(initialAttemptId?: string): DeliveryAttemptRecord[] {
    return initialAttemptId === undefined ? [...this.attempts] : this.attempts.filter((a) => a.initialAttemptId === initialAttemptId);
  }

  /** Resolves when no delivery is in flight (scheduled future retries do not count). */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const i of this.immediates) clearImmediate(i);
    this.immediates.clear();
    for (const t of this.retryTimers.values()) clearTimeout(t);
    this.retryTimers.clear();
    for (const c of this.controllers) c.abort(new Error('sandbox closed'));
    await this.agent.destroy().catch(() => undefined);
    this.inFlight = 0;
    this.flushIdle();
  }

  private newAttempt(event: WebhookEventRecord, kind: DeliveryAttemptKind, rowId: string): DeliveryAttemptRecord {
    const now = Date.now();
    const row: DeliveryAttemptRecord = {
      eventId: rowId,
      initialAttemptId: event.eventId,
      merchantId: event.merchantId,
      profileId: event.profileId,
      objectId: event.objectId,
      eventType: event.eventType,
      eventClass: event.eventClass,
      deliveryAttempt: kind,
      created: new Date(now).toISOString(),
      createdMs: now,
      url: null,
      request: {
        body: event.body,
        get headers() {
          return event.headers;
        },
      },
      response: { body: null, headers: null, status_code: null, error_message: null },
      isDeliverySuccessful: null,
    };
    this.attempts.push(row);
    this.attemptsById.set(rowId, row);
    return row;
  }

  private scheduleRetry(event: WebhookEventRecord, retry: number, fromMs: number): void {
    const delay = retryDelayMs(retry, this.options.timeScale);
    if (delay === undefined || this.closed) return;
    const wait = Math.max(0, fromMs + delay - Date.now());
    const timer = setTimeout(() => {
      this.retryTimers.delete(event.eventId);
      void this.runRetry(event, retry);
    }, wait);
    timer.unref();
    this.retryTimers.set(event.eventId, timer);
  }

  private async runRetry(event: WebhookEventRecord, retry: number): Promise<void> {
    if (this.closed || event.isDeliverySuccessful === true) return;
    event.automaticRetries = retry;
    const url = this.options.store.profile(event.profileId)?.webhookUrl ?? null;
    // While delivery is switched off (or there is nowhere to send), the retry slot passes unused.
    if (this.enabled && url) {
      const row = this.newAttempt(event, 'automatic_retry', newEventId());
      this.inFlight++;
      try {
        await this.deliver(event, row, url);
      } finally {
        this.finishFlight();
      }
    }
    // Re-read: the delivery (or a manual retry meanwhile) may have changed the event.
    if (this.closed || this.delivered(event)) return;
    if (retry >= MAX_AUTOMATIC_RETRIES) {
      event.retriesExhausted = true;
      this.log(`webhook ${event.eventId} ${event.eventType}: retries exhausted`);
      return;
    }
    this.scheduleRetry(event, retry + 1, Date.now());
  }

  private async deliver(event: WebhookEventRecord, row: DeliveryAttemptRecord, url: string): Promise<void> {
    if (this.closed) return;
    row.url = url;
    this.options.counters.webhookAttempts++;
    const controller = new AbortController();
    this.controllers.add(controller);
    const timeout = setTimeout(() => controller.abort(new Error('timed out')), this.options.timeoutMs);
    const started = Date.now();
    try {
      const res = await request(url, {
        method: 'POST',
        headers: Object.fromEntries(row.request.headers),
        body: row.request.body,
        signal: controller.signal,
        dispatcher: this.agent,
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
      });
      const body = await readLimited(res.body);
      const headers: Array<[string, string]> = [];
      for (const [k, v] of Object.entries(res.headers)) {
        if (v === undefined) continue;
        for (const one of Array.isArray(v) ? v : [v]) headers.push([k, one]);
      }
      row.response = { body, headers, status_code: res.statusCode, error_message: null };
      if (res.statusCode >= 200 && res.statusCode < 300) {
        row.isDeliverySuccessful = true;
        event.isDeliverySuccessful = true;
        this.options.counters.webhookDeliveries++;
        const pending = this.retryTimers.get(event.eventId);
        if (pending) {
          clearTimeout(pending);
          this.retryTimers.delete(event.eventId);
        }
      } else {
        row.isDeliverySuccessful = false;
        if (event.isDeliverySuccessful !== true) event.isDeliverySuccessful = false;
        this.options.counters.webhookFailures++;
      }
      this.log(`webhook ${event.eventType} ${event.eventId} ${row.deliveryAttempt} -> ${res.statusCode} (${Date.now() - started} ms)`);
    } catch (err) {
      const reason = controller.signal.aborted ? describeError(controller.signal.reason) : describeError(err);
      this.recordFailure(event, row, `error sending webhook: ${reason}`);
      this.log(`webhook ${event.eventType} ${event.eventId} ${row.deliveryAttempt} -> ${reason}`);
    } finally {
      clearTimeout(timeout);
      this.controllers.delete(controller);
    }
  }

  private delivered(event: WebhookEventRecord): boolean {
    return event.isDeliverySuccessful === true;
  }

  private recordFailure(event: WebhookEventRecord, row: DeliveryAttemptRecord, message: string): void {
    row.response = { body: null, headers: null, status_code: null, error_message: message };
    row.isDeliverySuccessful = false;
    if (event.isDeliverySuccessful !== true) event.isDeliverySuccessful = false;
    this.options.counters.webhookFailures++;
  }

  private finishFlight(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    if (this.inFlight === 0) this.flushIdle();
  }

  private flushIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private log(line: string): void {
    this.options.logger?.(line);
  }
}

async function readLimited(body: AsyncIterable<Buffer | Uint8Array | string>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    if (size < MAX_RESPONSE_BODY) chunks.push(buf.subarray(0, MAX_RESPONSE_BODY - size));
    size += buf.length;
  }
  return Buffer.concat(chunks).toString('utf8');
}

function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: string }).code;
    const cause = (err as { cause?: unknown }).cause;
    const causeCode = cause instanceof Error ? (cause as { code?: string }).code : undefined;
    return [err.message, code ?? causeCode].filter(Boolean).join(' ');
  }
  return String(err);
}
