import { Inject, Injectable } from '@nestjs/common';
import { type PaymntClient, PaymntError } from '@paymnt/client';
import { PaymntIntakeService } from '../intake/paymnt-intake.service';
import type { ResolvedPaymntHealthOptions, ResolvedPaymntOptions } from '../options/paymnt-module-options.interface';
import { PAYMNT_CLIENT, PAYMNT_EVENT_STORE, PAYMNT_OPTIONS } from '../paymnt.constants';
import { withDeadline } from '../redis/with-deadline';
import type { PaymntEventStore } from '../stores/paymnt-event.store';
import type { PaymntHealthDetails, PaymntHealthResult } from './paymnt-health.types';

/** Why a check failed, without anything a log should not hold (no key, no connection string). */
function failure(error: unknown): Record<string, unknown> {
  if (error instanceof PaymntError) {
    const { statusCode } = error;
    return { error: error.code ?? error.name, ...(statusCode === undefined ? {} : { statusCode }), message: error.message };
  }
  return { error: error instanceof Error ? error.name : 'Error', message: error instanceof Error ? error.message : String(error) };
}

class PaymntHealthTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`${what} did not answer within ${ms} ms (health.timeoutMs)`);
    this.name = 'PaymntHealthTimeoutError';
  }
}

/**
 * Health of the module for `@nestjs/terminus` (or any probe): the API (one cheap authenticated call,
 * its result reused for `health.apiCacheMs` so probes never hammer the API), the event store (a
 * Redis round trip for `RedisEventStore`) and durable intake (queue depth, failed and dead-letter
 * counts against `health.max*`). Each check is bounded by `health.timeoutMs`.
 *
 * ```ts
 * @Get('health') @HealthCheck()
 * check() { return this.health.check([() => this.paymnt.isHealthy('paymnt')]); }
 * ```
 *
 * It needs nothing from terminus: results have terminus' shape, and a `down` part is answered, not
 * thrown. Keep it out of liveness probes: an unreachable API is no reason to restart the app.
 */
@Injectable()
export class PaymntHealthIndicator {
  protected readonly config: ResolvedPaymntHealthOptions;
  private lastApiCheck: { startedAt: number; result: Promise<PaymntHealthDetails> } | undefined;

  constructor(
    @Inject(PAYMNT_OPTIONS) options: ResolvedPaymntOptions,
    @Inject(PAYMNT_CLIENT) protected readonly client: PaymntClient,
    @Inject(PAYMNT_EVENT_STORE) protected readonly store: PaymntEventStore,
    protected readonly intake: PaymntIntakeService,
  ) {
    this.config = options.health;
  }

  /** Every part under one key: `down` when one of them is (each part's details under `api`, `store`, `intake`). */
  async isHealthy<const Key extends string = 'paymnt'>(key: Key = 'paymnt' as Key): Promise<PaymntHealthResult<Key>> {
    const [api, store, intake] = await Promise.all([this.apiHealth(), this.storeHealth(), this.intake.enabled ? this.intakeHealth() : undefined]);
    const parts: Record<string, PaymntHealthDetails> = intake === undefined ? { api, store } : { api, store, intake };
    const down = Object.values(parts).some((part) => part.status === 'down');
    const details: PaymntHealthDetails = { status: down ? 'down' : 'up', ...parts };
    return { [key]: details } as PaymntHealthResult<Key>;
  }

  /** The API alone (the cached result of a `GET /customers/list?limit=1`). */
  async checkApi<const Key extends string = 'paymnt_api'>(key: Key = 'paymnt_api' as Key): Promise<PaymntHealthResult<Key>> {
    return { [key]: await this.apiHealth() } as PaymntHealthResult<Key>;
  }

  /** The event store alone. */
  async checkStore<const Key extends string = 'paymnt_store'>(key: Key = 'paymnt_store' as Key): Promise<PaymntHealthResult<Key>> {
    return { [key]: await this.storeHealth() } as PaymntHealthResult<Key>;
  }

  /** Durable intake alone (`up` with `enabled: false` without `webhook.intake`). */
  async checkIntake<const Key extends string = 'paymnt_intake'>(key: Key = 'paymnt_intake' as Key): Promise<PaymntHealthResult<Key>> {
    const details = this.intake.enabled ? await this.intakeHealth() : { status: 'up' as const, enabled: false };
    return { [key]: details } as PaymntHealthResult<Key>;
  }

  /** One call per `apiCacheMs` at most, shared by the probes that arrive meanwhile. */
  protected apiHealth(): Promise<PaymntHealthDetails> {
    const now = Date.now();
    const last = this.lastApiCheck;
    if (last !== undefined && now - last.startedAt < this.config.apiCacheMs) return last.result;
    const result = this.pingApi();
    this.lastApiCheck = { startedAt: now, result };
    return result;
  }

  private async pingApi(): Promise<PaymntHealthDetails> {
    const started = performance.now();
    try {
      // Authenticated and cheap: one customer at most. No retry: a probe must answer quickly.
      await this.client.customers.list({ limit: 1 }, { maxRetries: 0, timeoutMs: this.config.timeoutMs });
      return { status: 'up', latencyMs: Math.round(performance.now() - started), checkedAt: new Date().toISOString() };
    } catch (error) {
      return { status: 'down', ...failure(error), checkedAt: new Date().toISOString() };
    }
  }

  protected async storeHealth(): Promise<PaymntHealthDetails> {
    const kind = this.store.constructor?.name ?? 'PaymntEventStore';
    if (typeof this.store.ping !== 'function') return { status: 'up', store: kind };
    const started = performance.now();
    try {
      await this.bounded('The event store', this.store.ping());
      return { status: 'up', store: kind, latencyMs: Math.round(performance.now() - started) };
    } catch (error) {
      return { status: 'down', store: kind, ...failure(error) };
    }
  }

  protected async intakeHealth(): Promise<PaymntHealthDetails> {
    let counts;
    try {
      counts = await this.bounded("The intake's Redis", this.intake.getCounts());
    } catch (error) {
      return { status: 'down', ...failure(error) };
    }
    const { maxQueueDepth, maxFailed, maxDeadLetters } = this.config;
    const queueDepth = counts.waiting + counts.delayed;
    const over = [
      queueDepth > maxQueueDepth ? `queue depth ${queueDepth} > health.maxQueueDepth ${maxQueueDepth}` : undefined,
      counts.failed > maxFailed ? `failed ${counts.failed} > health.maxFailed ${maxFailed}` : undefined,
      counts.deadLetters > maxDeadLetters
        ? `dead letters ${counts.deadLetters} > health.maxDeadLetters ${maxDeadLetters} (replay them with PaymntIntakeService.replayDeadLetters())`
        : undefined,
    ].filter((reason) => reason !== undefined);
    const details = { queueDepth, active: counts.active, failed: counts.failed, deadLetters: counts.deadLetters };
    return over.length === 0 ? { status: 'up', ...details } : { status: 'down', ...details, message: over.join('; ') };
  }

  private bounded<T>(what: string, promise: Promise<T>): Promise<T> {
    return withDeadline(promise, this.config.timeoutMs, () => new PaymntHealthTimeoutError(what, this.config.timeoutMs));
  }
}
