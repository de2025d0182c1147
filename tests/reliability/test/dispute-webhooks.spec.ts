/**
 * Dispute and mandate webhooks under duplicates and reordering, on Express and Fastify, with
 * MemoryEventStore and RedisEventStore (the real Redis). Disputes are opened on captured payments
 * (on demand, and by the dispute test card) and walked through HS's statuses (opened → challenged →
 * won / lost / cancelled, accepted, expired); mandates are set up and revoked (by the API, or used up
 * by their one charge). The sandbox records the signed events; they then reach the app in a seeded
 * shuffle: each 1-3 times, bursts of concurrent copies, late copies, newer events before older ones,
 * some redelivered by the sandbox itself (the events API's manual retry), some handlers failing once.
 *
 * A model of the event store (done keys, newest applied version per object) says what each delivery
 * must do; the app's typed handlers must run exactly once per transition the model dispatches, never
 * for a stale one, and the app's ledger never moves an object back to an older status.
 */
import { type INestApplication, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { type MandateType, PaymntClient } from '@paymnt/client';
import {
  type AnyPaymntEvent,
  DisputeEvent,
  MandateEvent,
  OnPaymntEvent,
  PaymntEvents,
  type PaymntEventStore,
  PaymntModule,
  RedisEventStore,
} from '@paymnt/nestjs';
import { createSandbox, type Sandbox, type SandboxWebhookEvent } from '@paymnt/sandbox';
import Redis from 'ioredis';
import { Agent, request } from 'undici';
import { objectIdOf, transitionKey } from './support/ledger';
import { seededRandom, sleep, suiteSeed } from './support/prng';
import { describeWithRedis, REDIS_HOST, REDIS_PORT, uniquePrefix } from './support/redis';

const SEED = suiteSeed(20_260_614);
const WEBHOOK_PATH = 'webhooks/paymnt';
const CARD = { card_number: '4242424242424242', card_exp_month: '10', card_exp_year: '35', card_cvc: '123' };
const DISPUTE_CARD = '4000000000000259';
const ACCEPTANCE = { acceptance_type: 'offline' } as const;

/** The walks after `dispute_opened`, each done twice per suite. */
const WALKS: ReadonlyArray<ReadonlyArray<'challenged' | 'accepted' | 'won' | 'lost' | 'expired' | 'cancelled'>> = [
  ['challenged', 'won'],
  ['challenged', 'lost'],
  ['challenged', 'cancelled'],
  ['accepted'],
  ['expired'],
];
const MANDATES_REVOKED = 5;

/** The app's ledger: typed handlers applying each dispute / mandate status, counting every call. */
@Injectable()
class DisputeLedger {
  /** Successful handler runs per transition key. */
  readonly calls = new Map<string, number>();
  /** Calls per transition key from the 'paymnt.*' wildcard (any event reaching the app). */
  readonly wildcardCalls = new Map<string, number>();
  /** Handler runs per key, failed ones included. */
  readonly attempts = new Map<string, number>();
  /** Keys whose next N handler runs throw. */
  readonly failures = new Map<string, number>();
  /** What the app believes: the status of each object, and the versions it applied, in order. */
  readonly status = new Map<string, string>();
  readonly applied = new Map<string, number[]>();
  /** Typed-payload mismatches (event class, source, status vs type). */
  readonly problems: string[] = [];

  @OnPaymntEvent(PaymntEvents.DISPUTE_OPENED)
  @OnPaymntEvent(PaymntEvents.DISPUTE_CHALLENGED)
  @OnPaymntEvent(PaymntEvents.DISPUTE_WON)
  @OnPaymntEvent(PaymntEvents.DISPUTE_LOST)
  @OnPaymntEvent(PaymntEvents.DISPUTE_ACCEPTED)
  @OnPaymntEvent(PaymntEvents.DISPUTE_EXPIRED)
  @OnPaymntEvent(PaymntEvents.DISPUTE_CANCELLED)
  onDispute(event: DisputeEvent): void {
    if (!(event instanceof DisputeEvent) || event.source !== 'webhook' || event.dispute.dispute_status !== event.type) {
      this.problems.push(`${event.eventId}: ${event.constructor.name} ${event.source} ${event.type} carrying ${event.dispute?.dispute_status}`);
    }
    this.apply(event.dispute.dispute_id, event.type, event.dispute.dispute_status, Date.parse(event.dispute.connector_updated_at ?? ''));
  }

  @OnPaymntEvent(PaymntEvents.MANDATE_ACTIVE)
  @OnPaymntEvent(PaymntEvents.MANDATE_REVOKED)
  onMandate(event: MandateEvent): void {
    if (!(event instanceof MandateEvent) || event.source !== 'webhook' || `mandate_${event.mandate.status}` !== event.type) {
      this.problems.push(`${event.eventId}: ${event.constructor.name} ${event.source} ${event.type} carrying ${event.mandate?.status}`);
    }
    this.apply(event.mandate.mandate_id, event.type, event.mandate.status, Date.parse(event.timestamp));
  }

  @OnPaymntEvent('paymnt.*')
  count(event: AnyPaymntEvent): void {
    const key = transitionKey(objectIdOf(event), event.type);
    this.wildcardCalls.set(key, (this.wildcardCalls.get(key) ?? 0) + 1);
  }

  private apply(objectId: string, type: string, status: string, version: number): void {
    const key = transitionKey(objectId, type);
    this.attempts.set(key, (this.attempts.get(key) ?? 0) + 1);
    const failures = this.failures.get(key) ?? 0;
    if (failures > 0) {
      this.failures.set(key, failures - 1);
      throw new Error(`ledger write failed for ${key}`);
    }
    this.calls.set(key, (this.calls.get(key) ?? 0) + 1);
    // Applied naively, as an app would: the module must never hand it an older status.
    this.status.set(objectId, status);
    this.applied.set(objectId, [...(this.applied.get(objectId) ?? []), version]);
  }
}

/** One recorded event with what orders it. */
interface Recorded {
  event: SandboxWebhookEvent;
  key: string;
  objectId: string;
  version: number;
}

/** A group of copies of one event sent at once; `sandbox`: one copy, redelivered by the events API. */
interface Batch {
  item: Recorded;
  copies: number;
  via: 'direct' | 'sandbox';
}

type Outcome = 'dispatched' | 'stale' | 'duplicate' | 'failed';

/** What the event store must decide, delivery by delivery (same rules as TransitionClaims). */
class StoreModel {
  readonly done = new Set<string>();
  private readonly newest = new Map<string, number>();
  readonly dispatched = new Set<string>();
  readonly stale = new Set<string>();
  /** Handler runs per key (failed ones included). */
  readonly runs = new Map<string, number>();

  constructor(private readonly failures: Map<string, number>) {}

  process(item: Recorded): Outcome {
    if (this.done.has(item.key)) return 'duplicate';
    if (item.version < (this.newest.get(item.objectId) ?? -Infinity)) {
      this.done.add(item.key);
      this.stale.add(item.key);
      return 'stale';
    }
    const failures = this.failures.get(item.key) ?? 0;
    this.runs.set(item.key, (this.runs.get(item.key) ?? 0) + 1);
    if (failures > 0) {
      this.failures.set(item.key, failures - 1);
      return 'failed';
    }
    this.done.add(item.key);
    this.dispatched.add(item.key);
    this.newest.set(item.objectId, Math.max(this.newest.get(item.objectId) ?? -Infinity, item.version));
    return 'dispatched';
  }
}

interface Answer {
  status: number;
  outcome: string | undefined;
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

const SUITES = [
  ['memory', 'express'],
  ['memory', 'fastify'],
  ['redis', 'express'],
  ['redis', 'fastify'],
] as const;

for (const [storeKind, adapter] of SUITES) {
  const describeStore = storeKind === 'redis' ? describeWithRedis : describe;

  describeStore(`dispute and mandate webhooks under duplicates and reordering (${adapter}, ${storeKind} store)`, () => {
    const prefix = uniquePrefix(`disputes-${adapter}`);
    let sb: Sandbox;
    let api: PaymntClient;
    let app: INestApplication;
    let ledger: DisputeLedger;
    let agent: Agent;
    let redis: Redis | undefined;
    let url: string;

    beforeAll(async () => {
      // Delivery off: events are recorded (and redelivered by the events API on demand); the test sends the rest itself.
      sb = await createSandbox({ port: 0, webhooksEnabled: false, disputeDelayMs: 10 });
      api = new PaymntClient({ apiKey: sb.apiKey, baseUrl: sb.url, merchantId: sb.merchantId, maxRetries: 0 });
      agent = new Agent({ connections: 32 });
      let store: PaymntEventStore | undefined;
      if (storeKind === 'redis') {
        redis = new Redis(REDIS_PORT, REDIS_HOST, { maxRetriesPerRequest: 1 });
        store = new RedisEventStore(redis, { keyPrefix: prefix });
      }

      @Module({
        imports: [
          EventEmitterModule.forRoot({ wildcard: true }),
          PaymntModule.forRoot({
            apiKey: sb.apiKey,
            baseUrl: sb.url,
            maxRetries: 0,
            ...(store ? { store } : {}),
            webhook: { secret: sb.webhookSecret, path: WEBHOOK_PATH },
          }),
        ],
        providers: [DisputeLedger],
      })
      class DisputeAppModule {}

      const options = { rawBody: true, logger: ['error' as const], abortOnError: false };
      app =
        adapter === 'express'
          ? await NestFactory.create(DisputeAppModule, options)
          : await NestFactory.create(DisputeAppModule, new FastifyAdapter({ requestTimeout: 30_000, http: { headersTimeout: 30_000 }, onProtoPoisoning: 'remove', onConstructorPoisoning: 'remove' }), options);
      await app.listen(0, '127.0.0.1');
      url = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/${WEBHOOK_PATH}`;
      sb.setWebhookUrl(url);
      ledger = app.get(DisputeLedger);
    });

    afterAll(async () => {
      await app?.close();
      await agent?.close();
      await api?.close();
      await sb?.close();
      if (redis) {
        const keys = await redis.keys(`${prefix}*`);
        if (keys.length > 0) await redis.del(...keys);
        await redis.quit();
      }
    });

    async function capturedPayment(amount: number, cardNumber = CARD.card_number): Promise<string> {
      const p = await api.payments.create({
        amount,
        currency: 'USD',
        confirm: true,
        capture_method: 'automatic',
        authentication_type: 'no_three_ds',
        payment_method: 'card',
        payment_method_data: { card: { ...CARD, card_number: cardNumber } },
      });
      expect(p.status).toBe('succeeded');
      return p.payment_id;
    }

    /** Opens and walks every dispute, sets up and revokes mandates; returns the objects' final statuses. */
    async function walk(): Promise<Map<string, string>> {
      const finals = new Map<string, string>();
      const disputes: Array<{ id: string; steps: (typeof WALKS)[number] }> = [];
      for (let round = 0; round < 2; round++) {
        for (const [w, steps] of WALKS.entries()) {
          let disputeId: string;
          if (round === 0 && w === 0) {
            // The dispute test card: the sandbox opens the dispute by itself after the capture.
            const paymentId = await capturedPayment(4_200, DISPUTE_CARD);
            const deadline = Date.now() + 5_000;
            while (!sb.state.listDisputes().some((d) => d.payment_id === paymentId)) {
              if (Date.now() > deadline) throw new Error(`no dispute opened for ${paymentId}`);
              await sleep(10);
            }
            disputeId = sb.state.listDisputes().find((d) => d.payment_id === paymentId)!.dispute_id;
          } else {
            disputeId = sb.openDispute(await capturedPayment(1_000 + 10 * w + round), { reason: 'product_not_received' }).dispute_id;
          }
          disputes.push({ id: disputeId, steps });
        }
      }
      for (const { id, steps } of disputes) {
        for (const step of steps) {
          if (step === 'challenged') await api.disputes.submitEvidence({ dispute_id: id, product_description: 'A mug, shipped' });
          else if (step === 'accepted') await api.disputes.accept(id);
          else await sb.settleDispute(id, step);
        }
        finals.set(id, sb.state.getDispute(id)!.dispute_status);
      }

      const setup = (customerId: string, mandateType: MandateType) =>
        api.payments.create({
          amount: 0,
          currency: 'USD',
          confirm: true,
          customer_id: customerId,
          authentication_type: 'no_three_ds',
          payment_method: 'card',
          payment_method_data: { card: CARD },
          setup_future_usage: 'off_session',
          customer_acceptance: ACCEPTANCE,
          mandate_data: { customer_acceptance: ACCEPTANCE, mandate_type: mandateType },
        });
      for (let i = 0; i < MANDATES_REVOKED; i++) {
        const { mandate_id } = await setup(`cus_dw_${adapter}_${storeKind}_${i}`, { multi_use: null });
        await api.mandates.revoke(mandate_id as string);
        finals.set(mandate_id as string, 'revoked');
      }
      // A single-use mandate, used up by its one charge.
      const customerId = `cus_dw_${adapter}_${storeKind}_single`;
      const single = await setup(customerId, { single_use: { amount: 900, currency: 'USD' } });
      await api.payments.create({ amount: 900, currency: 'USD', confirm: true, off_session: true, customer_id: customerId, recurring_details: { type: 'mandate_id', data: single.mandate_id as string } });
      finals.set(single.mandate_id as string, 'revoked');
      // One mandate left active.
      const active = await setup(`cus_dw_${adapter}_${storeKind}_active`, { multi_use: null });
      finals.set(active.mandate_id as string, 'active');
      for (const [id, status] of finals) if (id.startsWith('man_')) expect((await api.mandates.retrieve(id)).status).toBe(status);
      return finals;
    }

    function recorded(): Recorded[] {
      return sb.state
        .listEvents()
        .filter((e) => e.eventClass === 'disputes' || e.eventClass === 'mandates')
        .map((event) => {
          const body = JSON.parse(event.body) as { timestamp: string; content: { object: { connector_updated_at?: string } } };
          const version = Date.parse(event.eventClass === 'disputes' ? (body.content.object.connector_updated_at as string) : body.timestamp);
          return { event, key: transitionKey(event.objectId, event.eventType), objectId: event.objectId, version };
        });
    }

    async function post(item: Recorded): Promise<Answer> {
      const headers = Object.fromEntries(item.event.headers.map(([k, v]) => [k.toLowerCase(), v]));
      const res = await request(url, { method: 'POST', headers, body: item.event.body, dispatcher: agent });
      const text = await res.body.text();
      return { status: res.statusCode, outcome: res.statusCode === 200 ? (JSON.parse(text) as { outcome?: string }).outcome : undefined };
    }

    /** The sandbox delivers the event again (events API manual retry): same bytes, same signature. */
    async function redeliverBySandbox(item: Recorded): Promise<Answer> {
      const attempt = await api.events.retry(item.event.eventId);
      expect(attempt.delivery_attempt).toBe('manual_retry');
      const status = attempt.response.status_code ?? 0;
      return { status, outcome: status === 200 ? (JSON.parse(attempt.response.body ?? '{}') as { outcome?: string }).outcome : undefined };
    }

    it('runs each transition once, never a stale one, and the ledger never goes back to an older status', async () => {
      const finals = await walk();
      const items = recorded();
      const random = seededRandom(SEED + (adapter === 'fastify' ? 1 : 0) + (storeKind === 'redis' ? 2 : 0));

      // Handlers failing once: one transition in eight (sent as single copies, so the model knows which copy fails).
      const failing = new Set(items.filter((_, i) => i % 8 === 3).map((item) => item.key));
      const plannedFailures = new Map([...failing].map((key) => [key, 1]));
      for (const [key, n] of plannedFailures) ledger.failures.set(key, n);

      const batches: Batch[] = [];
      for (const item of items) {
        const copies = 1 + Math.floor(random() * 3);
        if (failing.has(item.key)) {
          for (let c = 0; c < Math.max(2, copies); c++) batches.push({ item, copies: 1, via: random() < 0.35 ? 'sandbox' : 'direct' });
        } else if (copies >= 2 && random() < 0.5) {
          // A burst now, a late duplicate later.
          batches.push({ item, copies: copies - 1, via: 'direct' }, { item, copies: 1, via: random() < 0.5 ? 'sandbox' : 'direct' });
        } else {
          batches.push({ item, copies, via: copies === 1 && random() < 0.35 ? 'sandbox' : 'direct' });
        }
      }
      shuffle(batches, random);

      const model = new StoreModel(new Map(plannedFailures));
      const answers: Array<Answer & { key: string; via: Batch['via']; expected: Outcome }> = [];
      const mismatches: string[] = [];
      let redeliveredAfter409 = 0;
      for (const batch of batches) {
        const expected = model.process(batch.item);
        const got = batch.via === 'sandbox' ? [await redeliverBySandbox(batch.item)] : await Promise.all(Array.from({ length: batch.copies }, () => post(batch.item)));
        for (const answer of got) answers.push({ ...answer, key: batch.item.key, via: batch.via, expected });
        // One copy did what the model says; the others, at the same moment, are duplicates or 409 (in progress).
        const decided = got.filter((a) => a.status === 200 && a.outcome !== 'duplicate');
        const want = expected === 'duplicate' ? [] : expected === 'failed' ? [] : [expected];
        if (decided.map((a) => a.outcome).join() !== want.join()) mismatches.push(`${batch.item.key}: expected ${expected}, answers ${got.map((a) => `${a.status} ${a.outcome ?? ''}`).join(', ')}`);
        if (expected === 'failed' && got.map((a) => a.status).join() !== '500') mismatches.push(`${batch.item.key}: expected a 500, got ${got.map((a) => a.status).join()}`);
        const others = got.filter((a) => !decided.includes(a) && !(expected === 'failed' && a.status === 500));
        if (others.some((a) => !(a.status === 409 || (a.status === 200 && a.outcome === 'duplicate')))) {
          mismatches.push(`${batch.item.key}: unexpected ${others.map((a) => `${a.status} ${a.outcome ?? ''}`).join(', ')}`);
        }
        // A copy answered 409 is delivered again (as the API would): now a duplicate.
        for (const _ of got.filter((a) => a.status === 409)) {
          const again = await post(batch.item);
          redeliveredAfter409++;
          if (again.status !== 200 || again.outcome !== 'duplicate') mismatches.push(`${batch.item.key}: redelivery after 409 got ${again.status} ${again.outcome ?? ''}`);
        }
      }
      // Anything still unsettled (a failed handler whose later copies all came before it): delivered until acknowledged.
      for (const item of items.filter((i) => !model.done.has(i.key))) {
        const expected = model.process(item);
        const answer = await post(item);
        answers.push({ ...answer, key: item.key, via: 'direct', expected });
        if (answer.status !== 200 || answer.outcome !== expected) mismatches.push(`${item.key}: final delivery expected ${expected}, got ${answer.status} ${answer.outcome ?? ''}`);
      }

      const figures = {
        seed: SEED,
        adapter,
        store: storeKind,
        disputes: [...finals.keys()].filter((id) => id.startsWith('dp_')).length,
        mandates: [...finals.keys()].filter((id) => id.startsWith('man_')).length,
        events: items.length,
        eventsByType: countBy(items.map((i) => i.event.eventType)),
        deliveries: answers.length,
        bySandboxRetry: answers.filter((a) => a.via === 'sandbox').length,
        redeliveredAfter409,
        answers: countBy(answers.map((a) => (a.status === 200 ? String(a.outcome) : `http ${a.status}`))),
        handlerRuns: [...ledger.calls.values()].reduce((n, c) => n + c, 0),
        failedHandlerRuns: plannedFailures.size,
        staleNotDispatched: model.stale.size,
      };
      console.log(`dispute webhooks figures ${JSON.stringify(figures)}`);

      expect(mismatches).toEqual([]);
      expect(ledger.problems).toEqual([]);
      // Each transition: one handler run if the model dispatched it, none if it was stale.
      const wrong = items.filter((i) => (ledger.calls.get(i.key) ?? 0) !== (model.dispatched.has(i.key) ? 1 : 0)).map((i) => `${i.key}: ${ledger.calls.get(i.key) ?? 0}`);
      expect(wrong).toEqual([]);
      // Handler runs, failed ones included (the wildcard handler runs beside the failing one): a failed run was run again by a redelivery (unless it had become stale).
      const runs = Object.fromEntries(items.map((i) => [i.key, model.runs.get(i.key) ?? 0]));
      expect(Object.fromEntries(items.map((i) => [i.key, ledger.attempts.get(i.key) ?? 0]))).toEqual(runs);
      expect(Object.fromEntries(items.map((i) => [i.key, ledger.wildcardCalls.get(i.key) ?? 0]))).toEqual(runs);
      expect([...failing].filter((key) => model.runs.get(key) === 2).length).toBeGreaterThan(0);
      // The ledger never went back: versions applied strictly increase per object, and it ends where the sandbox is.
      const backwards = [...ledger.applied].filter(([, versions]) => versions.some((v, i) => i > 0 && !(v > (versions[i - 1] as number))));
      expect(backwards).toEqual([]);
      expect(Object.fromEntries([...finals.keys()].map((id) => [id, ledger.status.get(id)]))).toEqual(Object.fromEntries(finals));
      // The disorder really happened.
      expect(model.stale.size).toBeGreaterThan(0);
      expect(answers.filter((a) => a.outcome === 'duplicate').length).toBeGreaterThan(0);
      expect(answers.filter((a) => a.via === 'sandbox').length).toBeGreaterThan(0);
      expect(new Set(items.map((i) => i.event.eventType))).toEqual(
        new Set(['dispute_opened', 'dispute_challenged', 'dispute_won', 'dispute_lost', 'dispute_cancelled', 'dispute_accepted', 'dispute_expired', 'mandate_active', 'mandate_revoked']),
      );
    });
  });
}
