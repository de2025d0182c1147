import type { INestApplication } from '@nestjs/common';
import { RedisEventStore } from '@paymnt/nestjs';
import { buildWebhookEvent, sendSignedWebhook, type SignedWebhookResponse } from '@paymnt/nestjs/testing';
import Redis from 'ioredis';
import { startApp } from './support/apps';
import { paymentFixture, WEBHOOK_SECRET } from './support/fixtures';
import { EventRecorder } from './support/recorder';
import { describeWithRedis, REDIS_HOST, REDIS_PORT, uniquePrefix } from './support/redis';
import { webhookAppModule } from './support/webhook-app';

const OPTIONS = { apiKey: 'snd_test_key', baseUrl: 'http://127.0.0.1:9', maxRetries: 0 };

interface Instance {
  app: INestApplication;
  url: string;
  redis: Redis;
  recorder: EventRecorder;
}

/** One app instance with its own Redis connection; every instance shares `prefix`. */
async function startInstance(adapter: 'express' | 'fastify', prefix: string, leaseMs?: number): Promise<Instance> {
  const redis = new Redis({ host: REDIS_HOST, port: REDIS_PORT });
  const store = new RedisEventStore(redis, { keyPrefix: prefix });
  const { app, url } = await startApp(webhookAppModule({ ...OPTIONS, webhook: { secret: WEBHOOK_SECRET, store, leaseMs } }, 'hooks'), adapter);
  return { app, url: `${url}/hooks`, redis, recorder: app.get(EventRecorder) };
}

async function stopInstance(instance: Instance): Promise<void> {
  await instance.app.close();
  await instance.redis.quit();
}

/** Delivers like the API: again while the answer is not 2xx. */
async function deliverUntilAcknowledged(url: string, body: string): Promise<SignedWebhookResponse> {
  for (;;) {
    const response = await sendSignedWebhook(url, body, WEBHOOK_SECRET);
    if (response.status < 300) return response;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describeWithRedis('two app instances sharing Redis (RedisEventStore)', () => {
  let prefix: string;
  let a: Instance;
  let b: Instance;

  afterEach(async () => {
    await Promise.all([a, b].filter(Boolean).map(stopInstance));
    [a, b] = [undefined as never, undefined as never];
    const cleaner = new Redis({ host: REDIS_HOST, port: REDIS_PORT });
    const keys = await cleaner.keys(`${prefix}*`);
    if (keys.length > 0) await cleaner.del(...keys);
    await cleaner.quit();
  });

  const handlerRuns = (paymentId: string): number =>
    a.recorder.count({ handler: 'wildcard', objectId: paymentId }) + b.recorder.count({ handler: 'wildcard', objectId: paymentId });

  it('the same event delivered to both at once runs its handler once', async () => {
    prefix = uniquePrefix('instances');
    [a, b] = await Promise.all([startInstance('express', prefix), startInstance('fastify', prefix)]);
    for (let i = 0; i < 5; i++) {
      const payment = paymentFixture();
      const body = JSON.stringify(buildWebhookEvent('payment_succeeded', payment));
      const responses = await Promise.all([sendSignedWebhook(a.url, body, WEBHOOK_SECRET), sendSignedWebhook(b.url, body, WEBHOOK_SECRET)]);
      for (const response of responses) expect([200, 409]).toContain(response.status);
      expect(responses.some((response) => response.status === 200)).toBe(true);
      // The API retries what was not acknowledged: it is a duplicate by then.
      await Promise.all([deliverUntilAcknowledged(a.url, body), deliverUntilAcknowledged(b.url, body)]);
      expect(handlerRuns(payment.payment_id)).toBe(1);
    }
  });

  it('answers 409 (not 2xx) to the second instance while the first is still handling, then 2xx duplicate', async () => {
    prefix = uniquePrefix('instances');
    [a, b] = await Promise.all([startInstance('express', prefix), startInstance('express', prefix)]);
    const payment = paymentFixture();
    const key = `${payment.payment_id}:payment_succeeded`;
    let open!: () => void;
    a.recorder.gates.set(key, new Promise<void>((resolve) => (open = resolve)));
    const body = JSON.stringify(buildWebhookEvent('payment_succeeded', payment));

    const first = sendSignedWebhook(a.url, body, WEBHOOK_SECRET);
    await a.recorder.whenStarted(key);
    expect((await sendSignedWebhook(b.url, body, WEBHOOK_SECRET)).status).toBe(409);
    open();
    expect((await first).status).toBe(200);
    expect(await sendSignedWebhook(b.url, body, WEBHOOK_SECRET)).toMatchObject({ status: 200, body: { outcome: 'duplicate' } });
    expect(handlerRuns(payment.payment_id)).toBe(1);
  });

  it('a handler failure on one instance releases the event: the redelivery to the other runs it', async () => {
    prefix = uniquePrefix('instances');
    [a, b] = await Promise.all([startInstance('fastify', prefix), startInstance('express', prefix)]);
    const payment = paymentFixture();
    a.recorder.failures.set(`${payment.payment_id}:payment_succeeded`, 1);
    const body = JSON.stringify(buildWebhookEvent('payment_succeeded', payment));

    expect((await sendSignedWebhook(a.url, body, WEBHOOK_SECRET)).status).toBe(500);
    expect(await sendSignedWebhook(b.url, body, WEBHOOK_SECRET)).toMatchObject({ status: 200, body: { outcome: 'dispatched' } });
    expect(handlerRuns(payment.payment_id)).toBe(1);
  });

  it('an instance that dies mid-handler keeps the lease only until leaseMs: the redelivery runs the handler', async () => {
    prefix = uniquePrefix('instances');
    [a, b] = await Promise.all([startInstance('express', prefix, 300), startInstance('express', prefix, 300)]);
    const payment = paymentFixture();
    const key = `${payment.payment_id}:payment_succeeded`;
    let unblock!: () => void;
    // A's handler never finishes while B is delivered to: as good as a crash for the store.
    a.recorder.gates.set(key, new Promise<void>((resolve) => (unblock = resolve)));
    const body = JSON.stringify(buildWebhookEvent('payment_succeeded', payment));

    const stuck = sendSignedWebhook(a.url, body, WEBHOOK_SECRET);
    await a.recorder.whenStarted(key);
    const redelivered = await deliverUntilAcknowledged(b.url, body);
    expect(redelivered.body.outcome).toBe('dispatched');
    expect(b.recorder.count({ handler: 'wildcard', objectId: payment.payment_id })).toBe(1);
    unblock();
    await stuck;
  });
});
