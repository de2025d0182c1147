import { loadPackage } from '../lib/packages';
import type { ServerRole } from './role';

interface EventStore {
  claim(key: string, leaseMs: number): Promise<string>;
  complete(key: string, ttlMs: number): Promise<void>;
  getVersion(objectKey: string): Promise<number | undefined>;
  setVersion(objectKey: string, version: number, ttlMs: number): Promise<void>;
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
  seconds: number;
  /** Keys held at the end (claims + versions). */
  size: number;
  empty: Usage;
  atBound: Usage;
  after: Usage;
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
 * (claim, getVersion, setVersion, complete; defaults' lease and TTL), measuring memory after a full
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
      if ((await store.claim(key, leaseMs)) !== 'claimed') throw new Error(`event ${i} not claimed`);
      await store.getVersion(objectKey);
      await store.setVersion(objectKey, Date.now(), ttlMs);
      await store.complete(key, ttlMs);
    };
    const empty = usage();
    const started = performance.now();
    let i = 0;
    for (; i < Math.min(maxEntries, events); i++) await one(i);
    const atBound = usage();
    for (; i < events; i++) await one(i);
    const seconds = (performance.now() - started) / 1000;
    const after = usage();
    return { maxEntries, events, seconds, size: store.size, empty, atBound, after };
  };
  return { port: 0, commands: { run }, close: async () => undefined };
}
