import type { Logger } from '@nestjs/common';

/** Records a transition as done in the event store. */
export type RecordCompletion = (key: string, ttlMs: number, objectKey: string | undefined, version: number | undefined) => Promise<void>;

interface Entry {
  readonly ttlMs: number;
  readonly objectKey: string | undefined;
  readonly version: number | undefined;
  /** After this, the store would have forgotten the transition anyway (its de-duplication TTL). */
  readonly expiresAt: number;
}

/** Most transitions kept per process; beyond, the oldest is forgotten (its lease still holds other instances off). */
export const MAX_UNRECORDED_COMPLETIONS = 10_000;
const FIRST_RETRY_MS = 200;
const MAX_RETRY_MS = 5000;
/** How long `close()` waits for the last attempt (a custom store may have no deadline of its own). */
const CLOSE_TIMEOUT_MS = 5000;
/** Keys named in one log line at most. */
const LOGGED_KEYS = 10;

/**
 * Transitions whose handlers succeeded but whose completion the event store could not record
 * (Redis down or frozen). Releasing their claim would let the redelivery run the handlers a second
 * time, so instead the claim is kept (its lease keeps other instances off for `leaseMs`), deliveries
 * to this process are answered `duplicate`, and the completion is recorded again in the background,
 * with backoff, until the store takes it or the de-duplication TTL has passed.
 */
export class UnrecordedCompletions {
  /** In insertion order: the first is the oldest. */
  private readonly entries = new Map<string, Entry>();
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<void> | undefined;
  private delayMs = FIRST_RETRY_MS;
  private closed = false;

  constructor(
    private readonly record: RecordCompletion,
    private readonly logger: Logger,
    private readonly maxEntries = MAX_UNRECORDED_COMPLETIONS,
  ) {}

  /** How many completions are waiting to be recorded. */
  get size(): number {
    return this.entries.size;
  }

  /** Whether the handlers of `key` succeeded in this process and the store does not know it yet. */
  has(key: string): boolean {
    if (this.entries.size === 0) return false;
    const entry = this.entries.get(key);
    if (entry === undefined) return false;
    if (entry.expiresAt > Date.now()) return true;
    this.entries.delete(key);
    return false;
  }

  /** The newest of `applied` and the versions of `objectKey` waiting to be recorded. */
  newestVersion(objectKey: string, applied: number | undefined): number | undefined {
    if (this.entries.size === 0) return applied;
    let newest = applied;
    for (const entry of this.entries.values()) {
      if (entry.objectKey === objectKey && entry.version !== undefined && (newest === undefined || entry.version > newest)) newest = entry.version;
    }
    return newest;
  }

  /** Keeps `key` as handled, and records it in the background. */
  add(key: string, ttlMs: number, objectKey: string | undefined, version: number | undefined, error: unknown): void {
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
      this.logger.error(`${oldest}: its completion was never recorded and more than ${this.maxEntries} are waiting; forgotten (a delivery after its lease expires runs its handlers again)`);
    }
    this.entries.set(key, { ttlMs, objectKey, version, expiresAt: Date.now() + ttlMs });
    this.logger.warn(
      `The handlers of ${key} succeeded but the event store could not record it (${errorMessage(error)}). ` +
        'Answered as handled; the claim is kept, deliveries to this instance are duplicates, and recording is retried in the background.',
    );
    this.schedule();
  }

  /** At shutdown: stops the retries after one last attempt, and says what could not be recorded. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.entries.size === 0 && this.pass === undefined) return;
    const last = (async () => {
      await this.pass;
      if (this.entries.size > 0) await this.retry();
    })();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([last, new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_TIMEOUT_MS)))]);
    clearTimeout(timer);
    if (this.entries.size > 0) {
      const keys = [...this.entries.keys()];
      this.logger.warn(
        `${keys.length} transition(s) ran their handlers but could not be recorded before shutdown (${listed(keys)}): ` +
          'their leases keep other instances off until leaseMs; a delivery after that runs their handlers again.',
      );
    }
  }

  private schedule(): void {
    if (this.closed || this.timer !== undefined || this.pass !== undefined || this.entries.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pass = this.retry().finally(() => {
        this.pass = undefined;
        this.schedule();
      });
    }, this.delayMs);
    this.timer.unref();
  }

  /** One pass, oldest first; it stops at the first failure (the store is still unavailable) and backs off. */
  private async retry(): Promise<void> {
    const recorded: string[] = [];
    for (const [key, entry] of [...this.entries]) {
      if (this.entries.get(key) !== entry) continue;
      if (entry.expiresAt <= Date.now()) {
        this.entries.delete(key);
        this.logger.error(`${key}: its completion could not be recorded within the de-duplication TTL; given up`);
        continue;
      }
      try {
        await this.record(key, entry.ttlMs, entry.objectKey, entry.version);
      } catch {
        this.delayMs = Math.min(this.delayMs * 2, MAX_RETRY_MS);
        this.logRecorded(recorded);
        return;
      }
      if (this.entries.get(key) === entry) this.entries.delete(key);
      recorded.push(key);
    }
    this.delayMs = FIRST_RETRY_MS;
    this.logRecorded(recorded);
  }

  private logRecorded(keys: string[]): void {
    if (keys.length > 0) this.logger.log(`Recorded ${keys.length} completion(s) the event store had missed (${listed(keys)})`);
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function listed(keys: string[]): string {
  return keys.length > LOGGED_KEYS ? `${keys.slice(0, LOGGED_KEYS).join(', ')}, ...` : keys.join(', ');
}
