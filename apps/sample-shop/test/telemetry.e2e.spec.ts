import { AggregationTemporality, type DataPoint, InMemoryMetricExporter, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { PaymntTelemetryNames } from '@paymnt/nestjs';
import { registerShopTelemetry, type ShopTelemetry, shopTelemetryFromEnvironment } from '../src/telemetry/shop-telemetry';
import { CARDS, startTestShop, type TestShop } from './support/test-shop';

/**
 * The shop's OpenTelemetry wiring (`registerShopTelemetry`, what `PAYMNT_SHOP_OTEL=console` uses with
 * console exporters) with in-memory exporters: the module's spans and metrics for an API call and
 * for a webhook, on Express and Fastify.
 */
const spans = new InMemorySpanExporter();
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
// Registered before any shop is created, as main.ts does.
const telemetry: ShopTelemetry = registerShopTelemetry({ spans, metrics: reader });

afterAll(async () => {
  await telemetry.shutdown();
});

/** The sum of metric `name`'s data points with these attributes (cumulative, as of now). */
async function total(name: string, attributes: Record<string, unknown> = {}): Promise<number> {
  await reader.forceFlush();
  const latest = metricExporter.getMetrics().at(-1);
  metricExporter.reset();
  const metric = latest?.scopeMetrics.flatMap((scope) => scope.metrics).find((candidate) => candidate.descriptor.name === name);
  return ((metric?.dataPoints ?? []) as Array<DataPoint<unknown>>)
    .filter((point) => Object.entries(attributes).every(([key, value]) => point.attributes[key] === value))
    .reduce((sum, point) => sum + (typeof point.value === 'number' ? point.value : (point.value as { count: number }).count), 0);
}

describe.each(['express', 'fastify'] as const)('sample shop: telemetry on %s (OpenTelemetry SDK, in-memory exporters)', (adapter) => {
  let shop: TestShop;

  beforeAll(async () => {
    shop = await startTestShop({ adapter });
  });

  afterAll(async () => {
    await shop?.close();
  });

  it('an API call: a span per attempt (route template, status, request id, no key) and the duration metric', async () => {
    const created = { 'http.route': '/payments', 'http.response.status_code': 200 };
    const before = await total(PaymntTelemetryNames.API_DURATION, created);
    spans.reset();
    const order = await shop.newOrder();
    const { body } = await shop.api.checkout(order.id);

    const create = spans.getFinishedSpans().find((span) => span.name === 'POST /payments');
    expect(create?.attributes).toMatchObject({ 'http.request.method': 'POST', 'http.route': '/payments', 'http.response.status_code': 200 });
    expect(typeof create?.attributes['paymnt.request_id']).toBe('string');
    expect(JSON.stringify(spans.getFinishedSpans().map((span) => span.attributes))).not.toContain(shop.sandbox.apiKey);
    expect(JSON.stringify(spans.getFinishedSpans().map((span) => span.attributes))).not.toContain(body.clientSecret);
    expect(await total(PaymntTelemetryNames.API_DURATION, created)).toBe(before + 1);
  });

  it('a webhook: a span with its event type and outcome, and the received / verified counters', async () => {
    const authorized = { 'paymnt.event.type': 'payment_authorized' };
    const before = await total(PaymntTelemetryNames.WEBHOOKS_VERIFIED, authorized);
    spans.reset();
    const order = await shop.newOrder();
    await shop.api.pay(order.id, CARDS.success);
    await shop.settle();

    const webhook = spans.getFinishedSpans().find((span) => span.name === 'paymnt.webhook' && span.attributes['paymnt.event.type'] === 'payment_authorized');
    expect(webhook?.attributes).toMatchObject({ 'paymnt.event.type': 'payment_authorized' });
    expect(typeof webhook?.attributes['paymnt.webhook.outcome']).toBe('string');
    expect(await total(PaymntTelemetryNames.WEBHOOKS_VERIFIED, authorized)).toBe(before + 1);
    expect(await total(PaymntTelemetryNames.WEBHOOKS_RECEIVED)).toBeGreaterThan(0);
  });
});

describe('PAYMNT_SHOP_OTEL', () => {
  it('unset or off registers nothing; another value is refused, naming the variable', () => {
    expect(shopTelemetryFromEnvironment(undefined)).toBeUndefined();
    expect(shopTelemetryFromEnvironment('off')).toBeUndefined();
    expect(() => shopTelemetryFromEnvironment('jaeger')).toThrow(/PAYMNT_SHOP_OTEL must be one of console, off/);
  });
});
