import { BenchChild } from '../lib/child';
import type { BenchContext } from '../lib/context';
import { judge, type Row } from '../lib/report';
import type { MemoryProbeResult } from '../servers/memory-probe';

const MAX_ENTRIES = 10_000;

/**
 * Section 5a: memory of the in-process dedupe store after many events, in a fresh process. The
 * bound is `maxEntries` keys per map; its cost in bytes is what the store holds once full, so the
 * growth after all events is compared with the growth at the moment the store first filled up.
 * (5b, the webhook app across repeated runs, is measured with section 2.)
 */
export async function memoryBound(ctx: BenchContext): Promise<Row[]> {
  const probe = await BenchChild.start('memory-store', {}, { execArgv: ctx.serverExecArgv });
  try {
    const events = ctx.profile.memoryEvents;
    ctx.log(`  ${events.toLocaleString('en-US')} events through MemoryEventStore({ maxEntries: ${MAX_ENTRIES} })`);
    const r = await probe.call<MemoryProbeResult>('run', { events, maxEntries: MAX_ENTRIES }, 300_000);
    const mb = (bytes: number): number => bytes / 2 ** 20;
    const heapAtBound = mb(r.atBound.heapUsed - r.empty.heapUsed);
    const heapAfter = mb(r.after.heapUsed - r.empty.heapUsed);
    const heapPeak = mb(r.peakHeapUsed - r.empty.heapUsed);
    const rssAtBound = mb(r.atBound.rss - r.empty.rss);
    const rssAfter = mb(r.after.rss - r.empty.rss);
    const label = events >= 1_000_000 ? `${events / 1_000_000}M` : `${events / 1000}k`;
    const withinKeys = r.size <= 2 * MAX_ENTRIES;
    return [
      judge(
        {
          section: '5',
          figure: `dedupe store heap growth, peak over ${label} events`,
          value: heapPeak,
          unit: 'MB',
          baselineName: `full at ${MAX_ENTRIES / 1000}k`,
          baselineValue: heapAtBound,
          ratio: heapPeak / heapAtBound,
          // An unbounded store would grow with the events (100x here); the slack is V8's Map tables,
          // which keep deleted slots until they are rebuilt.
          target: { op: '<=', value: 1.25 },
          cpuPerOpUs: r.usPerEventFull,
          detail: {
            heapGrowthAtEndMB: heapAfter,
            cpuUsPerEventFilling: r.usPerEventFilling,
            cpuUsPerEventFull: r.usPerEventFull,
            keysHeld: r.size,
            keyBound: 2 * MAX_ENTRIES,
            emptyHeapMB: mb(r.empty.heapUsed),
            bytesPerEventAtBound: (r.atBound.heapUsed - r.empty.heapUsed) / MAX_ENTRIES,
            seconds: r.seconds,
          },
        },
        withinKeys,
      ),
      {
        section: '5',
        figure: `dedupe store RSS growth after ${label} events`,
        value: rssAfter,
        unit: 'MB',
        baselineName: `full at ${MAX_ENTRIES / 1000}k`,
        baselineValue: rssAtBound,
        ratio: rssAfter / rssAtBound,
        detail: { emptyRssMB: mb(r.empty.rss), atBoundRssMB: mb(r.atBound.rss), afterRssMB: mb(r.after.rss) },
      },
    ];
  } finally {
    await probe.close();
  }
}
