import { inspect, type InspectOptions } from 'node:util';
import { Injectable, Logger } from '@nestjs/common';
import {
  checkWebhookTimestamp,
  isWebhookEvent,
  PaymntSignatureVerificationError,
  verifyWebhookSignature,
  WEBHOOK_SIGNATURE_HEADER,
  type WebhookEvent,
} from '@paymnt/client';
import { PaymntDiagnosticsMessages } from '../diagnostics/paymnt-diagnostics.messages';
import { PaymntLogThrottle } from '../diagnostics/paymnt-log.throttle';
import { PaymntConfigurationError } from '../errors/paymnt-configuration.error';
import { PaymntEventHandlerError } from '../errors/paymnt-event-handler.error';
import { PaymntEventPublisher } from '../events/paymnt-event.publisher';
import type { PaymntPublishOutcome } from '../events/paymnt-publish-outcome';
import type { ResolvedPaymntOptions } from '../options/paymnt-module-options.interface';
import { inspectWithoutSecrets, PAYMNT_REDACTED } from '../options/redact-paymnt-options';
import type { PAYMNT_WEBHOOK_EVENT, PAYMNT_WEBHOOK_OUTCOME } from '../paymnt.constants';
import { InjectPaymntOptions } from '../paymnt.decorators';
import { PaymntRawBodyMissingException } from './exceptions/paymnt-raw-body-missing.exception';
import { PaymntWebhookContentTypeException } from './exceptions/paymnt-webhook-content-type.exception';
import { PaymntWebhookHandlerException } from './exceptions/paymnt-webhook-handler.exception';
import { PaymntWebhookInProgressException } from './exceptions/paymnt-webhook-in-progress.exception';
import { PaymntWebhookRetryLaterException } from './exceptions/paymnt-webhook-retry-later.exception';
import { PaymntWebhookPayloadException } from './exceptions/paymnt-webhook-payload.exception';
import { PaymntWebhookSignatureException } from './exceptions/paymnt-webhook-signature.exception';
import { PaymntWebhookStoreException } from './exceptions/paymnt-webhook-store.exception';
import { isFreeOfPrototypeKeys, parseJsonWithoutPrototypeKeys } from './parse-webhook-json';
import { PaymntWebhookMessages } from './paymnt-webhook.messages';

/** What the processor reads from the request (Express and Fastify requests both fit). */
export interface PaymntWebhookRequest {
  headers: Record<string, string | string[] | undefined>;
  /** Set by Nest when the app is created with `{ rawBody: true }`. */
  rawBody?: Buffer;
  body?: unknown;
  [PAYMNT_WEBHOOK_EVENT]?: WebhookEvent;
  [PAYMNT_WEBHOOK_OUTCOME]?: PaymntPublishOutcome;
}

/** Refusals (401, a missing raw body) are logged at most once per reason per minute. */
const REFUSAL_LOG_INTERVAL_MS = 60_000;

/**
 * Whether a parsed body has the shape of a Paymnt webhook event.
 * @deprecated Use `isWebhookEvent` from `@paymnt/client` (the same check); removed in the next minor.
 */
export const isPaymntWebhookEvent = isWebhookEvent;

/**
 * Turns a webhook request into a published event: verifies the signature once on the exact raw
 * bytes, reuses the framework's parse of those bytes, checks the event's shape and age, then
 * publishes it through `PaymntEventPublisher` (de-duplicated, ordered). Used by
 * `PaymntWebhookGuard` (your own route) and by the built-in webhook controller.
 *
 * Failures are precise HTTP errors: 401 missing or bad signature (or too old), 400 signed but not
 * an event, 415 not JSON, 409 being handled by another delivery, 500 a handler failed (the
 * redelivery runs it again) or the app lacks `{ rawBody: true }`, 503 the event store failed or a
 * handler threw `PaymntRetryLaterError`.
 *
 * Every step is a `protected` method: to change one (e.g. where the signature is read), extend
 * the class and give it as `webhook.processor` (`webhookProcessor` with `forRootAsync`): the module
 * provides it under this token, so the built-in route, `PaymntWebhookGuard` and durable intake use it.
 */
