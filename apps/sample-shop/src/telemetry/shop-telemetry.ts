import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { ConsoleMetricExporter, MeterProvider, type MetricReader, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, ConsoleSpanExporter, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';

/** Where the shop's spans and metrics go. */
export interface ShopTelemetryExporters {
  spans: SpanExporter;
  /** A reader with its exporter (e.g. `PeriodicExportingMetricReader`). */
  metrics: MetricReader;
}

/** The registered SDK; `shutdown()` flushes it and unregisters it. */
export interface ShopTelemetry {
  shutdown(): Promise<void>;
}

/** The values `PAYMNT_SHOP_OTEL` takes. */
export const SHOP_OTEL_MODES = ['console', 'off'] as const;

/** How often metrics are printed with `PAYMNT_SHOP_OTEL=console`. */
const CONSOLE_METRICS_INTERVAL_MS = 15_000;

/**
 * Registers an OpenTelemetry SDK for the whole process, as an app's `tracing.ts` does: a context
 * manager (so a span started in a handler is a child of the module's webhook span), a tracer
 * provider and a meter provider. Call it before the shop is created: `@paymnt/nestjs` creates its
 * instruments on the meter provider registered when it starts.
 */
export function registerShopTelemetry(exporters: ShopTelemetryExporters): ShopTelemetry {
  const contextManager = new AsyncLocalStorageContextManager().enable();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporters.spans)] });
  const meterProvider = new MeterProvider({ readers: [exporters.metrics] });
  context.setGlobalContextManager(contextManager);
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
  return {
    async shutdown() {
      await meterProvider.shutdown();
      await tracerProvider.shutdown();
      // Unregistered, so that another SDK may be registered in the same process (tests).
      metrics.disable();
      trace.disable();
      context.disable();
    },
  };
}

/**
 * The SDK `PAYMNT_SHOP_OTEL` asks for: `console` prints spans as they end and metrics every 15 s;
 * unset or `off` registers none (the module then records nothing, at no cost). Point the exporters
 * at your collector in a real deployment (e.g. `@opentelemetry/exporter-trace-otlp-http`).
 */
export function shopTelemetryFromEnvironment(mode: string | undefined): ShopTelemetry | undefined {
  if (mode === undefined || mode === '' || mode === 'off') return undefined;
  if (mode !== 'console') throw new Error(`Invalid shop configuration: PAYMNT_SHOP_OTEL must be one of ${SHOP_OTEL_MODES.join(', ')} (or unset)`);
  return registerShopTelemetry({
    spans: new ConsoleSpanExporter(),
    metrics: new PeriodicExportingMetricReader({ exporter: new ConsoleMetricExporter(), exportIntervalMillis: CONSOLE_METRICS_INTERVAL_MS }),
  });
}
