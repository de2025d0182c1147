import { Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import type { WebhookEvent } from '@paymnt/client';
import { PaymntWebhookEvent, PaymntWebhookGuard } from '@paymnt/nestjs';

/** The other way to receive webhooks: the app's own route behind the guard. */
@Controller('own-webhooks')
export class OwnWebhookController {
  @Post('payments')
  @HttpCode(200)
  @UseGuards(PaymntWebhookGuard)
  receive(@PaymntWebhookEvent() event: WebhookEvent): { received: string } {
    return { received: event.event_id };
  }
}
