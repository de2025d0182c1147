import { Injectable, type INestApplication, Module } from '@nestjs/common';
import { EventEmitterModule, OnEvent } from '@nestjs/event-emitter';
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AggregationTemporality, type DataPoint, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Payment } from '@paymnt/client';
import { type PaymentSucceededEvent, PaymentsService, PaymntEvents, PaymntModule, PaymntTelemetry, PaymntTelemetryNames } from '@paymnt/nestjs';
import { buildWebhookEvent, createPaymntTestingSandbox, type PaymntTestingSandbox, sendSignedWebhook } from '@paymnt/nestjs/testing';
import { ADAPTERS, startApp } from './support/apps';
import { paymentFixture } from './support/fixtures';
import { OwnWebhookController } from './support/webhook-app';

// One SDK for the file, registered before any app is created (as an app's tracing.ts does).
const contextManager = new AsyncLocalStorageContextManager().enable();
context.setGlobalContextManager(contextManager);
const spans = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
trace.setGlobalTracerProvider(tracerProvider);
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
const meterProvider = new MeterProvider({ readers: [reader] });
metrics.setGlobalMeterProvider(meterProvider);

afterAll(async () => {
  await meterProvider.shutdown();
  await tracerProvider.shutdown();
  contextManager.disable();
});

/** The data points of metric `name` (cumulative, as of now), across every instrument scope. */
async function points(name: string): Promise<Array<DataPoint<unknown>>> {
  await reader.forceFlush();
  const latest = metricExporter.getMetrics().at(-1);
  metricExporter.reset();
  const metric = latest?.scopeMetrics.flatMap((scope) => scope.metrics).find((candidate) => candidate.descriptor.name === name);
  return (metric?.dataPoints ?? []) as Array<DataPoint<unknown>>;
}

async function total(name: string, attributes: Record<string, unknown> = {}): Promise<number> {
  return (await points(name))
    .filter((point) => Object.entries(attributes).every(([key, value]) => point.attributes[key] === value))
    .reduce((sum, point) => sum + (typeof point.value === 'number' ? point.value : (point.value as { count: number }).count), 0);
}

/** A handler with its own span, which records the trace it ran in; fails for payments that ask for it. */
@Injectable()
class TracedHandler {
  readonly seen = new Map<string, { traceId: string; parentSpanId: string | undefined }>();

  @OnEvent(PaymntEvents.PAYMENT_SUCCEEDED, { suppressErrors: false })
  handle(event: PaymentSucceededEvent): void {
    const parent = trace.getActiveSpan();
    trace.getTracer('shop').startActiveSpan('shop.fulfil', (span) => {
      this.seen.set(event.eventId, { traceId: span.spanContext().traceId, parentSpanId: parent?.spanContext().spanId });
      span.end();
    });
    if ((event.payment.metadata as Record<string, string> | null)?.fail === 'yes') throw new Error('planned failure');
  }
}

const CARD = { card: { card_number: '4242424242424242', card_exp_month: '10', card_exp_year: '30', card_cvc: '123' } };

