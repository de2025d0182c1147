import { inspect, type InspectOptions } from 'node:util';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { EventEmitterReadinessWatcher } from '@nestjs/event-emitter';
import type { WebhookEvent } from '@paymnt/client';
import type { ConnectionOptions, Job, Queue, Worker } from 'bullmq';
import { PaymntConfigurationError } from '../errors/paymnt-configuration.error';
import { PaymntRedisTimeoutError } from '../errors/paymnt-redis-timeout.error';
import { PaymntEventPublisher } from '../events/paymnt-event.publisher';
import type { PaymntPublishOutcome } from '../events/paymnt-publish-outcome';
import type { ResolvedPaymntIntakeOptions, ResolvedPaymntOptions } from '../options/paymnt-module-options.interface';
import { inspectWithoutSecrets } from '../options/redact-paymnt-options';
import { InjectPaymntOptions } from '../paymnt.decorators';
import { withDeadline } from '../redis/with-deadline';

/** What an intake job carries: the verified webhook event, as received. */
export interface PaymntIntakeJobData {
  event: WebhookEvent;
}

/** What a dead-letter job carries: the event and why its last attempt failed. */
export interface PaymntDeadLetterJobData extends PaymntIntakeJobData {
  failedReason: string;
  attemptsMade: number;
  /** ISO 8601. */
  failedAt: string;
}

/** Job counts of the intake queue and of its dead-letter queue. */
export interface PaymntIntakeCounts {
  waiting: number;
  active: number;
  delayed: number;
  completed: number;
  failed: number;
  /** Events whose attempts ran out, waiting for `replayDeadLetters()`. */
  deadLetters: number;
}

const JOB_NAME = 'paymnt-webhook';
const DEAD_LETTER_JOB_NAME = 'paymnt-webhook-dead-letter';
/** At shutdown, how long to wait for the connections once they are dropped (nothing left waits on Redis). */
const FORCED_CLOSE_MS = 2000;

/** What the intake asks of BullMQ's ioredis clients itself: their state, the and the durability check. */
interface IntakeRedisClient {
  status?: string;
  info(section: string): Promise<string>;
  config(command: 'GET', parameter: string): Promise<unknown>;
}

/** BullMQ's connection of a queue or worker (and a worker's blocking one): not in its public types. */
interface BullMqConnection {
  close(force: boolean): Promise<void>;
}
interface BullMqInternals {
  connection?: BullMqConnection;
  blockingConnection?: BullMqConnection;
}

/** The warning logged at startup when the intake's Redis may lose queued jobs; `save` is its RDB setting, when readable. */
function intakeDurabilityWarning(save: string | undefined): string {
  const risk =
    save === ''
      ? 'has no persistence (appendonly no, save ""): if it restarts, every webhook answered 200 "queued" and not yet handled is lost'
      : save === undefined
        ? 'has AOF off (appendonly no) and its snapshot settings could not be read (CONFIG GET is refused): unless your provider persists it, a restart loses the webhooks answered 200 "queued" and not yet handled'
        : `persists only RDB snapshots (appendonly no, save "${save}"): a crash loses the webhooks answered 200 "queued" since the last snapshot`;
  return (
    `The Redis of webhook.intake ${risk}, and the API does not deliver an acknowledged webhook again. ` +
    'Enable the append-only file (appendonly yes, with appendfsync everysec or always), or use a replicated Redis with persistence.'
  );
}

/** `promise`'s value if it is already settled, else `undefined`: a look that never waits. */
async function ifSettled<T>(promise: Promise<T>): Promise<T | undefined> {
  return Promise.race([promise.catch(() => undefined), new Promise<undefined>((resolve) => setImmediate(() => resolve(undefined)))]);
}

/** Whether `promise` settled within `ms`. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const settled = promise.then(
    () => true,
    () => true,
  );
  const result = await Promise.race([settled, new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)))]);
  clearTimeout(timer);
  return result;
}

/**
 * BullMQ job ids may not be integers or contain `:`; Paymnt's `evt_…` ids are used as they are,
 * anything else is encoded (one event, one job id, always the same).
 */
export function intakeJobId(eventId: string): string {
  return /^\d+$/.test(eventId) || /[:%]/.test(eventId) ? `evt-${encodeURIComponent(eventId)}` : eventId;
}