@Injectable()
export class PaymntWebhookProcessor {
  protected readonly logger = new Logger('PaymntWebhook');
  protected readonly secrets: readonly string[];
  protected readonly toleranceSeconds: number;
  /** Keeps refusals from flooding the log: anyone can send a request to the webhook route. */
  protected readonly refusalLog = new PaymntLogThrottle(REFUSAL_LOG_INTERVAL_MS);

  constructor(
    @InjectPaymntOptions() protected readonly options: ResolvedPaymntOptions,
    protected readonly publisher: PaymntEventPublisher,
  ) {
    // Validated once at startup (non-empty strings): handed to every verification as is.
    this.secrets = Object.freeze([...(options.webhook?.secrets ?? [])]);
    this.toleranceSeconds = options.webhook?.toleranceSeconds ?? 0;
  }

  /** Safe to log or serialize: the webhook secrets are redacted. */
  toJSON(): Record<string, unknown> {
    return { secrets: this.secrets.map(() => PAYMNT_REDACTED), toleranceSeconds: this.toleranceSeconds };
  }

  [inspect.custom](_depth: number, options: InspectOptions): string {
    return inspectWithoutSecrets(this.constructor.name, this.toJSON(), options);
  }

  /** Fails startup when webhooks are received without a `webhook` option (called by the guard at bootstrap). */
  assertConfigured(): void {
    if (this.options.webhook === undefined) {
      throw new PaymntConfigurationError(
        'webhook.secret',
        'is required to verify webhooks with PaymntWebhookGuard: add webhook: { secret } to the PaymntModule options',
      );
    }
  }

  /** Verifies and publishes the webhook of `request`; returns what publishing did. Throws the HTTP errors above. */
  async process(request: PaymntWebhookRequest): Promise<PaymntPublishOutcome> {
    return this.publish(this.verify(request));
  }

  /**
   * Checks the signature on the exact raw bytes, once, and returns the event. A 401 is logged as a
   * warning naming its reason (never the secret or the signature), at most once a minute per reason.
   */
  verify(request: PaymntWebhookRequest): WebhookEvent {
    try {
      const signature = this.getSignature(request);
      if (signature === undefined || signature === '') {
        throw new PaymntWebhookSignatureException('missing_header', PaymntWebhookMessages.MISSING_SIGNATURE);
      }
      const rawBody = this.getRawBody(request);
      try {
        verifyWebhookSignature(rawBody, signature, this.secrets);
      } catch (error) {
        if (error instanceof PaymntSignatureVerificationError) throw new PaymntWebhookSignatureException(error.reason, error.message);
        throw error;
      }
      const event = this.parse(request, rawBody);
      this.checkTimestamp(event, this.toleranceSeconds);
      return event;
    } catch (error) {
      if (error instanceof PaymntWebhookSignatureException) this.logRefusal(error.reason);
      throw error;
    }
  }

  /** A wrong secret otherwise shows only as 401s on the sender's side: say why, rate-limited. */
  protected logRefusal(reason: string): void {
    const suppressed = this.refusalLog.take(reason);
    if (suppressed !== undefined) this.logger.warn(PaymntDiagnosticsMessages.webhookRefused(reason, suppressed));
  }

  protected getSignature(request: PaymntWebhookRequest): string | string[] | undefined {
    return request.headers[WEBHOOK_SIGNATURE_HEADER];
  }

