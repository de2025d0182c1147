/**
 * Lets one log line per key through per interval, and counts the ones held back: a log line per
 * refused request would let anyone flood the app's logs and alerts.
 */
export class PaymntLogThrottle {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(private readonly intervalMs: number) {}

  /** `undefined` to stay silent; otherwise how many were held back since the key was last logged. */
  take(key: string, now: number = Date.now()): number | undefined {
    const entry = this.last.get(key);
    if (entry !== undefined && now - entry.at < this.intervalMs) {
      entry.suppressed++;
      return undefined;
    }
    this.last.set(key, { at: now, suppressed: 0 });
    return entry?.suppressed ?? 0;
  }
}
