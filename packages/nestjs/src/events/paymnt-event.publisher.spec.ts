import { type INestApplication, Injectable, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventEmitter2, EventEmitterModule, OnEvent } from '@nestjs/event-emitter';
import type { Payment, WebhookEvent } from '@paymnt/client';
import { PaymntModule } from '../paymnt.module';
import { MemoryEventStore } from '../stores/memory-event.store';
import type { PaymntClaim, PaymntEventStore } from '../stores/paymnt-event.store';
import { buildWebhookEvent } from '../testing/build-webhook-event';
import { claimStatus, recordedVersion } from '../../test/support/event-store';
import { OnPaymntEvent } from './on-paymnt-event.decorator';
import { PaymntEventPublisher } from './paymnt-event.publisher';
import type { AnyPaymntEvent } from './paymnt-event.types';
import { PaymntEvents } from './paymnt-events';

let sequence = 0;

function payment(status: Payment['status'], updated: string): Payment {
  sequence++;
  return { payment_id: `pay_publisher_${sequence}`, merchant_id: 'merchant_test', status, amount: 100, currency: 'USD', updated, modified_at: updated } as unknown as Payment;
}

/** An app with the module, the given handler classes and store, and nothing else (no HTTP). */
async function startApp(options: { handlers?: Type<unknown>[]; store?: PaymntEventStore; wildcard?: boolean }): Promise<INestApplication> {
  @Module({
    imports: [
      EventEmitterModule.forRoot({ wildcard: options.wildcard ?? true }),
      PaymntModule.forRoot({ apiKey: 'snd_publisher_test', baseUrl: 'http://127.0.0.1:9', webhook: { secret: 'whsec_publisher', store: options.store } }),
    ],
    providers: options.handlers ?? [],
  })
  class PublisherTestModule {}
  const app = await NestFactory.create(PublisherTestModule, { logger: false, abortOnError: false });
  return app.init();
}

@Injectable()
class AllEvents {
  readonly seen: string[] = [];

  @OnPaymntEvent('paymnt.*')
  any(event: AnyPaymntEvent): void {
    this.seen.push(event.type);
  }
}

@Injectable()
class SucceededOnly {
  readonly seen: string[] = [];

  @OnPaymntEvent(PaymntEvents.PAYMENT_SUCCEEDED)
  succeeded(event: AnyPaymntEvent): void {
    this.seen.push(event.type);
  }
}