describe.each(ADAPTERS)('telemetry on %s (OpenTelemetry SDK with in-memory exporters, real sandbox)', (adapter) => {
  let paymnt: PaymntTestingSandbox;
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    paymnt = await createPaymntTestingSandbox({ webhooksEnabled: false });
    @Module({
      imports: [EventEmitterModule.forRoot({ wildcard: true }), PaymntModule.forRoot(paymnt.moduleOptions('webhooks/paymnt'))],
      controllers: [OwnWebhookController],
      providers: [TracedHandler],
    })
    class TelemetryAppModule {}
    ({ app, url } = await startApp(TelemetryAppModule, adapter));
  });

  afterAll(async () => {
    await app?.close();
    await paymnt?.close();
  });

  beforeEach(() => spans.reset());

  // Both adapters' apps are the default instance of one SDK: metrics are compared as deltas.
  const mine = { 'paymnt.instance': 'default' };
  const finished = () => spans.getFinishedSpans();

  it('is active: the package is installed and telemetry is on by default', () => {
    expect(app.get(PaymntTelemetry).active).toBe(true);
  });

  it('a span per API attempt with method, route template, status, attempt, idempotency key and request id; no key, no body', async () => {
    const payments = app.get(PaymentsService);
    const created200 = { ...mine, 'http.route': '/payments', 'http.response.status_code': 200 };
    const created503 = { ...mine, 'http.route': '/payments', 'http.response.status_code': 503 };
    const before = [await total(PaymntTelemetryNames.API_DURATION, created200), await total(PaymntTelemetryNames.API_ERRORS, created503)];
    // The first attempt is answered 503, the retry succeeds.
    paymnt.sandbox.faults.add({ route: 'POST /payments', sequence: [{ status: 503 }], times: 1 });
    const payment = await payments.create({ amount: 1000, currency: 'USD', confirm: true, payment_method: 'card', payment_method_data: CARD });
    await payments.retrieve(payment.payment_id);

    const apiSpans = finished().filter((span) => span.attributes['http.route'] !== undefined);
    const create = apiSpans.filter((span) => span.name === 'POST /payments');
    expect(create.map((span) => [span.attributes['paymnt.attempt'], span.attributes['http.response.status_code']])).toEqual([
      [1, 503],
      [2, 200],
    ]);
    expect(create[0]!.status.code).toBe(2); // ERROR
    expect(create[1]!.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/payments',
      'http.request.resend_count': 1,
      'paymnt.idempotency_key': payment.lastResponse.idempotencyKey,
      'paymnt.request_id': payment.lastResponse.requestId,
      ...mine,
    });
    // Both attempts carry the same key: the retry is the same operation.
    expect(create[0]!.attributes['paymnt.idempotency_key']).toBe(create[1]!.attributes['paymnt.idempotency_key']);
    const retrieve = apiSpans.find((span) => span.name === 'GET /payments/{id}');
    expect(retrieve?.attributes).toMatchObject({ 'http.route': '/payments/{id}', 'http.response.status_code': 200, 'paymnt.attempt': 1 });
    const everything = JSON.stringify(apiSpans.map((span) => span.attributes));
    expect(everything).not.toContain(paymnt.sandbox.apiKey);
    expect(everything).not.toContain('4242424242424242');

    expect(await total(PaymntTelemetryNames.API_DURATION, created200)).toBe(before[0]! + 1);
    expect(await total(PaymntTelemetryNames.API_ERRORS, created503)).toBe(before[1]! + 1);
  });

  it('a span per webhook (event type, outcome, handler duration), and the handlers run inside it', async () => {
    const payment = paymentFixture() as Payment;
    const event = buildWebhookEvent('payment_succeeded', payment);
    const body = JSON.stringify(event);
    expect((await sendSignedWebhook(`${url}/webhooks/paymnt`, body, paymnt.sandbox.webhookSecret)).status).toBe(200);

    const webhook = finished().find((span) => span.name === 'paymnt.webhook' && span.attributes['paymnt.event.id'] === event.event_id);
    expect(webhook?.attributes).toMatchObject({ 'paymnt.event.type': 'payment_succeeded', 'paymnt.webhook.outcome': 'dispatched', ...mine });
    expect(webhook?.attributes['paymnt.webhook.handler_duration_ms']).toEqual(expect.any(Number));
    const handled = app.get(TracedHandler).seen.get(event.event_id);
    expect(handled).toEqual({ traceId: webhook!.spanContext().traceId, parentSpanId: webhook!.spanContext().spanId });
    const fulfil = finished().find((span) => span.name === 'shop.fulfil' && span.spanContext().traceId === webhook!.spanContext().traceId);
    expect(fulfil?.parentSpanContext?.spanId).toBe(webhook!.spanContext().spanId);

    // The same bytes again: a duplicate; the guarded route of the app is traced alike.
    expect((await sendSignedWebhook(`${url}/webhooks/paymnt`, body, paymnt.sandbox.webhookSecret)).status).toBe(200);
    const other = buildWebhookEvent('payment_succeeded', paymentFixture() as Payment);
    expect((await sendSignedWebhook(`${url}/webhooks/own`, other, paymnt.sandbox.webhookSecret)).status).toBe(201);
    const outcomes = finished()
      .filter((span) => span.name === 'paymnt.webhook')
      .map((span) => [span.attributes['paymnt.event.id'], span.attributes['paymnt.webhook.outcome']]);
    expect(outcomes).toEqual([
      [event.event_id, 'dispatched'],
      [event.event_id, 'duplicate'],
      [other.event_id, 'dispatched'],
    ]);
  });

  it('counts webhooks received, verified, rejected (by reason), duplicate and failed, and times the handlers', async () => {
    const before = {
      received: await total(PaymntTelemetryNames.WEBHOOKS_RECEIVED, mine),
      verified: await total(PaymntTelemetryNames.WEBHOOKS_VERIFIED, mine),
      rejected: await total(PaymntTelemetryNames.WEBHOOKS_REJECTED, { ...mine, 'paymnt.webhook.reason': 'no_match' }),
      duplicate: await total(PaymntTelemetryNames.WEBHOOKS_DUPLICATE, mine),
      failed: await total(PaymntTelemetryNames.WEBHOOKS_FAILED, mine),
      timed: await total(PaymntTelemetryNames.HANDLER_DURATION, { ...mine, 'paymnt.event.type': 'payment_succeeded' }),
    };
    const good = JSON.stringify(buildWebhookEvent('payment_succeeded', paymentFixture() as Payment));
    const failing = buildWebhookEvent('payment_succeeded', paymentFixture({ metadata: { fail: 'yes' } }) as Payment);
    const secret = paymnt.sandbox.webhookSecret;
    expect((await sendSignedWebhook(`${url}/webhooks/paymnt`, good, secret)).status).toBe(200);
    expect((await sendSignedWebhook(`${url}/webhooks/paymnt`, good, secret)).status).toBe(200);
    expect((await sendSignedWebhook(`${url}/webhooks/paymnt`, good, 'whsec_not_the_secret')).status).toBe(401);
    expect((await sendSignedWebhook(`${url}/webhooks/paymnt`, failing, secret)).status).toBe(500);

    expect(await total(PaymntTelemetryNames.WEBHOOKS_RECEIVED, mine)).toBe(before.received + 4);
    expect(await total(PaymntTelemetryNames.WEBHOOKS_VERIFIED, mine)).toBe(before.verified + 3);
    expect(await total(PaymntTelemetryNames.WEBHOOKS_REJECTED, { ...mine, 'paymnt.webhook.reason': 'no_match' })).toBe(before.rejected + 1);
    expect(await total(PaymntTelemetryNames.WEBHOOKS_DUPLICATE, mine)).toBe(before.duplicate + 1);
    expect(await total(PaymntTelemetryNames.WEBHOOKS_FAILED, mine)).toBe(before.failed + 1);
    expect(await total(PaymntTelemetryNames.HANDLER_DURATION, { ...mine, 'paymnt.event.type': 'payment_succeeded' })).toBe(before.timed + 3);
    const failedSpan = finished().find((span) => span.attributes['paymnt.event.id'] === failing.event_id);
    expect(failedSpan?.attributes['paymnt.webhook.outcome']).toBe('failed');
    expect(JSON.stringify(finished().map((span) => span.attributes))).not.toContain(secret);
  });
});

describe('telemetry: { enabled: false }', () => {
  it('records nothing and leaves the client without listeners', async () => {
    const paymnt = await createPaymntTestingSandbox({ webhooksEnabled: false });
    @Module({ imports: [EventEmitterModule.forRoot(), PaymntModule.forRoot({ ...paymnt.moduleOptions('webhooks/paymnt'), telemetry: { enabled: false } })] })
    class QuietModule {}
    const { app, url } = await startApp(QuietModule, 'express');
    try {
      spans.reset();
      expect(app.get(PaymntTelemetry).active).toBe(false);
      await app.get(PaymentsService).create({ amount: 1000, currency: 'USD' });
      const event = buildWebhookEvent('payment_succeeded', paymentFixture() as Payment);
      expect((await sendSignedWebhook(`${url}/webhooks/paymnt`, event, paymnt.sandbox.webhookSecret)).status).toBe(200);
      expect(spans.getFinishedSpans()).toEqual([]);
    } finally {
      await app.close();
      await paymnt.close();
    }
  });
});
