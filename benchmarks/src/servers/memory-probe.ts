import { loadPackage } from '../lib/packages';
import type { ServerRole } from './role';

interface EventStore {
  claim(key: string, leaseMs: number, objectKey?: string): Promise<{ status: string; version: number | undefined }>;
  complete(key: string, ttlMs: number, objectKey?: string, version?: number): Promise<void>;
  readonly size: number;
}

interface PaymntNestjsStores {
  MemoryEventStore: new (options?: { maxEntries?: number }) => EventStore;
}

interface Usage {
  heapUsed: number;
  rss: number;
}

export interface MemoryProbeResult {
  maxEntries: number;
  events: number;
  /** CPU seconds spent on the events. */
  seconds: number;
  /** Keys held at the end (claims + versions). */
  size: number;
  empty: Usage;
  atBound: Usage;
  after: Usage;
  /** Largest heap seen at the checkpoints after the store was full (ten of them, the last one included). */
  peakHeapUsed: number;
  /** CPU time per event before the store was full, and after (eviction on every write). */
  usPerEventFilling: number;
  usPerEventFull: number;
}

function usage(): Usage {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('the memory probe needs --expose-gc');
  gc();
  gc();
  const { heapUsed, rss } = process.memoryUsage();
  return { heapUsed, rss };
}

/**
 * Pushes events through `MemoryEventStore` the way PaymntEventPublisher does for each new webhook
 * (claim with the object's version, complete with the new one; defaults' lease and TTL), measuring memory after a full
 * GC: empty, once `maxEntries` events went through (the store is full), and after all of them.
 */
export async function startMemoryProbe(): Promise<ServerRole> {
  const { MemoryEventStore } = loadPackage<PaymntNestjsStores>('@paymnt/nestjs', ['MemoryEventStore']);
  const run = async ({ events, maxEntries }: { events: number; maxEntries: number }): Promise<MemoryProbeResult> => {
    const leaseMs = 60_000;
    const ttlMs = 90_000_000;
    const store = new MemoryEventStore({ maxEntries });
    const one = async (i: number): Promise<void> => {
      const paymentId = `pay_${i.toString(36).padStart(20, '0')}`;
      const key = `${paymentId}:payment_succeeded`;
      const objectKey = `payment:${paymentId}`;
      if ((await store.claim(key, leaseMs, objectKey)).status !== 'claimed') throw new Error(`event ${i} not claimed`);
      await store.complete(key, ttlMs, objectKey, Date.now());
    };
    const empty = usage();
    let i = 0;
    const filling = Math.min(maxEntries, events);
    // CPU time, not wall time: other processes on the machine do not inflate it.
    const cpuMs = (since: NodeJS.CpuUsage): number => {
      const used = process.cpuUsage(since);
      return (used.user + used.system) / 1000;
    };
    let t0 = process.cpuUsage();
    for (; i < filling; i++) await one(i);
    const fillMs = cpuMs(t0);
    const atBound = usage();
    let fullMs = 0;
    let peakHeapUsed = atBound.heapUsed;
    let after = atBound;
    const step = Math.max(1, Math.ceil((events - filling) / 10));
    while (i < events) {
      const stop = Math.min(events, i + step);
      t0 = process.cpuUsage();
      for (; i < stop; i++) await one(i);
      fullMs += cpuMs(t0);
      after = usage();
      peakHeapUsed = Math.max(peakHeapUsed, after.heapUsed);
    }
    return {
      maxEntries,
      events,
      seconds: (fillMs + fullMs) / 1000,
      size: store.size,
      empty,
      atBound,
      after,
      peakHeapUsed,
      usPerEventFilling: (fillMs * 1000) / Math.max(1, filling),
      usPerEventFull: (fullMs * 1000) / Math.max(1, events - filling),
    };
  };
  return { port: 0, commands: { run }, close: async () => undefined };
}