describe('PaymntEventPublisher.publishWebhookEvent', () => {
  describe('event types it does not know', () => {
    let app: INestApplication;
    let store: MemoryEventStore;

    beforeAll(async () => {
      store = new MemoryEventStore();
      app = await startApp({ handlers: [AllEvents], store });
    });

    afterAll(() => app.close());

    it('ignores an unknown event type carrying a payment: nothing emitted, claimed or recorded', async () => {
      const newer = payment('succeeded', '2026-06-01T12:00:02.000Z');
      const unknown = { ...buildWebhookEvent('payment_succeeded', newer), event_type: 'payment_reauthorized' } as unknown as WebhookEvent;
      const emitter = app.get(EventEmitter2);
      const emitted = jest.spyOn(emitter, 'emitAsync');
      try {
        expect(await app.get(PaymntEventPublisher).publishWebhookEvent(unknown)).toBe('ignored');
        expect(emitted).not.toHaveBeenCalled();
      } finally {
        emitted.mockRestore();
      }
      expect(app.get(AllEvents).seen).toEqual([]);
      expect(await recordedVersion(store, `payment:${newer.payment_id}`)).toBeUndefined();
      expect(await claimStatus(store, `${newer.payment_id}:payment_reauthorized`)).toBe('claimed');

      // The genuine, older event of the same payment is not made stale by it.
      const older = { ...newer, status: 'requires_capture', updated: '2026-06-01T12:00:01.000Z', modified_at: '2026-06-01T12:00:01.000Z' } as Payment;
      expect(await app.get(PaymntEventPublisher).publishWebhookEvent(buildWebhookEvent('payment_authorized', older))).toBe('dispatched');
      expect(app.get(AllEvents).seen).toEqual(['payment_authorized']);
    });

    it('ignores a known type whose content is not the object its type announces', async () => {
      const seen = app.get(AllEvents).seen.length;
      const event = buildWebhookEvent('payment_succeeded', payment('succeeded', new Date().toISOString()));
      const asRefund = { ...event, event_type: 'refund_succeeded' } as unknown as WebhookEvent;
      const noContentType = { ...event, content: { object: event.content.object } } as unknown as WebhookEvent;
      expect(await app.get(PaymntEventPublisher).publishWebhookEvent(asRefund)).toBe('ignored');
      expect(await app.get(PaymntEventPublisher).publishWebhookEvent(noContentType)).toBe('ignored');
      expect(app.get(AllEvents).seen).toHaveLength(seen);
    });
  });

  describe('emitting only when someone listens', () => {
    it('skips the emit of an event nobody listens to, and still records it once', async () => {
      const store = new MemoryEventStore();
      const app = await startApp({ handlers: [SucceededOnly], store });
      try {
        const emitter = app.get(EventEmitter2);
        const emitted = jest.spyOn(emitter, 'emitAsync');
        const publisher = app.get(PaymntEventPublisher);
        const failed = payment('failed', new Date().toISOString());
        expect(await publisher.publishWebhookEvent(buildWebhookEvent('payment_failed', failed))).toBe('dispatched');
        expect(emitted).not.toHaveBeenCalled();
        expect(await publisher.publishWebhookEvent(buildWebhookEvent('payment_failed', failed))).toBe('duplicate');
        expect(await recordedVersion(store, `payment:${failed.payment_id}`)).toBe(Date.parse(failed.updated as string));

        expect(await publisher.publishWebhookEvent(buildWebhookEvent('payment_succeeded', payment('succeeded', new Date().toISOString())))).toBe('dispatched');
        expect(emitted).toHaveBeenCalledTimes(1);
        expect(app.get(SucceededOnly).seen).toEqual(['payment_succeeded']);
      } finally {
        await app.close();
      }
    });

    it.each([true, false])('emits when only an onAny() listener, or only a wildcard listener, is there (wildcard: %s)', async (wildcard) => {
      const app = await startApp({ wildcard });
      try {
        const emitter = app.get(EventEmitter2);
        const publisher = app.get(PaymntEventPublisher);
        const any: string[] = [];
        const onAny = (name: string | string[]): void => {
          any.push(String(name));
        };
        emitter.onAny(onAny);
        expect(await publisher.publishWebhookEvent(buildWebhookEvent('payment_failed', payment('failed', new Date().toISOString())))).toBe('dispatched');
        expect(any).toEqual(['paymnt.payment_failed']);
        emitter.offAny(onAny);

        if (wildcard) {
          const star: string[] = [];
          emitter.on('paymnt.*', (event: AnyPaymntEvent) => star.push(event.type));
          emitter.on('**', (event: AnyPaymntEvent) => star.push(`** ${event.type}`));
          expect(await publisher.publishWebhookEvent(buildWebhookEvent('payment_expired', payment('expired', new Date().toISOString())))).toBe('dispatched');
          expect(star.sort()).toEqual(['** payment_expired', 'payment_expired']);
        }
      } finally {
        await app.close();
      }
    });
  });

  describe('a custom store (the three methods of PaymntEventStore)', () => {
    /** A store written by an app, wrapping another one. */
    class MinimalStore implements PaymntEventStore {
      readonly calls: string[] = [];
      private readonly inner = new MemoryEventStore();

      async claim(key: string, leaseMs: number, objectKey?: string): Promise<PaymntClaim> {
        this.calls.push('claim');
        return this.inner.claim(key, leaseMs, objectKey);
      }

      async complete(key: string, ttlMs: number, objectKey?: string, version?: number): Promise<void> {
        this.calls.push('complete');
        return this.inner.complete(key, ttlMs, objectKey, version);
      }

      async release(key: string): Promise<void> {
        this.calls.push('release');
        return this.inner.release(key);
      }
    }

    @Injectable()
    class Flaky {
      failures = 1;
      readonly seen: string[] = [];

      @OnEvent('paymnt.*', { suppressErrors: false })
      any(event: AnyPaymntEvent): void {
        if (event.type === 'payment_captured' && this.failures-- > 0) throw new Error('planned failure');
        this.seen.push(event.type);
      }
    }

    it('dispatches, de-duplicates, orders and releases as before', async () => {
      const store = new MinimalStore();
      const app = await startApp({ handlers: [Flaky], store });
      try {
        const publisher = app.get(PaymntEventPublisher);
        const newer = payment('succeeded', '2026-06-01T12:00:02.000Z');
        expect(await publisher.publishWebhookEvent(buildWebhookEvent('payment_succeeded', newer))).toBe('dispatched');
        expect(store.calls).toEqual(['claim', 'complete']);
        expect(await publisher.publishWebhookEvent(buildWebhookEvent('payment_succeeded', newer))).toBe('duplicate');

        const older = { ...newer, status: 'requires_capture', updated: '2026-06-01T12:00:01.000Z' } as Payment;
        expect(await publisher.publishWebhookEvent(buildWebhookEvent('payment_authorized', older))).toBe('stale');

        const captured = { ...newer, status: 'partially_captured', updated: '2026-06-01T12:00:03.000Z' } as Payment;
        store.calls.length = 0;
        await expect(publisher.publishWebhookEvent(buildWebhookEvent('payment_captured', captured))).rejects.toThrow(/planned failure/);
        expect(store.calls).toEqual(['claim', 'release']);
        expect(await publisher.publishWebhookEvent(buildWebhookEvent('payment_captured', captured))).toBe('dispatched');
        expect(app.get(Flaky).seen).toEqual(['payment_succeeded', 'payment_captured']);
      } finally {
        await app.close();
      }
    });
  });

  it('with MemoryEventStore, a failing handler releases the claim (so a redelivery runs it) and records no version', async () => {
    @Injectable()
    class FailsOnce {
      failures = 1;

      @OnPaymntEvent(PaymntEvents.PAYMENT_SUCCEEDED)
      succeeded(): void {
        if (this.failures-- > 0) throw new Error('planned failure');
      }
    }
    const store = new MemoryEventStore();
    const app = await startApp({ handlers: [FailsOnce], store });
    try {
      const publisher = app.get(PaymntEventPublisher);
      const paid = payment('succeeded', new Date().toISOString());
      await expect(publisher.publishWebhookEvent(buildWebhookEvent('payment_succeeded', paid))).rejects.toThrow(/planned failure/);
      expect(await recordedVersion(store, `payment:${paid.payment_id}`)).toBeUndefined();
      expect(await publisher.publishWebhookEvent(buildWebhookEvent('payment_succeeded', paid))).toBe('dispatched');
      expect(await publisher.publishWebhookEvent(buildWebhookEvent('payment_succeeded', paid))).toBe('duplicate');
    } finally {
      await app.close();
    }
  });

  describe('a store that fails after the handlers succeeded (Redis died in between)', () => {
    /** A store whose next `failures` calls of the given methods throw, as Redis does while it is down. */
    class OutageStore implements PaymntEventStore {
      readonly calls: string[] = [];
      readonly failing = new Map<string, number>();
      readonly inner = new MemoryEventStore();

      private call(method: string): void {
        this.calls.push(method);
        const left = this.failing.get(method) ?? 0;
        if (left > 0) {
          this.failing.set(method, left - 1);
          throw new Error(`${method}: connect ECONNREFUSED`);
        }
      }

      async claim(key: string, leaseMs: number, objectKey?: string): Promise<PaymntClaim> {
        this.call('claim');
        return this.inner.claim(key, leaseMs, objectKey);
      }

      /** Counted as `complete`, or `complete+version` when it records a version too (the call a dead Redis refuses here). */
      async complete(key: string, ttlMs: number, objectKey?: string, version?: number): Promise<void> {
        this.call(version === undefined ? 'complete' : 'complete+version');
        return this.inner.complete(key, ttlMs, objectKey, version);
      }

      async release(key: string): Promise<void> {
        this.call('release');
        return this.inner.release(key);
      }
    }

    @Injectable()
    class Counting {
      readonly runs = new Map<string, number>();

      @OnPaymntEvent('paymnt.*')
      any(event: AnyPaymntEvent): void {
        const id = 'payment' in event ? event.payment.payment_id : event.eventId;
        this.runs.set(id, (this.runs.get(id) ?? 0) + 1);
      }
    }

    it('keeps the claim, answers duplicate in this process, and records the completion once the store is back', async () => {
      const store = new OutageStore();
      const app = await startApp({ handlers: [Counting], store });
      try {
        const publisher = app.get(PaymntEventPublisher);
        const paid = payment('succeeded', new Date().toISOString());
        const key = `${paid.payment_id}:payment_succeeded`;
        store.failing.set('complete+version', 3);
        expect(await publisher.publishWebhookEvent(buildWebhookEvent('payment_succeeded', paid))).toBe('dispatched');
        expect(store.calls).not.toContain('release');
        // Redelivered while the store still fails: known here, the store is not even asked.
        const asked = store.calls.length;
        expect(await publisher.publishWebhookEvent(buildWebhookEvent('payment_succeeded', paid))).toBe('duplicate');
        expect(store.calls).toHaveLength(asked);
        // The lease is kept meanwhile: another instance sharing the store gets in_progress, not a claim.
        expect(await claimStatus(store.inner, key)).toBe('in_progress');
        // An older event of the same payment is stale here, though the store has no version for it yet.
        const earlier = new Date(Date.parse(paid.updated!) - 1000).toISOString();
        const older = { ...paid, status: 'requires_capture', updated: earlier, modified_at: earlier } as Payment;
        expect(await recordedVersion(store.inner, `payment:${paid.payment_id}`)).toBeUndefined();
        expect(await publisher.publishWebhookEvent(buildWebhookEvent('payment_authorized', older))).toBe('stale');

        // Retried in the background with backoff (200 ms, 400 ms, 800 ms) until the store takes it.
        const deadline = Date.now() + 5000;
        while ((await claimStatus(store.inner, key)) !== 'done' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
        expect(await claimStatus(store.inner, key)).toBe('done');
        expect(await recordedVersion(store.inner, `payment:${paid.payment_id}`)).toBe(Date.parse(paid.updated!));
        expect(await publisher.publishWebhookEvent(buildWebhookEvent('payment_succeeded', paid))).toBe('duplicate');
        expect(app.get(Counting).runs.get(paid.payment_id)).toBe(1);
      } finally {
        await app.close();
      }
    });

    it('a store failure before the handlers ran is thrown (503), and runs nothing', async () => {
      const store = new OutageStore();
      const app = await startApp({ handlers: [Counting], store });
      try {
        const publisher = app.get(PaymntEventPublisher);
        const paid = payment('succeeded', new Date().toISOString());
        // (A claim that fails after taking its lease, reading the version say, drops the lease itself: PaymntEventStore's contract.)
        store.failing.set('claim', 2);
        await expect(publisher.publishWebhookEvent(buildWebhookEvent('payment_succeeded', paid))).rejects.toThrow(/ECONNREFUSED/);
        await expect(publisher.publishWebhookEvent(buildWebhookEvent('payment_succeeded', paid))).rejects.toThrow(/ECONNREFUSED/);
        expect(store.calls).toEqual(['claim', 'claim']);
        expect(app.get(Counting).runs.get(paid.payment_id)).toBeUndefined();
        expect(await publisher.publishWebhookEvent(buildWebhookEvent('payment_succeeded', paid))).toBe('dispatched');
        expect(app.get(Counting).runs.get(paid.payment_id)).toBe(1);
      } finally {
        await app.close();
      }
    });
  });
});
