import type { INestApplication } from '@nestjs/common';
import { RedisEventStore } from '@paymnt/nestjs';
import { buildWebhookEvent } from '@paymnt/nestjs/testing';
import Redis from 'ioredis';
import { type AdapterName, startApp } from './support/apps';
import { type DeliveryAttempt, deliverAll, deliverOnce, durations, waitFor } from './support/deliveries';
import { paymentFixture, WEBHOOK_SECRET } from './support/fixtures';
import { EventRecorder } from './support/recorder';
import { describeWithRedisServer, RedisServer } from './support/redis-server';
import { webhookAppModule } from './support/webhook-app';

jest.setTimeout(40_000);

const OPTIONS = { apiKey: 'snd_test_key', baseUrl: 'http://127.0.0.1:9', maxRetries: 0 };
const COMMAND_TIMEOUT_MS = 1000;
/** How long an answer may take while Redis is unavailable: the store's deadline, plus HTTP and scheduling. */
const ANSWER_BOUND_MS = COMMAND_TIMEOUT_MS + 1000;
/** The sender's own timeout: far above the bound, so a hang shows as a slow answer, not a lost one. */
const SENDER_TIMEOUT_MS = 15_000;

interface Instance {
  app: INestApplication;
  url: string;
  redis: Redis;
  recorder: EventRecorder;
}

/**
 * An app instance on its own ioredis connection with ioredis' defaults (offline queue on, 20
 * retries per request): the store's deadline must hold whatever the connection's settings.
 */
async function startInstance(adapter: AdapterName, server: RedisServer): Promise<Instance> {
  const redis = new Redis(server.connection);
  redis.on('error', () => undefined);
  const store = new RedisEventStore(redis, { commandTimeoutMs: COMMAND_TIMEOUT_MS });
  const { app, url } = await startApp(webhookAppModule({ ...OPTIONS, webhook: { secret: WEBHOOK_SECRET, store } }, 'hooks'), adapter);
  return { app, url: `${url}/hooks`, redis, recorder: app.get(EventRecorder) };
}

function eventFor(): { key: string; paymentId: string; body: string } {
  const payment = paymentFixture();
  return { key: `${payment.payment_id}:payment_succeeded`, paymentId: payment.payment_id, body: JSON.stringify(buildWebhookEvent('payment_succeeded', payment)) };
}

