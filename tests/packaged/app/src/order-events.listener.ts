import { Injectable } from '@nestjs/common';
import { OnPaymntEvent, type PaymentSucceededEvent, PaymntEvents } from '@paymnt/nestjs';

@Injectable()
export class OrderEventsListener {
  readonly succeeded: Array<{ paymentId: string; source: string }> = [];

  @OnPaymntEvent(PaymntEvents.PAYMENT_SUCCEEDED)
  paid(event: PaymentSucceededEvent): void {
    this.succeeded.push({ paymentId: event.payment.payment_id, source: event.source });
  }
}
