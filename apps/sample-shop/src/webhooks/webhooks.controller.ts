import { Controller, HttpCode, HttpStatus, Logger, Post, UseGuards } from '@nestjs/common';
import { isPaymentEvent, isRefundEvent, type WebhookEvent } from '@paymnt/client';
import { VerifiedWebhookEvent, PaymntWebhookGuard, WebhookPublishOutcome, type PaymntPublishOutcome } from '@paymnt/nestjs';
import { Access } from '../auth/access.decorator';

/**
 * Paymnt's webhooks. `PaymntWebhookGuard` does the work before this method runs: it verifies
 * the signature on the raw body (401 if wrong), parses the event (400 if not one), and publishes
 * it to the `@OnPaymntEvent` handlers once per transition: a redelivered event is answered 200
 * without running them again, and a handler that throws makes it answer 500 so Paymnt retries
 * (503 for a `PaymntRetryLaterError`: an event the shop cannot apply yet).
 *
 * Public for `ShopAuthGuard`: Paymnt sends no bearer token; the signature is what authenticates it.
 */
@Controller('webhooks')
@Access('public')
export class WebhooksController {
  private readonly logger = new Logger('Webhooks');

  @Post('payments')
  @HttpCode(HttpStatus.OK)
  @UseGuards(PaymntWebhookGuard)
  receive(@VerifiedWebhookEvent() event: WebhookEvent, @WebhookPublishOutcome() outcome: PaymntPublishOutcome): { received: true; outcome: PaymntPublishOutcome } {
    const object = isPaymentEvent(event) ? event.content.object.payment_id : isRefundEvent(event) ? event.content.object.refund_id : 'other';
    this.logger.log(`${event.event_type} ${event.event_id} (${object}) verified → ${outcome}`);
    return { received: true, outcome };
  }
}
