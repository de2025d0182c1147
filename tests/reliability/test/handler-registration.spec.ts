/**
 * A handler the app declared must run: an event acknowledged as `dispatched` while no handler ran
 * is an event lost without a trace.
 */
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { OnPaymntEvent, type AnyPaymentEvent, PaymntEventPublisher, PaymntEvents, PaymntModule } from '@paymnt/nestjs';
import { buildWebhookEvent } from '@paymnt/nestjs/testing';
import type { Payment } from '@paymnt/client';

@Injectable()
class SeveralEventsHandler {
  readonly seen: string[] = [];

  // The decorator's documented array form: one handler for several events.
  @OnPaymntEvent([PaymntEvents.PAYMENT_SUCCEEDED, PaymntEvents.PAYMENT_FAILED])
  onEither(event: AnyPaymentEvent): void {
    this.seen.push(event.type);
  }
}

function payment(id: string, status: 'succeeded' | 'failed'): Payment {
  const now = new Date().toISOString();
  return { payment_id: id, merchant_id: 'merchant_reliability', status, amount: 100, currency: 'USD', updated: now, modified_at: now } as unknown as Payment;
}

describe.each([true, false])('@OnPaymntEvent([a, b]) with EventEmitterModule wildcard: %s', (wildcard) => {
  it('runs the handler for each listed event (dispatched means a handler ran)', async () => {
    @Module({
      imports: [EventEmitterModule.forRoot({ wildcard }), PaymntModule.forRoot({ apiKey: 'snd_registration_test', baseUrl: 'http://127.0.0.1:9', webhook: { secret: 'whsec_registration' } })],
      providers: [SeveralEventsHandler],
    })
    class RegistrationModule {}
    const app = await NestFactory.create(RegistrationModule, { logger: false, abortOnError: false });
    try {
      await app.init();
      const publisher = app.get(PaymntEventPublisher);
      const outcomes = [
        await publisher.publishWebhookEvent(buildWebhookEvent('payment_succeeded', payment('pay_registration_ok', 'succeeded'))),
        await publisher.publishWebhookEvent(buildWebhookEvent('payment_failed', payment('pay_registration_ko', 'failed'))),
      ];
      expect(outcomes).toEqual(['dispatched', 'dispatched']);
      expect(app.get(SeveralEventsHandler).seen).toEqual(['payment_succeeded', 'payment_failed']);
    } finally {
      await app.close();
    }
  });
});
