import { Injectable } from '@nestjs/common';
import { EventEmitter2, EventEmitterModule, OnEvent } from '@nestjs/event-emitter';
import { Test } from '@nestjs/testing';
import type { PaymentSucceededEvent } from './payment.event';
import type { RefundSucceededEvent } from './refund.event';
import { OnPaymntEvent } from './on-paymnt-event.decorator';
import { PaymntEvents } from './paymnt-events';
import type { AnyPaymentEvent, AnyPaymntEvent } from './paymnt-event.types';

// `@nestjs/event-emitter` keeps listener metadata on the method under this key.
const EVENT_LISTENER_METADATA = 'EVENT_LISTENER_METADATA';

describe('@OnPaymntEvent', () => {
  it('writes the same metadata as @OnEvent, with errors not suppressed by default', () => {
    class Handlers {
      @OnPaymntEvent(PaymntEvents.PAYMENT_SUCCEEDED)
      typed(_event: PaymentSucceededEvent): void {}

      @OnEvent(PaymntEvents.PAYMENT_SUCCEEDED, { suppressErrors: false })
      plain(_event: PaymentSucceededEvent): void {}

      @OnPaymntEvent([PaymntEvents.PAYMENT_SUCCEEDED, PaymntEvents.PAYMENT_FAILED], { suppressErrors: true, async: true })
      several(_event: AnyPaymentEvent): void {}

      @OnPaymntEvent('paymnt.*')
      all(_event: AnyPaymntEvent): void {}
    }
    const metadata = (method: keyof Handlers) => Reflect.getMetadata(EVENT_LISTENER_METADATA, Handlers.prototype[method]);
    expect(metadata('typed')).toEqual(metadata('plain'));
    // One entry per name: EventEmitter2 would read an array as ONE namespaced event name.
    expect(metadata('several')).toEqual([
      { event: 'paymnt.payment_succeeded', options: { suppressErrors: true, async: true } },
      { event: 'paymnt.payment_failed', options: { suppressErrors: true, async: true } },
    ]);
    expect(metadata('all')).toEqual([{ event: 'paymnt.*', options: { suppressErrors: false } }]);
  });

  it('lists each name once, keeps decorators stacked on the same method, and refuses an empty list', () => {
    class Handlers {
      @OnPaymntEvent([PaymntEvents.PAYMENT_SUCCEEDED, PaymntEvents.PAYMENT_SUCCEEDED, PaymntEvents.PAYMENT_FAILED])
      @OnPaymntEvent(PaymntEvents.PAYMENT_EXPIRED)
      several(_event: AnyPaymentEvent): void {}
    }
    const events = (Reflect.getMetadata(EVENT_LISTENER_METADATA, Handlers.prototype.several) as Array<{ event: string }>).map((m) => m.event);
    expect(events.sort()).toEqual(['paymnt.payment_expired', 'paymnt.payment_failed', 'paymnt.payment_succeeded']);
    expect(() => OnPaymntEvent([])).toThrow(TypeError);
  });

  it.each([true, false])('runs an array-subscribed handler for each listed event (EventEmitter2 wildcard: %s)', async (wildcard) => {
    @Injectable()
    class Handlers {
      readonly seen: string[] = [];

      @OnPaymntEvent([PaymntEvents.PAYMENT_SUCCEEDED, PaymntEvents.PAYMENT_FAILED])
      either(event: AnyPaymentEvent): void {
        this.seen.push(event.type);
      }
    }
    const moduleRef = await Test.createTestingModule({ imports: [EventEmitterModule.forRoot({ wildcard })], providers: [Handlers] }).compile();
    const app = await moduleRef.createNestApplication({ logger: false }).init();
    try {
      const emitter = app.get(EventEmitter2);
      await emitter.emitAsync(PaymntEvents.PAYMENT_SUCCEEDED, { type: 'payment_succeeded' });
      await emitter.emitAsync(PaymntEvents.PAYMENT_FAILED, { type: 'payment_failed' });
      await emitter.emitAsync(PaymntEvents.PAYMENT_EXPIRED, { type: 'payment_expired' });
      expect(app.get(Handlers).seen).toEqual(['payment_succeeded', 'payment_failed']);
    } finally {
      await app.close();
    }
  });

  it('refuses, at compile time, a handler whose parameter does not fit the event', () => {
    class Handlers {
      // @ts-expect-error a refund handler on a payment event
      @OnPaymntEvent(PaymntEvents.PAYMENT_SUCCEEDED)
      wrong(_event: RefundSucceededEvent): void {}

      // @ts-expect-error one payment event type is narrower than every payment event
      @OnPaymntEvent('paymnt.*')
      tooNarrow(_event: PaymentSucceededEvent): void {}
    }
    expect(Handlers).toBeDefined();
  });
});
