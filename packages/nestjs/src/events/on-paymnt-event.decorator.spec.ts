import { OnEvent } from '@nestjs/event-emitter';
import type { PaymentSucceededEvent } from './payment.event';
import type { RefundSucceededEvent } from './refund.event';
import { OnPaymntEvent } from './on-paymnt-event.decorator';
import { PaymntEvents } from './paymnt-events';
import type { AnyPaymentEvent, PaymntEvent } from './paymnt-event.types';

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
      all(_event: PaymntEvent): void {}
    }
    const metadata = (method: keyof Handlers) => Reflect.getMetadata(EVENT_LISTENER_METADATA, Handlers.prototype[method]);
    expect(metadata('typed')).toEqual(metadata('plain'));
    expect(metadata('several')).toEqual([
      { event: ['paymnt.payment_succeeded', 'paymnt.payment_failed'], options: { suppressErrors: true, async: true } },
    ]);
    expect(metadata('all')).toEqual([{ event: 'paymnt.*', options: { suppressErrors: false } }]);
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