  /**
   * The exact bytes Nest kept (`{ rawBody: true }`). Without them, a request that is not
   * `application/json` (`text/plain`, `text/json`, `application/vnd.api+json`...) is a 415: Nest's
   * JSON parser never read it. Only an `application/json` one means the app lacks `{ rawBody: true }`
   * (500, logged at most once a minute: anyone can send requests here).
   */
  protected getRawBody(request: PaymntWebhookRequest): Buffer {
    const rawBody = request.rawBody;
    if (Buffer.isBuffer(rawBody)) return rawBody;
    if (!this.isApplicationJson(request)) throw new PaymntWebhookContentTypeException();
    if (this.refusalLog.take('raw_body_missing') !== undefined) this.logger.error(PaymntWebhookMessages.RAW_BODY_MISSING);
    throw new PaymntRawBodyMissingException();
  }

  /** A JSON media type of any kind (`application/json`, `text/json`, `application/vnd.api+json`...). */
  protected isJson(request: PaymntWebhookRequest): boolean {
    const contentType = request.headers['content-type'];
    return typeof contentType === 'string' && contentType.includes('json');
  }

  /** Exactly `application/json` (parameters such as `charset` aside): what Paymnt sends and Nest's JSON parser reads. */
  protected isApplicationJson(request: PaymntWebhookRequest): boolean {
    const contentType = request.headers['content-type'];
    if (typeof contentType !== 'string') return false;
    const end = contentType.indexOf(';');
    return (end === -1 ? contentType : contentType.slice(0, end)).trim().toLowerCase() === 'application/json';
  }

  /**
   * The framework's JSON parser already parsed these exact bytes: its result is reused rather than
   * parsed twice, unless it holds `__proto__` / `constructor` keys (or objects whose prototype a
   * key has set). Then the verified bytes are parsed again with such keys removed, so the event
   * cannot pollute prototypes when a handler merges it, whatever the framework's parser kept.
   */
  protected parse(request: PaymntWebhookRequest, rawBody: Buffer): WebhookEvent {
    let body = request.body;
    if (typeof body !== 'object' || body === null || Buffer.isBuffer(body) || !this.isJson(request) || !isFreeOfPrototypeKeys(body)) {
      try {
        body = parseJsonWithoutPrototypeKeys(rawBody.toString('utf8'));
      } catch {
        throw new PaymntWebhookPayloadException(PaymntWebhookMessages.NOT_JSON);
      }
    }
    if (!isWebhookEvent(body)) throw new PaymntWebhookPayloadException(PaymntWebhookMessages.NOT_AN_EVENT);
    return body;
  }

  /** Refuses replays of old events (the client's check): 401 when too old, 400 without a valid timestamp. */
  protected checkTimestamp(event: WebhookEvent, toleranceSeconds: number): void {
    try {
      checkWebhookTimestamp(event, toleranceSeconds);
    } catch (error) {
      if (!(error instanceof PaymntSignatureVerificationError)) throw error;
      if (error.reason === 'timestamp_outside_tolerance') throw new PaymntWebhookSignatureException(error.reason, error.message);
      throw new PaymntWebhookPayloadException(error.message);
    }
  }

  /** Runs the domain handlers (once per transition) and maps failures to HTTP errors. */
  async publish(event: WebhookEvent): Promise<PaymntPublishOutcome> {
    let outcome: PaymntPublishOutcome;
    try {
      outcome = await this.publisher.publishWebhookEvent(event);
    } catch (error) {
      if (error instanceof PaymntEventHandlerError && error.retryLater) {
        this.logger.warn(`${error.message}. Answering 503 so the API delivers it again.`);
        throw new PaymntWebhookRetryLaterException(event.event_id, error);
      }
      if (error instanceof PaymntEventHandlerError) {
        const cause = error.cause instanceof Error ? error.cause : undefined;
        this.logger.error(`${error.message}. Answering 500 so the API delivers it again.`, cause?.stack);
        throw new PaymntWebhookHandlerException(event.event_id, error);
      }
      const err = error instanceof Error ? error : new Error(String(error));
      this.logger.error(`The event store failed for webhook ${event.event_id}: ${err.message}`, err.stack);
      throw new PaymntWebhookStoreException(event.event_id, error);
    }
    if (outcome === 'in_progress') throw new PaymntWebhookInProgressException(event.event_id);
    return outcome;
  }
}