describeWithRedisServer('RedisEventStore while its Redis is killed, restarted and frozen (own redis-server, AOF)', () => {
  let server: RedisServer;
  let a: Instance;
  let b: Instance;
  let inspector: Redis;

  beforeAll(async () => {
    server = await RedisServer.start({ aof: true });
    [a, b] = await Promise.all([startInstance('express', server), startInstance('fastify', server)]);
    inspector = new Redis(server.connection);
    inspector.on('error', () => undefined);
  });

  afterAll(async () => {
    for (const instance of [a, b]) {
      await instance?.app.close();
      instance?.redis.disconnect();
    }
    inspector?.disconnect();
    await server?.stop();
  });

  const runs = (paymentId: string): number =>
    a.recorder.count({ handler: 'wildcard', objectId: paymentId }) + b.recorder.count({ handler: 'wildcard', objectId: paymentId });
  const recorded = async (key: string): Promise<boolean> => (await inspector.get(`paymnt:claim:${key}`)) === 'done';
  const took = (attempt: DeliveryAttempt): number => attempt.endedAt - attempt.startedAt;

  it('a handler that succeeded while Redis died is not run again: 2xx, duplicate meanwhile, recorded after the restart', async () => {
    const event = eventFor();
    let open!: () => void;
    a.recorder.gates.set(event.key, new Promise<void>((resolve) => (open = resolve)));
    const first = deliverOnce(event.key, a.url, event.body, WEBHOOK_SECRET, SENDER_TIMEOUT_MS);
    await a.recorder.whenStarted(event.key);
    await server.kill();
    const opened = Date.now();
    open();

    // The handlers succeeded: acknowledged, although the completion could not be recorded.
    const answer = await first;
    expect({ status: answer.status, outcome: answer.outcome }).toEqual({ status: 200, outcome: 'dispatched' });
    expect(answer.endedAt - opened).toBeLessThan(ANSWER_BOUND_MS);
    // While Redis is down: this instance knows it ran (duplicate); the other cannot tell (503), both within the bound.
    const again = await deliverOnce(event.key, a.url, event.body, WEBHOOK_SECRET, SENDER_TIMEOUT_MS);
    expect({ status: again.status, outcome: again.outcome }).toEqual({ status: 200, outcome: 'duplicate' });
    const other = await deliverOnce(event.key, b.url, event.body, WEBHOOK_SECRET, SENDER_TIMEOUT_MS);
    expect(other.status).toBe(503);
    expect(took(other)).toBeLessThan(ANSWER_BOUND_MS);

    await server.restart();
    await waitFor('the completion to be recorded in the background', () => recorded(event.key));
    const afterRestart = await deliverOnce(event.key, b.url, event.body, WEBHOOK_SECRET, SENDER_TIMEOUT_MS);
    expect({ status: afterRestart.status, outcome: afterRestart.outcome }).toEqual({ status: 200, outcome: 'duplicate' });
    expect(runs(event.paymentId)).toBe(1);
  });

  it('a stream of webhooks over two instances, Redis killed for 3 s mid-handlers: bounded answers while down, then each transition handled exactly once', async () => {
    const events = Array.from({ length: 60 }, eventFor);
    // Three handlers are running when Redis dies: they finish while it is down.
    const inFlight = events.slice(24, 27);
    let finish!: () => void;
    const gate = new Promise<void>((resolve) => (finish = resolve));
    for (const event of inFlight) for (const instance of [a, b]) instance.recorder.gates.set(event.key, gate);
    const log: DeliveryAttempt[] = [];
    let downAt = 0;
    let upAt = 0;
    const outage = (async () => {
      await Promise.all(inFlight.map((event) => Promise.race([a.recorder.whenStarted(event.key), b.recorder.whenStarted(event.key)])));
      await server.kill();
      downAt = Date.now();
      finish();
      await new Promise((resolve) => setTimeout(resolve, 3000));
      upAt = Date.now();
      await server.restart();
    })();
    await deliverAll(events, [a.url, b.url], 6, { secret: WEBHOOK_SECRET, timeoutMs: SENDER_TIMEOUT_MS, retryDelayMs: 100, deadlineMs: 30_000 }, log);
    await outage;
    await waitFor('every completion to be recorded', async () => (await Promise.all(events.map((event) => recorded(event.key)))).every(Boolean));

    // The handlers that finished while Redis was down: acknowledged within the bound, not run again.
    const inFlightAnswers = inFlight.map((event) => log.find((attempt) => attempt.key === event.key)!);
    for (const first of inFlightAnswers) {
      expect({ status: first.status, outcome: first.outcome }).toEqual({ status: 200, outcome: 'dispatched' });
      expect(first.endedAt - downAt).toBeLessThan(ANSWER_BOUND_MS);
    }
    const whileDown = log.filter((attempt) => attempt.startedAt >= downAt && attempt.endedAt <= upAt);
    expect(whileDown.length).toBeGreaterThan(0);
    for (const attempt of whileDown) {
      expect(took(attempt)).toBeLessThan(ANSWER_BOUND_MS);
      // 503, unless the instance asked had itself run the handlers (2xx duplicate).
      if (attempt.status !== 503) expect(attempt).toMatchObject({ status: 200, outcome: 'duplicate' });
    }
    for (const event of events) expect({ key: event.key, runs: runs(event.paymentId) }).toEqual({ key: event.key, runs: 1 });

    const unavailable = whileDown.filter((attempt) => attempt.status === 503);
    const { median, max } = durations(whileDown);
    const byStatus = (status: number): number => log.filter((attempt) => attempt.status === status).length;
    process.stdout.write(
      `redis outage (store): ${events.length} webhooks over 2 instances, Redis killed for ${upAt - downAt} ms with ${inFlight.length} handlers running ` +
        `(answered 200 dispatched ${inFlightAnswers.map((first) => first.endedAt - downAt).join(', ')} ms after the kill); ` +
        `${whileDown.length} answers while down (${unavailable.length} × 503, ${whileDown.length - unavailable.length} × 2xx duplicate), ` +
        `median ${median} ms, max ${max} ms; all attempts: ${log.length} (200 × ${byStatus(200)}, 409 × ${byStatus(409)}, ` +
        `503 × ${byStatus(503)}, no answer × ${byStatus(0)}); handler runs: ${events.reduce((sum, event) => sum + runs(event.paymentId), 0)}\n`,
    );
  });

  it('a frozen Redis (SIGSTOP): 503 within the bound, no request hangs; after SIGCONT each transition handled once', async () => {
    const events = Array.from({ length: 10 }, eventFor);
    const gated = eventFor();
    let open!: () => void;
    b.recorder.gates.set(gated.key, new Promise<void>((resolve) => (open = resolve)));
    const gatedAnswer = deliverOnce(gated.key, b.url, gated.body, WEBHOOK_SECRET, SENDER_TIMEOUT_MS);
    await b.recorder.whenStarted(gated.key);

    server.freeze();
    const frozenAt = Date.now();
    const answers = await Promise.all(events.map((event, i) => deliverOnce(event.key, i % 2 === 0 ? a.url : b.url, event.body, WEBHOOK_SECRET, SENDER_TIMEOUT_MS)));
    open();
    const gatedResult = await gatedAnswer;
    const thawedAt = Date.now();
    server.thaw();

    for (const answer of answers) {
      expect(answer.status).toBe(503);
      expect(took(answer)).toBeLessThan(ANSWER_BOUND_MS);
    }
    expect({ status: gatedResult.status, outcome: gatedResult.outcome }).toEqual({ status: 200, outcome: 'dispatched' });
    expect(gatedResult.endedAt - frozenAt).toBeLessThan(ANSWER_BOUND_MS + COMMAND_TIMEOUT_MS);
    for (const event of events) expect(runs(event.paymentId)).toBe(0);

    // The API delivers them again: the claims that timed out during the freeze must not hold them for leaseMs (60 s here).
    const log: DeliveryAttempt[] = [];
    await deliverAll([...events, gated], [a.url, b.url], 4, { secret: WEBHOOK_SECRET, timeoutMs: SENDER_TIMEOUT_MS, retryDelayMs: 100, deadlineMs: 20_000 }, log);
    await waitFor('the gated completion to be recorded', () => recorded(gated.key));
    for (const event of [...events, gated]) expect({ key: event.key, runs: runs(event.paymentId) }).toEqual({ key: event.key, runs: 1 });

    const { median, max } = durations(answers);
    process.stdout.write(
      `redis freeze (store): ${answers.length} webhooks during a ${thawedAt - frozenAt} ms SIGSTOP, all 503, median ${median} ms, max ${max} ms; ` +
        `the handler that finished during the freeze answered 200 in ${gatedResult.endedAt - frozenAt} ms; ` +
        `after SIGCONT: ${log.length} attempts to acknowledge ${events.length + 1} webhooks, handler runs 1 each\n`,
    );
  });
});
