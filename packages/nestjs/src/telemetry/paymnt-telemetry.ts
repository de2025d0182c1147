import { HttpException, Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { PaymntClient, ResponseEvent, WebhookEvent } from '@paymnt/client';
import type { PaymntPublishOutcome } from '../events/paymnt-publish-outcome';
import { PaymntIntakeService } from '../intake/paymnt-intake.service';
import type { ResolvedPaymntOptions } from '../options/paymnt-module-options.interface';
import { PAYMNT_CLIENT, PAYMNT_OPTIONS } from '../paymnt.constants';
import { PaymntWebhookInProgressException } from '../webhook/exceptions/paymnt-webhook-in-progress.exception';
import type { PaymntWebhookProcessor, PaymntWebhookRequest } from '../webhook/paymnt-webhook.processor';
import { apiRouteTemplate } from './api-route-template';
import { loadOpenTelemetryApi, type OpenTelemetryApi } from './load-opentelemetry';
import { PaymntTelemetryNames } from './paymnt-telemetry.names';

type Api = OpenTelemetryApi;
type Counter = ReturnType<ReturnType<Api['metrics']['getMeter']>['createCounter']>;
type Histogram = ReturnType<ReturnType<Api['metrics']['getMeter']>['createHistogram']>;
type ObservableGauge = ReturnType<ReturnType<Api['metrics']['getMeter']>['createObservableGauge']>;
type Span = ReturnType<ReturnType<Api['trace']['getTracer']>['startSpan']>;

/** What a webhook request came to: the verified event and what publishing did. */
export interface PaymntReceivedWebhook {
  event: WebhookEvent;
  outcome: PaymntPublishOutcome;
}

interface Instruments {
  apiDuration: Histogram;
  apiErrors: Counter;
  received: Counter;
  verified: Counter;
  rejected: Counter;
  duplicate: Counter;
  failed: Counter;
  handlerDuration: Histogram;
  queueDepth?: ObservableGauge;
}

const TRACER_NAME = '@paymnt/nestjs';

/**
 * Spans and metrics through `@opentelemetry/api` (`telemetry`), recorded by whatever SDK the app
 * registers: a span per API attempt (from the client's `response` events: method, route template,
 * status, attempt, idempotency key, request id; never a body or a key) and per webhook (event type,
 * outcome, handler duration), the handlers running inside the webhook's span so their own spans are
 * its children; counters and histograms named in `PaymntTelemetryNames`.
 *
 * Without the package, or with `telemetry: { enabled: false }`, it does nothing: no listener on the
 * client, webhooks go straight to the processor. With the package and no SDK the API's no-op
 * tracer and meter answer (see the benchmark). Meters are taken at startup: register the SDK's
 * MeterProvider before the app is created.
 */
@Injectable()
export class PaymntTelemetry implements OnModuleInit, OnModuleDestroy {
  private api: Api | undefined;
  private instruments: Instruments | undefined;
  /** The meter is the API's no-op one (no MeterProvider registered at startup): counting records nothing. */
  private metricsNoop = false;
  /** What the API's tracer provider delegates to while no SDK registered one. */
  private noopTracerProvider: unknown;
  private readonly instance: string;
  private readonly onResponse = (event: ResponseEvent): void => this.recordApiAttempt(event);
  private readonly observeQueue = async (result: { observe(value: number, attributes?: Record<string, string>): void }): Promise<void> => {
    const counts = await this.intake.getCounts();
    const states = { waiting: counts.waiting, delayed: counts.delayed, active: counts.active, failed: counts.failed, dead_letter: counts.deadLetters };
    for (const [state, value] of Object.entries(states)) result.observe(value, { 'paymnt.intake.state': state, 'paymnt.instance': this.instance });
  };

  constructor(
    @Inject(PAYMNT_OPTIONS) private readonly options: ResolvedPaymntOptions,
    @Inject(PAYMNT_CLIENT) private readonly client: PaymntClient,
    private readonly intake: PaymntIntakeService,
  ) {
    this.instance = options.name;
  }

  /** Whether spans and metrics are produced (the package is installed and `telemetry.enabled`). */
  get active(): boolean {
    return this.api !== undefined;
  }

  /**
   * Whether a webhook's span and counts would be recorded now: `active`, and an SDK registered (a
   * MeterProvider before startup, or a TracerProvider at any time). Without one, the API's no-op
   * tracer and meter would only cost time on every webhook, so the routes skip them.
   */
  get recording(): boolean {
    const api = this.api;
    if (api === undefined) return false;
    if (!this.metricsNoop) return true;
    const provider = api.trace.getTracerProvider() as { getDelegate?: () => unknown };
    return provider.getDelegate?.() !== this.noopTracerProvider;
  }

  onModuleInit(): void {
    if (!this.options.telemetry.enabled) return;
    const api = loadOpenTelemetryApi();
    if (api === undefined) return;
    this.api = api;
    const meter = api.metrics.getMeter(TRACER_NAME);
    this.metricsNoop = meter === api.createNoopMeter();
    // A proxy that nothing was registered on delegates to the API's no-op provider: that one.
    this.noopTracerProvider = new api.ProxyTracerProvider().getDelegate();
    const names = PaymntTelemetryNames;
    const counter = (name: string, description: string): Counter => meter.createCounter(name, { description });
    this.instruments = {
      apiDuration: meter.createHistogram(names.API_DURATION, { unit: 'ms', description: 'Duration of each API attempt' }),
      apiErrors: counter(names.API_ERRORS, 'API attempts that failed (HTTP error or no answer)'),
      received: counter(names.WEBHOOKS_RECEIVED, 'Webhook requests received'),
      verified: counter(names.WEBHOOKS_VERIFIED, 'Webhooks whose signature, shape and age were accepted'),
      rejected: counter(names.WEBHOOKS_REJECTED, 'Webhooks refused before publishing (401, 400, 415, 500 raw_body_missing)'),
      duplicate: counter(names.WEBHOOKS_DUPLICATE, 'Webhooks of transitions already published'),
      failed: counter(names.WEBHOOKS_FAILED, 'Webhooks whose handlers or event store failed (answered 5xx, delivered again)'),
      handlerDuration: meter.createHistogram(names.HANDLER_DURATION, { unit: 'ms', description: 'Time to publish a verified webhook (claim, handlers, record)' }),
    };
    if (this.intake.enabled) {
      this.instruments.queueDepth = meter.createObservableGauge(names.INTAKE_QUEUE_DEPTH, { description: 'Jobs of the durable intake, by state' });
      this.instruments.queueDepth.addCallback(this.observeQueue);
    }
    this.client.on('response', this.onResponse);
  }

  onModuleDestroy(): void {
    if (this.instruments === undefined) return;
    this.client.off('response', this.onResponse);
    this.instruments.queueDepth?.removeCallback(this.observeQueue);
  }

  /**
   * Verifies and publishes the webhook of `request` with `processor`, in a span that is active while
   * the handlers run, and counts it. Throws what the processor throws.
   */
  async receiveWebhook(processor: PaymntWebhookProcessor, request: PaymntWebhookRequest): Promise<PaymntReceivedWebhook> {
    const api = this.api;
    if (api === undefined || !this.recording) {
      const event = processor.verify(request);
      return { event, outcome: await processor.publish(event) };
    }
    const span = api.trace.getTracer(TRACER_NAME).startSpan('paymnt.webhook', {
      kind: api.SpanKind.CONSUMER,
      attributes: { 'paymnt.instance': this.instance },
    });
    return api.context.with(api.trace.setSpan(api.context.active(), span), () => this.traceWebhook(api, span, processor, request));
  }

  private async traceWebhook(api: Api, span: Span, processor: PaymntWebhookProcessor, request: PaymntWebhookRequest): Promise<PaymntReceivedWebhook> {
    const instruments = this.instruments!;
    const base = { 'paymnt.instance': this.instance };
    instruments.received.add(1, base);
    let event: WebhookEvent;
    try {
      event = processor.verify(request);
    } catch (error) {
      const reason = refusalCode(error);
      instruments.rejected.add(1, { ...base, 'paymnt.webhook.reason': reason });
      span.setAttributes({ 'paymnt.webhook.outcome': 'rejected', 'paymnt.webhook.reason': reason });
      span.setStatus({ code: api.SpanStatusCode.ERROR, message: reason });
      span.end();
      throw error;
    }
    const attributes = { ...base, 'paymnt.event.type': event.event_type };
    instruments.verified.add(1, attributes);
    span.setAttributes({ 'paymnt.event.type': event.event_type, 'paymnt.event.id': event.event_id });
    const started = performance.now();
    let outcome: PaymntPublishOutcome = 'failed';
    try {
      outcome = await processor.publish(event);
      return { event, outcome };
    } catch (error) {
      outcome = error instanceof PaymntWebhookInProgressException ? 'in_progress' : 'failed';
      if (outcome === 'failed') {
        instruments.failed.add(1, attributes);
        span.setStatus({ code: api.SpanStatusCode.ERROR, message: refusalCode(error) });
      }
      throw error;
    } finally {
      const duration = performance.now() - started;
      if (outcome === 'duplicate') instruments.duplicate.add(1, attributes);
      instruments.handlerDuration.record(duration, { ...attributes, 'paymnt.webhook.outcome': outcome });
      span.setAttributes({ 'paymnt.webhook.outcome': outcome, 'paymnt.webhook.handler_duration_ms': duration });
      span.end();
    }
  }

  /** One span and one measurement per attempt, started back-dated by its duration (the event comes at its end). */
  private recordApiAttempt(event: ResponseEvent): void {
    const api = this.api!;
    const instruments = this.instruments!;
    const route = apiRouteTemplate(event.path);
    const attributes: Record<string, string | number> = { 'http.request.method': event.method, 'http.route': route, 'paymnt.instance': this.instance };
    if (event.statusCode !== undefined) attributes['http.response.status_code'] = event.statusCode;
    instruments.apiDuration.record(event.elapsedMs, attributes);
    const errorType = event.error === undefined ? undefined : (event.error.code ?? event.error.name);
    if (errorType !== undefined) instruments.apiErrors.add(1, { ...attributes, 'error.type': errorType });
    const end = Date.now();
    const span = api.trace.getTracer(TRACER_NAME).startSpan(`${event.method} ${route}`, {
      kind: api.SpanKind.CLIENT,
      startTime: end - event.elapsedMs,
      attributes: {
        ...attributes,
        'paymnt.attempt': event.attempt,
        ...(event.attempt > 1 ? { 'http.request.resend_count': event.attempt - 1 } : {}),
        ...(event.idempotencyKey === undefined ? {} : { 'paymnt.idempotency_key': event.idempotencyKey }),
        ...(event.requestId === undefined ? {} : { 'paymnt.request_id': event.requestId }),
        ...(errorType === undefined ? {} : { 'error.type': errorType }),
      },
    });
    if (errorType !== undefined) span.setStatus({ code: api.SpanStatusCode.ERROR, message: errorType });
    span.end(end);
  }
}

/** The `code` of a webhook refusal (`no_match`, `malformed_payload`...), or its HTTP status. */
function refusalCode(error: unknown): string {
  if (error instanceof HttpException) {
    const response = error.getResponse() as { code?: unknown };
    return typeof response?.code === 'string' ? response.code : String(error.getStatus());
  }
  return error instanceof Error ? error.name : 'error';
}
