/**
 * Several app instances, each a CHILD PROCESS on the built packages, sharing the real Redis
 * (RedisEventStore, a unique key prefix per run) behind a round-robin load balancer that is the
 * sandbox's webhook URL. Duplicates across instances run a handler once; a handler that crashes is
 * run again on redelivery; an instance killed with SIGKILL in the middle of a handler loses nothing.
 */
import { PaymntClient } from '@paymnt/client';
import { createSandbox, type Sandbox, type SandboxWebhookEvent } from '@paymnt/sandbox';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'undici';
import { leakedIn, secretNeedles } from './support/log-capture';
import { AppInstance, LoadBalancer } from './support/instances';
import { sleep } from './support/prng';
import { describeWithRedis, REDIS_HOST, REDIS_PORT, uniquePrefix } from './support/redis';

const LEASE_MS = 1_500;

/** A merchant-chosen payment id, so instances can be instructed about its event before it exists. */
const newPaymentId = (): string => `pay_rel_${randomBytes(8).toString('hex')}`;
const SUCCESS_CARD = { card_number: '4242424242424242', card_exp_month: '10', card_exp_year: '35', card_cvc: '123' };

describeWithRedis('many instances (child processes) sharing Redis behind a load balancer', () => {
  const prefix = uniquePrefix('instances');
  let sb: Sandbox;
  let api: PaymntClient;
  let redis: Redis;
  let instances: AppInstance[] = [];
  let balancer: LoadBalancer;
  let agent: Agent;
  let a: AppInstance;

  const ledger = async (key: string): Promise<number> => Number((await redis.get(`${prefix}ledger:${key}`)) ?? 0);
  const done = (key: string): string[] => instances.flatMap((i) => i.handler(key, 'done').map(() => i.name));

  /**
   * The instances that completed the handler of `key`. The HTTP answer can overtake the instance's
   * IPC report, so wait (bounded) for at least one report first; the exact count is then checked
   * by the caller, and Redis (written before the answer) is the authoritative ledger.
   */
  async function completedBy(key: string): Promise<string[]> {
    const deadline = Date.now() + 5_000;
    while (done(key).length === 0 && Date.now() < deadline) await sleep(10);
    await sleep(20);
    return done(key);
  }

  /** A payment captured automatically: one webhook event, `payment_succeeded`. */
  async function pay(amount: number, paymentId?: string): Promise<string> {
    const p = await api.payments.create({
      ...(paymentId === undefined ? {} : { payment_id: paymentId }),
      amount,
      currency: 'USD',
      confirm: true,
      authentication_type: 'no_three_ds',
      payment_method: 'card',
      payment_method_type: 'credit',
      payment_method_data: { card: SUCCESS_CARD },
    });
    expect(p.status).toBe('succeeded');
    return p.payment_id;
  }

  function eventOf(paymentId: string, type = 'payment_succeeded'): SandboxWebhookEvent {
    const event = sb.state.listEvents().find((e) => e.objectId === paymentId && e.eventType === type);
    if (!event) throw new Error(`no ${type} recorded for ${paymentId}`);
    return event;
  }

  /** Waits until the sandbox saw a 2xx for the event (its own retries included). */
  async function acknowledged(paymentId: string, timeoutMs = 20_000): Promise<SandboxWebhookEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const event = eventOf(paymentId);
      if (event.isDeliverySuccessful === true) return event;
      if (event.retriesExhausted || Date.now() > deadline) throw new Error(`event of ${paymentId} never acknowledged`);
      await sleep(25);
    }
  }

  async function deliver(instance: AppInstance, event: SandboxWebhookEvent): Promise<{ status: number; outcome?: string }> {
    const res = await request(instance.url, { method: 'POST', headers: Object.fromEntries(event.headers), body: event.body, dispatcher: agent });
    const text = await res.body.text();
    return { status: res.statusCode, outcome: res.statusCode === 200 ? (JSON.parse(text) as { outcome: string }).outcome : undefined };
  }

  beforeAll(async () => {
    // HS's retry schedule scaled down: retry 1 after 120 ms, then 600 ms, 600 ms, 1.2 s...
    sb = await createSandbox({ port: 0, webhookRetryTimeScale: 0.002, webhookTimeoutMs: 10_000 });
    api = new PaymntClient({ apiKey: sb.apiKey, baseUrl: sb.url, maxRetries: 0 });
    redis = new Redis({ host: REDIS_HOST, port: REDIS_PORT });
    agent = new Agent({ connections: 64 });
    const config = { apiKey: sb.apiKey, baseUrl: sb.url, webhookSecret: sb.webhookSecret, redisHost: REDIS_HOST, redisPort: REDIS_PORT, redisPrefix: prefix, leaseMs: LEASE_MS };
    instances = ['a', 'b', 'c'].map((name) => new AppInstance(name, config));
    a = instances[0] as AppInstance;
    await Promise.all(instances.map((i) => i.ready()));
    balancer = new LoadBalancer(instances);
    await balancer.start();
    sb.setWebhookUrl(balancer.url);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(instances.map((i) => i.stop()));
    await balancer?.close();
    await agent?.close();
    await api?.close();
    await sb?.close();
    if (redis) {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    }
  });

  it('boots every instance as its own process on the built packages', () => {
    const pids = instances.map((i) => i.pid);
    expect(new Set(pids).size).toBe(3);
    expect(pids).not.toContain(process.pid);
  });

  it('delivers a stream of real webhooks across the instances: every event handled exactly once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(await pay(1_000 + i));
    for (const id of ids) await acknowledged(id);
    for (const id of ids) {
      expect({ id, ledger: await ledger(`${id}:payment_succeeded`), done: (await completedBy(`${id}:payment_succeeded`)).length }).toEqual({ id, ledger: 1, done: 1 });
    }
    // The balancer really spread them.
    const targets = new Set(balancer.forwarded.map((f) => f.target));
    expect(targets.size).toBe(3);
  });

  it('concurrent duplicate deliveries to all instances at once run the handler once', async () => {
    sb.setWebhooksEnabled(false);
    try {
      const ids = [await pay(2_001), await pay(2_002), await pay(2_003)];
      for (const id of ids) {
        const event = eventOf(id);
        // 8 copies to each of the 3 instances, all at once.
        const answers = await Promise.all(instances.flatMap((i) => Array.from({ length: 8 }, () => deliver(i, event))));
        expect(answers.filter((x) => x.status !== 200 && x.status !== 409)).toEqual([]);
        expect(answers.filter((x) => x.outcome === 'dispatched')).toHaveLength(1);
        // The unacknowledged ones (409: being handled elsewhere) are delivered again: duplicates now.
        const unacknowledged = answers.filter((y) => y.status === 409).length;
        for (let n = 0; n < unacknowledged; n++) {
          expect(await deliver(instances[n % instances.length] as AppInstance, event)).toEqual({ status: 200, outcome: 'duplicate' });
        }
        expect(await ledger(`${id}:payment_succeeded`)).toBe(1);
        expect(await completedBy(`${id}:payment_succeeded`)).toHaveLength(1);
      }
    } finally {
      sb.setWebhooksEnabled(true);
    }
  });

  it('a handler that crashes once is run again when the sandbox redelivers the event (to the next instance)', async () => {
    const id = newPaymentId();
    const key = `${id}:payment_succeeded`;
    // Only instance a crashes, and the balancer sends the first delivery to a.
    await a.send({ cmd: 'fail-once', key });
    balancer.startAt('a');
    await pay(3_001, id);
    const event = await acknowledged(id);
    const attempts = sb.state.listDeliveryAttempts(event.eventId);
    expect(a.handler(key, 'failed')).toHaveLength(1);
    expect(attempts[0]?.response.status_code).toBe(500);
    expect(attempts.at(-1)?.response.status_code).toBe(200);
    expect(attempts.map((x) => x.deliveryAttempt).slice(1).every((kind) => kind === 'automatic_retry')).toBe(true);
    expect(await completedBy(key)).toEqual(['b']);
    expect(await ledger(key)).toBe(1);
  });

  it('an instance killed with SIGKILL in the middle of a handler loses nothing: after the lease, the sandbox retry runs it elsewhere to completion', async () => {
    const id = newPaymentId();
    const key = `${id}:payment_succeeded`;
    await a.send({ cmd: 'block', key });
    balancer.startAt('a');
    await pay(4_001, id);
    await a.waitFor(`the handler of ${key} to start`, () => a.handler(key, 'start').length > 0);
    const killedAt = Date.now();
    await a.kill();
    expect(a.exited).toBe(true);

    // Only the sandbox's own retry schedule delivers it again; the dead instance's lease expires first.
    const event = await acknowledged(id);
    const attempts = sb.state.listDeliveryAttempts(event.eventId);
    const statuses = attempts.map((x) => x.response.status_code ?? 'network error');
    expect(attempts.map((x) => x.deliveryAttempt).slice(1).every((kind) => kind === 'automatic_retry')).toBe(true);
    expect(statuses[0]).toBe(502);
    expect(statuses.at(-1)).toBe(200);
    const handledBy = await completedBy(key);
    expect(handledBy).toHaveLength(1);
    expect(['b', 'c']).toContain(handledBy[0]);
    expect(a.handler(key, 'done')).toHaveLength(0);
    expect(await ledger(key)).toBe(1);
    console.log(
      `kill -9 mid-handler: ${attempts.length} delivery attempts (${statuses.join(', ')}), handled by ${handledBy[0]} ` +
        `${Date.now() - killedAt} ms after the kill (lease ${LEASE_MS} ms)`,
    );
    // Later deliveries skip the dead instance and are still handled once.
    const later = await pay(4_002);
    await acknowledged(later);
    expect(await ledger(`${later}:payment_succeeded`)).toBe(1);
  });

  it('no instance printed the API key or the webhook secret', () => {
    const needles = secretNeedles({ apiKey: sb.apiKey, webhookSecret: sb.webhookSecret });
    for (const i of instances) expect({ instance: i.name, leaked: leakedIn(i.output, needles) }).toEqual({ instance: i.name, leaked: [] });
  });
});