/** Thrown by a worker when another delivery holds the transition: the job is retried after its backoff. */
export class PaymntIntakeInProgressError extends Error {
  constructor(readonly eventId: string) {
    super(`Webhook ${eventId} is being handled by another delivery right now; retried after the backoff`);
    this.name = 'PaymntIntakeInProgressError';
  }
}

/**
 * Durable intake (`webhook.intake`): the webhook route enqueues each verified event on BullMQ with
 * its `event_id` as job id (a redelivery of a queued or completed event adds nothing) and answers
 * 2xx at once; workers publish through `PaymntEventPublisher.publishWebhookEvent` (the same
 * claim, de-duplication and ordering), retried with exponential backoff. An event whose attempts
 * run out is moved to the dead-letter queue: replay it with `replayDeadLetters()` once the cause
 * is fixed. Inactive (every method throws, but `enabled` is false) without `webhook.intake`.
 * BullMQ is used directly, loaded only when intake is on, rather than `@nestjs/bullmq`'s
 * `WorkerHost` (which every app would have to install): see docs/ARCHITECTURE.md.
 */
@Injectable()
export class PaymntIntakeService implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  protected readonly logger = new Logger('PaymntIntake');
  protected readonly config: ResolvedPaymntIntakeOptions | undefined;
  private queue: Queue<PaymntIntakeJobData> | undefined;
  private deadLetters: Queue<PaymntDeadLetterJobData> | undefined;
  private worker: Worker<PaymntIntakeJobData, PaymntPublishOutcome> | undefined;
  protected workerRun: Promise<void> | undefined;
  protected closed = false;

  constructor(
    @InjectPaymntOptions() options: ResolvedPaymntOptions,
    protected readonly publisher: PaymntEventPublisher,
    protected readonly moduleRef: ModuleRef,
  ) {
    this.config = options.intake;
  }

  /** Whether `webhook.intake` is configured. */
  get enabled(): boolean {
    return this.config !== undefined;
  }

  /** Safe to log or serialize: no Redis connection (it may hold a password), no options. */
  toJSON(): Record<string, unknown> {
    return { enabled: this.enabled, queueName: this.config?.queueName, deadLetterQueueName: this.config?.deadLetterQueueName };
  }

  [inspect.custom](_depth: number, options: InspectOptions): string {
    return inspectWithoutSecrets(this.constructor.name, this.toJSON(), options);
  }

  onModuleInit(): void {
    const config = this.config;
    if (config === undefined) return;
    const { Queue, Worker } = this.loadBullMq();
    // PaymntRedisConnection is bullmq's ConnectionOptions, declared without its types (see paymnt-redis.types.ts).
    const common = { connection: config.connection as ConnectionOptions, prefix: config.prefix };
    this.queue = new Queue<PaymntIntakeJobData>(config.queueName, {
      ...common,
      defaultJobOptions: {
        attempts: config.attempts,
        backoff: { type: 'exponential', delay: config.backoffMs },
        // Kept after success so a redelivery of the same event_id adds no job; the store de-duplicates beyond.
        removeOnComplete: { age: 24 * 60 * 60, count: 100_000 },
        // A failed job is in the dead-letter queue already: removing it lets a replay add it again.
        removeOnFail: true,
      },
    });
    this.deadLetters = new Queue<PaymntDeadLetterJobData>(config.deadLetterQueueName, common);
    this.queue.on('error', (error) => this.logger.error(`Intake queue: ${error.message}`));
    this.deadLetters.on('error', (error) => this.logger.error(`Dead-letter queue: ${error.message}`));
    if (config.worker) {
      // Started once the app's event listeners are registered (see onApplicationBootstrap).
      this.worker = new Worker<PaymntIntakeJobData, PaymntPublishOutcome>(config.queueName, (job) => this.process(job), {
        ...common,
        concurrency: config.concurrency,
        autorun: false,
      });
      this.worker.on('error', (error) => this.logger.error(`Intake worker: ${error.message}`));
    }
  }

  /**
   * Starts the worker once `@nestjs/event-emitter` has registered the handlers: a job taken
   * earlier would be marked done with nobody told. Checks the Redis's persistence in the background.
   */
  onApplicationBootstrap(): void {
    if (this.queue !== undefined) void this.checkDurability();
    const worker = this.worker;
    if (worker === undefined) return;
    let watcher: EventEmitterReadinessWatcher | undefined;
    try {
      watcher = this.moduleRef.get(EventEmitterReadinessWatcher, { strict: false });
    } catch {
      watcher = undefined;
    }
    const ready = watcher === undefined ? Promise.resolve() : watcher.waitUntilReady();
    this.workerRun = ready
      .then(() => (this.closed ? undefined : worker.run()))
      .catch((error: unknown) => this.logger.error(`Intake worker stopped: ${error instanceof Error ? error.message : String(error)}`));
  }

  /**
   * Warns once, at startup, when the intake's Redis may lose queued jobs (no append-only file): a
   * webhook answered 200 is never delivered again by the API. Never fails startup; waits for Redis
   * if it is not up yet, and says nothing if it cannot tell.
   */
  protected async checkDurability(): Promise<void> {
    const queue = this.queue;
    if (queue === undefined) return;
    try {
      const client = (await queue.client) as unknown as IntakeRedisClient;
      if (this.closed) return;
      const info = await client.info('persistence');
      if (/^aof_enabled:1\s*$/m.test(info)) return;
      let save: string | undefined;
      try {
        const reply = await client.config('GET', 'save');
        save = Array.isArray(reply) && typeof reply[1] === 'string' ? reply[1] : undefined;
      } catch {
        // CONFIG is often disabled on managed Redis: the warning says so.
        save = undefined;
      }
      if (!this.closed) this.logger.warn(intakeDurabilityWarning(save));
    } catch {
      // Redis unreachable, or the app closing: nothing to say.
    }
  }

  /**
   * Closes the worker (waiting for running jobs), the queues and the connections the module opened,
   * within a bound: when Redis is unreachable, or does not answer within `closeTimeoutMs`, the
   * connections are dropped instead of waited for.
   */
  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    if (this.queue === undefined) return;
    const timeoutMs = this.config!.closeTimeoutMs;
    if (await this.redisReady()) {
      if (await settlesWithin(this.closeGracefully(), timeoutMs)) return;
      this.logger.warn(`Intake: running jobs or Redis did not finish within ${timeoutMs} ms of shutdown (webhook.intake.closeTimeoutMs); closing its connections without waiting.`);
    } else {
      this.logger.warn('Intake: Redis is not connected at shutdown; closing its connections without waiting. Jobs cut short run again once their lock expires.');
    }
    if (!(await settlesWithin(this.closeNow(), FORCED_CLOSE_MS))) this.logger.error('Intake: its connections did not close; shutdown goes on without them.');
  }

  /**
   * Enqueues a verified event (job id = its `event_id`: BullMQ adds nothing when that job is
   * already queued, running or completed). Resolves once Redis has it; rejects with
   * `PaymntRedisTimeoutError` after `enqueueTimeoutMs` (an enqueue that lands later is harmless:
   * the redelivery of the event adds nothing).
   */
  async enqueue(event: WebhookEvent): Promise<void> {
    const queue = this.requireQueue();
    const timeoutMs = this.config!.enqueueTimeoutMs;
    await withDeadline(queue.add(JOB_NAME, { event }, { jobId: intakeJobId(event.event_id) }), timeoutMs, () => {
      return new PaymntRedisTimeoutError('enqueue', timeoutMs, 'webhook.intake.enqueueTimeoutMs');
    });
  }

  /**
   * Moves every dead-letter event back to the intake queue (with a fresh set of attempts) and
   * returns how many were moved. Already-applied transitions are then `duplicate`s: replaying is safe.
   */
  async replayDeadLetters(): Promise<number> {
    const queue = this.requireQueue();
    const jobs = await this.deadLetters!.getJobs(['waiting', 'paused', 'prioritized'], 0, -1, true);
    let replayed = 0;
    for (const job of jobs) {
      const jobId = intakeJobId(job.data.event.event_id);
      // Its last attempt is still being recorded as failed: the next replay takes it.
      const current = await queue.getJob(jobId);
      const state = current === undefined ? undefined : await current.getState();
      if (state === 'active' || state === 'failed') continue;
      await queue.add(JOB_NAME, { event: job.data.event }, { jobId });
      await job.remove();
      replayed++;
    }
    return replayed;
  }

  /** The dead-letter events, oldest first (at most `limit`). */
  async listDeadLetters(limit = 100): Promise<PaymntDeadLetterJobData[]> {
    this.requireQueue();
    const jobs = await this.deadLetters!.getJobs(['waiting', 'paused', 'prioritized'], 0, limit - 1, true);
    return jobs.map((job) => job.data);
  }

  /** Job counts of the intake queue and its dead-letter queue. */
  async getCounts(): Promise<PaymntIntakeCounts> {
    const counts = await this.requireQueue().getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized', 'paused');
    const deadLetters = await this.deadLetters!.getJobCountByTypes('waiting', 'paused', 'prioritized');
    return {
      waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.paused ?? 0),
      active: counts.active ?? 0,
      delayed: counts.delayed ?? 0,
      completed: counts.completed ?? 0,
      failed: counts.failed ?? 0,
      deadLetters,
    };
  }

  /** Whether every connection of the intake is up right now (without waiting for one). */
  private async redisReady(): Promise<boolean> {
    const bases = [this.queue, this.deadLetters, this.worker].filter((base) => base !== undefined);
    const clients = await Promise.all(bases.map((base) => ifSettled(base.client)));
    return clients.every((client) => (client as unknown as IntakeRedisClient | undefined)?.status === 'ready');
  }

  private async closeGracefully(): Promise<void> {
    await this.worker?.close();
    await this.workerRun;
    await Promise.all([this.queue?.close(), this.deadLetters?.close()]);
  }

  /**
   * Drops the connections (a client given as `connection` is the app's: BullMQ leaves it open), so
   * that nothing waits on Redis any more, then closes the worker without waiting for its jobs.
   * Through BullMQ's own `close(true)` of each connection: it also marks them closing, which ends
   * BullMQ's retries of a job's bookkeeping (moveToCompleted / moveToFailed). Those retry without
   * pause once the worker is closing, so a job whose completion Redis could not take would otherwise
   * spin on the dropped connection for ever (a busy process that never exits).
   */
  private async closeNow(): Promise<void> {
    const connections = [this.queue, this.deadLetters, this.worker]
      .flatMap((base) => [base, (base as unknown as BullMqInternals | undefined)?.blockingConnection])
      .map((base) => (base as unknown as BullMqInternals | undefined)?.connection ?? (base as BullMqConnection | undefined))
      .filter((connection): connection is BullMqConnection => typeof connection?.close === 'function');
    await settlesWithin(Promise.allSettled(connections.map((connection) => connection.close(true))), FORCED_CLOSE_MS);
    await Promise.allSettled([this.worker?.close(true), this.queue?.close(), this.deadLetters?.close()]);
  }

  /** One attempt of a job: publish; on the last failed attempt, move the event to the dead-letter queue first. */
  private async process(job: Job<PaymntIntakeJobData, PaymntPublishOutcome>): Promise<PaymntPublishOutcome> {
    try {
      const outcome = await this.publisher.publishWebhookEvent(job.data.event);
      if (outcome === 'in_progress') throw new PaymntIntakeInProgressError(job.data.event.event_id);
      return outcome;
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      const attemptsMade = job.attemptsMade + 1;
      if (attemptsMade >= (job.opts.attempts ?? 1)) {
        await this.deadLetters!.add(
          DEAD_LETTER_JOB_NAME,
          { event: job.data.event, failedReason: err.message, attemptsMade, failedAt: new Date().toISOString() },
          { jobId: job.id },
        );
        this.logger.error(`Webhook ${job.data.event.event_id} failed ${attemptsMade} times; moved to the dead-letter queue: ${err.message}`);
      } else {
        this.logger.warn(`Webhook ${job.data.event.event_id} failed (attempt ${attemptsMade}); retried after the backoff: ${err.message}`);
      }
      throw err;
    }
  }

  /** `bullmq` is an optional peer dependency, required only when durable intake is configured. */
  private loadBullMq(): typeof import('bullmq') {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return require('bullmq') as typeof import('bullmq');
    } catch {
      throw new PaymntConfigurationError('webhook.intake', 'needs the bullmq package: npm install bullmq');
    }
  }

  private requireQueue(): Queue<PaymntIntakeJobData> {
    if (this.queue === undefined) {
      throw new PaymntConfigurationError('webhook.intake', this.closed ? 'the intake was closed' : 'is not configured: PaymntIntakeService needs webhook.intake');
    }
    return this.queue;
  }
}
