import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import type { INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { PaymntIntakeService, type PaymntModuleOptions, RedisEventStore } from '@paymnt/nestjs';
import { buildWebhookEvent } from '@paymnt/nestjs/testing';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { type AdapterName, startApp } from './support/apps';
import { type DeliveryAttempt, deliverAll, deliverOnce, durations, waitFor } from './support/deliveries';
import { paymentFixture, WEBHOOK_SECRET } from './support/fixtures';
import { EventRecorder } from './support/recorder';
import { describeWithRedisServer, RedisServer } from './support/redis-server';
import { webhookAppModule } from './support/webhook-app';

jest.setTimeout(40_000);

const OPTIONS = { apiKey: 'snd_test_key', baseUrl: 'http://127.0.0.1:9', maxRetries: 0 };
const ENQUEUE_TIMEOUT_MS = 1000;
const CLOSE_TIMEOUT_MS = 2000;
/** How long an answer may take while Redis is unavailable: the enqueue deadline, plus HTTP and scheduling. */
const ANSWER_BOUND_MS = ENQUEUE_TIMEOUT_MS + 1000;
const SENDER_TIMEOUT_MS = 15_000;

interface IntakeApp {
  app: INestApplication;
  url: string;
  recorder: EventRecorder;
  intake: PaymntIntakeService;
  /** The store's own connection (the app's to close). */
  storeRedis: Redis;
  closed?: boolean;
}

/** The webhook app with durable intake on `queueServer` and a RedisEventStore on `storeServer` (ioredis defaults). */
function intakeOptions(queueServer: RedisServer, storeServer: RedisServer, queueName: string): { options: PaymntModuleOptions; storeRedis: Redis } {
  const storeRedis = new Redis(storeServer.connection);
  storeRedis.on('error', () => undefined);
  const options: PaymntModuleOptions = {
    ...OPTIONS,
    webhook: {
      secret: WEBHOOK_SECRET,
      store: new RedisEventStore(storeRedis, { commandTimeoutMs: ENQUEUE_TIMEOUT_MS }),
      intake: {
        connection: queueServer.connection,
        queueName,
        attempts: 20,
        backoffMs: 100,
        concurrency: 4,
        enqueueTimeoutMs: ENQUEUE_TIMEOUT_MS,
        closeTimeoutMs: CLOSE_TIMEOUT_MS,
      },
    },
  };
  return { options, storeRedis };
}

async function startIntakeApp(adapter: AdapterName, queueServer: RedisServer, storeServer: RedisServer, queueName: string): Promise<IntakeApp> {
  const { options, storeRedis } = intakeOptions(queueServer, storeServer, queueName);
  const { app, url } = await startApp(webhookAppModule(options, 'hooks'), adapter);
  return { app, url: `${url}/hooks`, recorder: app.get(EventRecorder), intake: app.get(PaymntIntakeService), storeRedis };
}

/** Closes the app (timed) and its store connection. */
async function closeApp(instance: IntakeApp): Promise<number> {
  if (instance.closed) return 0;
  instance.closed = true;
  const started = Date.now();
  await instance.app.close();
  const took = Date.now() - started;
  instance.storeRedis.disconnect();
  return took;
}

function eventFor(): { key: string; eventId: string; paymentId: string; body: string } {
  const payment = paymentFixture();
  const event = buildWebhookEvent('payment_succeeded', payment);
  return { key: `${payment.payment_id}:payment_succeeded`, eventId: event.event_id, paymentId: payment.payment_id, body: JSON.stringify(event) };
}

const runs = (recorder: EventRecorder, paymentId: string): number => recorder.count({ handler: 'wildcard', objectId: paymentId });
const took = (attempt: DeliveryAttempt): number => attempt.endedAt - attempt.startedAt;

/** Collects the warnings the app logs. */
class WarningCollector implements LoggerService {
  readonly warnings: string[] = [];
  log(): void {}
  error(): void {}
  debug(): void {}
  verbose(): void {}
  warn(message: unknown): void {
    this.warnings.push(String(message));
  }
}

describeWithRedisServer('durable intake while its Redis is killed, restarted and frozen (own redis-server)', () => {
  const servers: RedisServer[] = [];
  const apps: IntakeApp[] = [];

  const server = async (options: Parameters<typeof RedisServer.start>[0]): Promise<RedisServer> => {
    const started = await RedisServer.start(options);
    servers.push(started);
    return started;
  };
  const app = async (adapter: AdapterName, queueServer: RedisServer, storeServer: RedisServer, queueName: string): Promise<IntakeApp> => {
    const started = await startIntakeApp(adapter, queueServer, storeServer, queueName);
    apps.push(started);
    return started;
  };

  afterEach(async () => {
    for (const instance of apps.splice(0)) await closeApp(instance).catch(() => undefined);
    for (const started of servers.splice(0)) await started.stop();
  });

  it('Redis (AOF) killed for 3 s during a stream, with handlers running: bounded 503s while down, then every event handled exactly once, none lost', async () => {
    const redis = await server({ aof: true });
    const instance = await app('express', redis, redis, `outage-${randomUUID()}`);
    const events = Array.from({ length: 40 }, eventFor);
    // Three handlers are running when Redis dies: they finish while it is down.
    const inFlight = events.slice(10, 13);
    let finish!: () => void;
    const gate = new Promise<void>((resolve) => (finish = resolve));
    for (const event of inFlight) instance.recorder.gates.set(event.key, gate);
    const log: DeliveryAttempt[] = [];
    let downAt = 0;
    let upAt = 0;
    const outage = (async () => {
      await Promise.all(inFlight.map((event) => instance.recorder.whenStarted(event.key)));
      await redis.kill();
      downAt = Date.now();
      finish();
      await new Promise((resolve) => setTimeout(resolve, 3000));
      upAt = Date.now();
      await redis.restart();
    })();
    await deliverAll(events, [instance.url], 4, { secret: WEBHOOK_SECRET, timeoutMs: SENDER_TIMEOUT_MS, retryDelayMs: 100, deadlineMs: 30_000 }, log);
    await outage;

    const whileDown = log.filter((attempt) => attempt.startedAt >= downAt && attempt.endedAt <= upAt);
    expect(whileDown.length).toBeGreaterThan(0);
    for (const attempt of whileDown) {
      expect(attempt.status).toBe(503);
      expect(took(attempt)).toBeLessThan(ANSWER_BOUND_MS);
    }
    const idle = async (): Promise<boolean> => {
      const counts = await instance.intake.getCounts();
      return counts.waiting + counts.active + counts.delayed === 0;
    };
    await waitFor('every event to be handled and the queue to drain', async () => events.every((event) => runs(instance.recorder, event.paymentId) > 0) && (await idle()), 20_000);
    // A job re-run late (a stalled one, a retry) would show up here.
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const event of events) expect({ key: event.key, runs: runs(instance.recorder, event.paymentId) }).toEqual({ key: event.key, runs: 1 });
    const counts = await instance.intake.getCounts();
    expect(counts).toMatchObject({ waiting: 0, active: 0, delayed: 0, completed: events.length, deadLetters: 0 });

    const { median, max } = durations(whileDown);
    const byStatus = (status: number): number => log.filter((attempt) => attempt.status === status).length;
    process.stdout.write(
      `redis outage (intake, AOF): ${events.length} webhooks, Redis killed for ${upAt - downAt} ms with ${inFlight.length} handlers running; ` +
        `${whileDown.length} answers while down, all 503, median ${median} ms, max ${max} ms; all attempts: ${log.length} ` +
        `(200 queued × ${byStatus(200)}, 503 × ${byStatus(503)}, no answer × ${byStatus(0)}); jobs completed ${counts.completed}, ` +
        `handler runs ${events.reduce((sum, event) => sum + runs(instance.recorder, event.paymentId), 0)}, dead letters ${counts.deadLetters}\n`,
    );
  });

  it('Redis frozen (SIGSTOP): enqueue answers 503 within the bound, app.close() returns within closeTimeoutMs; the late enqueues add nothing twice', async () => {
    const redis = await server({ aof: false });
    const queueName = `freeze-${randomUUID()}`;
    const first = await app('fastify', redis, redis, queueName);
    const events = Array.from({ length: 8 }, eventFor);
    // Up and running first (connections ready, a job handled), so that closing tries the graceful way.
    const warmUp = eventFor();
    expect((await deliverOnce(warmUp.key, first.url, warmUp.body, WEBHOOK_SECRET, SENDER_TIMEOUT_MS)).outcome).toBe('queued');
    await waitFor('the first event to be handled', () => runs(first.recorder, warmUp.paymentId) === 1);

    redis.freeze();
    const answers = await Promise.all(events.map((event) => deliverOnce(event.key, first.url, event.body, WEBHOOK_SECRET, SENDER_TIMEOUT_MS)));
    const closeTook = await closeApp(first);
    redis.thaw();
    for (const answer of answers) {
      expect(answer.status).toBe(503);
      expect(took(answer)).toBeLessThan(ANSWER_BOUND_MS);
    }
    // Graceful close waits closeTimeoutMs for the frozen Redis, then drops the connections.
    expect(closeTook).toBeLessThan(CLOSE_TIMEOUT_MS + 3000);

    // The API delivers them again to a new instance: each handled once.
    const second = await app('fastify', redis, redis, queueName);
    const log: DeliveryAttempt[] = [];
    await deliverAll(events, [second.url], 4, { secret: WEBHOOK_SECRET, timeoutMs: SENDER_TIMEOUT_MS, retryDelayMs: 100, deadlineMs: 10_000 }, log);
    await waitFor('every event to be handled', () => events.every((event) => runs(second.recorder, event.paymentId) > 0));
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const event of events) expect(runs(second.recorder, event.paymentId)).toBe(1);

    const { median, max } = durations(answers);
    process.stdout.write(
      `redis freeze (intake): ${answers.length} webhooks during the SIGSTOP, all 503, median ${median} ms, max ${max} ms; ` +
        `app.close() while frozen took ${closeTook} ms (closeTimeoutMs ${CLOSE_TIMEOUT_MS}); redelivered after SIGCONT: handler runs 1 each\n`,
    );
  });

  it('app.close() with Redis stopped returns at once, its worker and queues closed, and nothing of it keeps running', async () => {
    const redis = await server({ aof: false });
    const instance = await app('express', redis, redis, `stopped-${randomUUID()}`);
    const event = eventFor();
    expect((await deliverOnce(event.key, instance.url, event.body, WEBHOOK_SECRET, SENDER_TIMEOUT_MS)).outcome).toBe('queued');
    await waitFor('the event to be handled', () => runs(instance.recorder, event.paymentId) === 1);
    // A handler that finishes while Redis is down: BullMQ cannot record its job and retries that.
    const running = eventFor();
    let finish!: () => void;
    instance.recorder.gates.set(running.key, new Promise<void>((resolve) => (finish = resolve)));
    expect((await deliverOnce(running.key, instance.url, running.body, WEBHOOK_SECRET, SENDER_TIMEOUT_MS)).outcome).toBe('queued');
    await instance.recorder.whenStarted(running.key);
    await redis.kill();
    finish();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const closeTook = await closeApp(instance);
    expect(closeTook).toBeLessThan(5000);
    // Once closing, BullMQ retried that bookkeeping without pause on the dropped connection: a busy
    // loop that kept the process alive for ever. Closed, the app leaves the event loop idle.
    const loopBefore = performance.eventLoopUtilization();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(performance.eventLoopUtilization(loopBefore).utilization).toBeLessThan(0.5);
    process.stdout.write(`redis stopped (intake): app.close() took ${closeTook} ms\n`);
  });

  it('a job run again after its worker died (stalled) is a duplicate for the event store: its handler ran once', async () => {
    const queueRedis = await server({ aof: true });
    const storeRedis = await server({ aof: false });
    const queueName = `stalled-${randomUUID()}`;
    const first = await app('express', queueRedis, storeRedis, queueName);
    const event = eventFor();
    let finish!: () => void;
    first.recorder.gates.set(event.key, new Promise<void>((resolve) => (finish = resolve)));
    expect((await deliverOnce(event.key, first.url, event.body, WEBHOOK_SECRET, SENDER_TIMEOUT_MS)).outcome).toBe('queued');
    await first.recorder.whenStarted(event.key);

    // The queue's Redis dies while the handler runs: the handler succeeds and the store records it,
    // but the worker cannot mark the job completed, and then its process goes away too.
    await queueRedis.kill();
    finish();
    const inspector = new Redis(storeRedis.connection);
    await waitFor('the completion in the store', async () => (await inspector.get(`paymnt:claim:${event.key}`)) === 'done');
    inspector.disconnect();
    await closeApp(first);

    // Redis comes back with the job still active (AOF). Its lock expires and a stalled check runs
    // (lockDuration and stalledInterval, 30 s each): done here directly, as the passing of that time.
    await queueRedis.restart();
    const raw = new Redis(queueRedis.connection);
    const jobKey = `bull:${queueName}:${event.eventId}`;
    expect(await raw.lrange(`bull:${queueName}:active`, 0, -1)).toEqual([event.eventId]);
    await raw.del(`${jobKey}:lock`, `bull:${queueName}:stalled-check`);
    await raw.sadd(`bull:${queueName}:stalled`, event.eventId);
    raw.disconnect();

    // Another instance's worker finds the stalled job and runs it again, through the same claim.
    const second = await app('express', queueRedis, storeRedis, queueName);
    const queue = new Queue(queueName, { connection: queueRedis.connection });
    try {
      await waitFor('the job to complete', async () => (await queue.getJob(event.eventId))?.finishedOn !== undefined);
      const job = await queue.getJob(event.eventId);
      expect(job?.returnvalue).toBe('duplicate');
    } finally {
      await queue.close();
    }
    expect(runs(first.recorder, event.paymentId)).toBe(1);
    expect(second.recorder.attempts.get(event.key)).toBeUndefined();
  });

  it('warns once at startup when the Redis has no persistence (CONFIG refused tolerated), never with AOF', async () => {
    const cases: Array<[string, RedisServer, RegExp | undefined]> = [
      ['AOF', await server({ aof: true }), undefined],
      ['none', await server({ aof: false }), /has no persistence \(appendonly no, save ""\).*appendonly yes/],
      ['none, CONFIG refused', await server({ aof: false, args: ['--rename-command', 'CONFIG', ''] }), /snapshot settings could not be read.*appendonly yes/],
    ];
    for (const [name, redis, expected] of cases) {
      const collector = new WarningCollector();
      const { options, storeRedis } = intakeOptions(redis, redis, `warn-${randomUUID()}`);
      const nest = await NestFactory.create(webhookAppModule(options, 'hooks'), { rawBody: true, logger: collector, abortOnError: false });
      await nest.init();
      try {
        const durability = (): string[] => collector.warnings.filter((warning) => warning.includes('The Redis of webhook.intake'));
        if (expected === undefined) {
          // The check runs right after bootstrap; the other cases show it answers well within this.
          await new Promise((resolve) => setTimeout(resolve, 1000));
          expect({ name, warnings: durability() }).toEqual({ name, warnings: [] });
        } else {
          await waitFor(`the warning (${name})`, () => durability().length > 0, 5000);
          expect(durability()).toHaveLength(1);
          expect(durability()[0]).toMatch(expected);
        }
      } finally {
        await nest.close();
        storeRedis.disconnect();
      }
    }
  });
});
