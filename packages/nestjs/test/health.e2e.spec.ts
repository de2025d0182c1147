import { randomUUID } from 'node:crypto';
import { Controller, Get, Injectable, type INestApplication, Module } from '@nestjs/common';
import { EventEmitterModule, OnEvent } from '@nestjs/event-emitter';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { type PaymentSucceededEvent, PaymntEvents, PaymntHealthIndicator, PaymntIntakeService, PaymntModule, type PaymntModuleOptions, RedisEventStore } from '@paymnt/nestjs';
import { buildWebhookEvent, createPaymntTestingSandbox, type PaymntTestingSandbox, sendSignedWebhook } from '@paymnt/nestjs/testing';
import Redis from 'ioredis';
import { ADAPTERS, startApp } from './support/apps';
import { paymentFixture } from './support/fixtures';
import { describeWithRedisServer, RedisServer } from './support/redis-server';

jest.setTimeout(40_000);

const API_CACHE_MS = 300;
const TIMEOUT_MS = 1000;

/** The app's own health route, as the terminus docs write it. */
@Controller('health')
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly paymnt: PaymntHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.paymnt.isHealthy('paymnt')]);
  }
}

/** Fails every payment whose metadata asks for it: with one attempt, its event goes to the dead-letter queue. */
@Injectable()
class FailingHandler {
  fixed = false;

  @OnEvent(PaymntEvents.PAYMENT_SUCCEEDED, { suppressErrors: false })
  handle(event: PaymentSucceededEvent): void {
    if (!this.fixed && (event.payment.metadata as Record<string, string> | null)?.fail === 'yes') throw new Error('planned failure');
  }
}

interface HealthBody {
  status: 'ok' | 'error';
  details: { paymnt: { status: string; api: Record<string, unknown>; store: Record<string, unknown>; intake: Record<string, unknown> } };
}

async function probe(url: string): Promise<{ status: number; body: HealthBody }> {
  const response = await fetch(`${url}/health`);
  return { status: response.status, body: (await response.json()) as HealthBody };
}

describeWithRedisServer.each(ADAPTERS)('PaymntHealthIndicator on %s (terminus, real sandbox, own redis-server)', (adapter) => {
  let paymnt: PaymntTestingSandbox;
  let redisServer: RedisServer;
  let storeRedis: Redis;
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    paymnt = await createPaymntTestingSandbox({ webhooksEnabled: false });
    redisServer = await RedisServer.start({ aof: false });
    storeRedis = new Redis({ ...redisServer.connection, maxRetriesPerRequest: 1 });
    storeRedis.on('error', () => undefined);
    const base = paymnt.moduleOptions('webhooks/paymnt');
    const options: PaymntModuleOptions = {
      ...base,
      store: new RedisEventStore(storeRedis, { commandTimeoutMs: TIMEOUT_MS }),
      webhook: { ...base.webhook!, intake: { connection: redisServer.connection, queueName: `health-${randomUUID()}`, attempts: 1, closeTimeoutMs: 1000 } },
      health: { apiCacheMs: API_CACHE_MS, timeoutMs: TIMEOUT_MS, maxDeadLetters: 1 },
    };
    @Module({
      imports: [EventEmitterModule.forRoot({ wildcard: true }), TerminusModule.forRoot({ logger: false }), PaymntModule.forRoot(options)],
      controllers: [HealthController],
      providers: [FailingHandler],
    })
    class HealthAppModule {}
    ({ app, url } = await startApp(HealthAppModule, adapter));
  });

  afterAll(async () => {
    await app?.close();
    storeRedis?.disconnect();
    await redisServer?.stop();
    await paymnt?.close();
  });

  const afterApiCache = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, API_CACHE_MS + 50));

  it('is up with the API, the Redis store and the intake reachable', async () => {
    const { status, body } = await probe(url);
    expect(status).toBe(200);
    expect(body.status).toBe('ok');
    expect(body.details.paymnt).toMatchObject({
      status: 'up',
      api: { status: 'up' },
      store: { status: 'up', store: 'RedisEventStore' },
      intake: { status: 'up', queueDepth: 0, deadLetters: 0 },
    });
    expect(JSON.stringify(body)).not.toContain(paymnt.sandbox.apiKey);
  });

  it('is down while the API is unreachable (connections reset), and calls the API once per apiCacheMs', async () => {
    await afterApiCache();
    const [rule] = paymnt.sandbox.faults.add({ route: 'GET /customers/list', fault: { reset: true } });
    try {
      const first = await probe(url);
      const second = await probe(url);
      expect(first.status).toBe(503);
      expect(first.body.status).toBe('error');
      expect(first.body.details.paymnt.status).toBe('down');
      expect(first.body.details.paymnt.api).toMatchObject({ status: 'down', error: 'connection_error' });
      expect(first.body.details.paymnt.store.status).toBe('up');
      expect(second.status).toBe(503);
      // The second probe reused the first one's result: one call reached the API.
      expect(paymnt.sandbox.faults.stats().byRule[rule!.id!]).toBe(1);
    } finally {
      paymnt.sandbox.faults.remove(rule!.id!);
    }
    await afterApiCache();
    expect((await probe(url)).status).toBe(200);
  });

  it('is down once the dead letters pass health.maxDeadLetters, up again once they are replayed', async () => {
    const intake = app.get(PaymntIntakeService);
    for (let i = 0; i < 2; i++) {
      const event = buildWebhookEvent('payment_succeeded', paymentFixture({ metadata: { fail: 'yes' } }));
      const response = await sendSignedWebhook(`${url}/webhooks/paymnt`, event, paymnt.sandbox.webhookSecret);
      expect(response.status).toBe(200);
    }
    const deadline = Date.now() + 10_000;
    while ((await intake.getCounts()).deadLetters < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));

    const { status, body } = await probe(url);
    expect(status).toBe(503);
    expect(body.details.paymnt.api.status).toBe('up');
    expect(body.details.paymnt.intake).toMatchObject({ status: 'down', deadLetters: 2 });
    expect(String(body.details.paymnt.intake.message)).toContain('health.maxDeadLetters 1');

    app.get(FailingHandler).fixed = true;
    expect(await intake.replayDeadLetters()).toBe(2);
    const drained = Date.now() + 10_000;
    while ((await intake.getCounts()).completed < 2 && Date.now() < drained) await new Promise((resolve) => setTimeout(resolve, 25));
    const after = await probe(url);
    expect(after.status).toBe(200);
    expect(after.body.details.paymnt.intake).toMatchObject({ status: 'up', deadLetters: 0 });
  });

  it('is down while Redis is stopped (store and intake), up again once it is back', async () => {
    await redisServer.kill();
    try {
      const started = Date.now();
      const { status, body } = await probe(url);
      expect(status).toBe(503);
      expect(body.details.paymnt.store).toMatchObject({ status: 'down', store: 'RedisEventStore' });
      expect(body.details.paymnt.intake.status).toBe('down');
      // Bounded by health.timeoutMs: a probe never hangs on a dead Redis.
      expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1500);
    } finally {
      await redisServer.restart();
    }
    const indicator = app.get(PaymntHealthIndicator);
    const deadline = Date.now() + 10_000;
    while ((await indicator.checkStore()).paymnt_store.status !== 'up' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await indicator.checkStore()).paymnt_store.status).toBe('up');
  });
});
