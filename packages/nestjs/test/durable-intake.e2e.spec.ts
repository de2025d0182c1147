import { randomUUID } from 'node:crypto';
import { Injectable, type INestApplication, Module } from '@nestjs/common';
import { EventEmitterModule, OnEvent } from '@nestjs/event-emitter';
import { PaymentsService, type AnyPaymntEvent, PaymntIntakeService, PaymntModule, type PaymntModuleOptions } from '@paymnt/nestjs';
import { createPaymntTestingSandbox, type PaymntTestingSandbox, sendSignedWebhook } from '@paymnt/nestjs/testing';
import Redis from 'ioredis';
import { startApp } from './support/apps';
import { describeWithRedis, REDIS_HOST, REDIS_PORT } from './support/redis';

const PAYMENTS = 15;
const ATTEMPTS = 3;
/** Payment i's handler fails this many times: every 5th one until the "fix" (more than ATTEMPTS), others 0-2 times. */
const planFor = (i: number): number | 'until_fixed' => (i % 5 === 0 ? 'until_fixed' : i % 5 === 1 ? 1 : i % 5 === 2 ? 2 : 0);

/** A handler that fails as planned (by the payment's metadata), then recovers; it records every run. */
@Injectable()
class FlakyHandler {
  fixed = false;
  readonly attempts = new Map<string, number>();
  readonly successes: string[] = [];
  failuresInjected = 0;

  @OnEvent('paymnt.*', { suppressErrors: false })
  async handle(event: AnyPaymntEvent): Promise<void> {
    const attempt = (this.attempts.get(event.eventId) ?? 0) + 1;
    this.attempts.set(event.eventId, attempt);
    const plan = 'payment' in event ? (event.payment.metadata as Record<string, string> | null)?.fail : undefined;
    const failing = plan === 'until_fixed' ? !this.fixed : attempt <= Number(plan ?? 0);
    if (failing) {
      this.failuresInjected++;
      throw new Error(`planned failure ${attempt} of ${event.eventId}`);
    }
    this.successes.push(event.eventId);
  }
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describeWithRedis('durable intake (webhook.intake on BullMQ, real Redis, real sandbox webhooks)', () => {
  const queueName = `paymnt-intake-${randomUUID()}`;
  const prefix = 'paymnt-test';
  let paymnt: PaymntTestingSandbox;
  let app: INestApplication;
  let url: string;
  let intake: PaymntIntakeService;
  let handler: FlakyHandler;

  beforeAll(async () => {
    paymnt = await createPaymntTestingSandbox();
    const base = paymnt.moduleOptions('webhooks/paymnt');
    const options: PaymntModuleOptions = {
      ...base,
      publishServiceEvents: false, // handlers run only from webhooks, through the queue
      webhook: {
        ...base.webhook!,
        intake: { connection: { host: REDIS_HOST, port: REDIS_PORT }, queueName, prefix, attempts: ATTEMPTS, backoffMs: 20, concurrency: 4 },
      },
    };
    @Module({ imports: [EventEmitterModule.forRoot({ wildcard: true }), PaymntModule.forRoot(options)], providers: [FlakyHandler] })
    class IntakeAppModule {}
    ({ app, url } = await startApp(IntakeAppModule, 'express'));
    url = `${url}/webhooks/paymnt`;
    paymnt.pointWebhooksAt(url);
    intake = app.get(PaymntIntakeService);
    handler = app.get(FlakyHandler);
  });

  afterAll(async () => {
    await app?.close();
    await paymnt?.close();
    const redis = new Redis({ host: REDIS_HOST, port: REDIS_PORT });
    const keys = await redis.keys(`${prefix}:${queueName}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  const idle = async (): Promise<boolean> => {
    const counts = await intake.getCounts();
    return counts.waiting + counts.active + counts.delayed === 0;
  };

  it('answers 2xx "queued", retries failing handlers, dead-letters exhausted events, replays them: each event handled once, none lost', async () => {
    const payments = app.get(PaymentsService);
    for (let i = 0; i < PAYMENTS; i++) {
      const payment = await payments.create({
        amount: 1000 + i,
        currency: 'USD',
        confirm: true,
        capture_method: 'automatic',
        authentication_type: 'no_three_ds',
        payment_method: 'card',
        payment_method_data: { card: { card_number: '4242424242424242', card_exp_month: '10', card_exp_year: '30', card_cvc: '123' } },
        metadata: { fail: String(planFor(i)) },
      });
      expect(payment.status).toBe('succeeded');
    }
    const events = await paymnt.waitForWebhooksAcknowledged();
    expect(events).toHaveLength(PAYMENTS);
    // Every delivery was acknowledged on its first attempt, with the queued outcome: failures stay inside.
    const attempts = paymnt.sandbox.state.listDeliveryAttempts();
    expect(attempts).toHaveLength(PAYMENTS);
    for (const attempt of attempts) expect(JSON.parse(attempt.response.body ?? '{}')).toEqual({ received: true, outcome: 'queued' });

    await waitFor('the queue to drain', idle);
    const deadBefore = (await intake.getCounts()).deadLetters;
    const untilFixed = [...Array(PAYMENTS).keys()].filter((i) => planFor(i) === 'until_fixed').length;
    expect(deadBefore).toBe(untilFixed);
    const dead = await intake.listDeadLetters();
    for (const letter of dead) expect(letter.attemptsMade).toBe(ATTEMPTS);
    expect(handler.successes).toHaveLength(PAYMENTS - untilFixed);
    const failuresBeforeFix = handler.failuresInjected;
    const planned = [...Array(PAYMENTS).keys()].map(planFor).reduce<number>((sum, p) => sum + (p === 'until_fixed' ? ATTEMPTS : p), 0);
    expect(failuresBeforeFix).toBe(planned);

    handler.fixed = true;
    expect(await intake.replayDeadLetters()).toBe(untilFixed);
    await waitFor('the replayed events', async () => (await idle()) && handler.successes.length === PAYMENTS);
    expect((await intake.getCounts()).deadLetters).toBe(0);

    // Exactly once, none lost: the handler succeeded once for each event the sandbox recorded.
    expect([...handler.successes].sort()).toEqual(events.map((event) => event.eventId).sort());
    expect(new Set(handler.successes).size).toBe(PAYMENTS);
    const runs = [...handler.attempts.values()].reduce((sum, n) => sum + n, 0);
    expect(runs).toBe(PAYMENTS + handler.failuresInjected);
    expect((await intake.getCounts()).completed).toBe(PAYMENTS);

    // A redelivery of every event (the API's exact bytes) is acknowledged and enqueues nothing.
    for (const event of events) {
      const response = await sendSignedWebhook(url, event.body, paymnt.sandbox.webhookSecret);
      expect(response.status).toBe(200);
    }
    expect(await intake.getCounts()).toMatchObject({ waiting: 0, active: 0, delayed: 0, completed: PAYMENTS, deadLetters: 0 });
    expect(handler.successes).toHaveLength(PAYMENTS);

    process.stdout.write(
      `durable intake: ${PAYMENTS} webhook events, ${handler.failuresInjected} handler failures injected ` +
        `(${failuresBeforeFix} before the fix), ${runs - PAYMENTS} retries, ${deadBefore} dead letters replayed, ` +
        `${PAYMENTS} redeliveries enqueued nothing; successful handler runs: ${handler.successes.length}\n`,
    );
  });
});
