import type { PaymntPaymentTracker, PaymntTrackedPayment } from './paymnt-payment.tracker';

/** Options of `MemoryPaymentTracker`. */
export interface MemoryPaymentTrackerOptions {
  /**
   * Payments watched at most; when full, the one first seen longest ago is dropped.
   * @default 10000
   */
  maxEntries?: number;
}

interface Entry {
  trackedAt: number;
  dueAt: number;
}

/** The default `PaymntPaymentTracker`: one process, kept in memory (lost on restart). */
export class MemoryPaymentTracker implements PaymntPaymentTracker {
  // A Map iterates in insertion order: the first key is the one tracked longest ago.
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;

  constructor(options: MemoryPaymentTrackerOptions = {}) {
    this.maxEntries = options.maxEntries ?? 10_000;
  }

  async track(paymentId: string, dueAt: number, now: number): Promise<void> {
    const entry = this.entries.get(paymentId);
    if (entry !== undefined) {
      entry.dueAt = dueAt;
      return;
    }
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(paymentId, { trackedAt: now, dueAt });
  }

  async due(now: number, limit: number): Promise<PaymntTrackedPayment[]> {
    const due: Array<PaymntTrackedPayment & { dueAt: number }> = [];
    for (const [paymentId, entry] of this.entries) {
      if (entry.dueAt <= now) due.push({ paymentId, trackedAt: entry.trackedAt, dueAt: entry.dueAt });
    }
    return due
      .sort((a, b) => a.dueAt - b.dueAt)
      .slice(0, limit)
      .map(({ paymentId, trackedAt }) => ({ paymentId, trackedAt }));
  }

  async untrack(paymentId: string): Promise<void> {
    this.entries.delete(paymentId);
  }

  async size(): Promise<number> {
    return this.entries.size;
  }
}
