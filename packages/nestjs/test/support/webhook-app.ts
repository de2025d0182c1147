import { Controller, Module, Post, type Type, UseGuards } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import type { WebhookEvent } from '@paymnt/client';
import {
  PaymntModule,
  type PaymntModuleOptions,
  type PaymntPublishOutcome,
  VerifiedWebhookEvent,
  PaymntWebhookGuard,
  WebhookPublishOutcome,
} from '@paymnt/nestjs';
import { EventRecorder, PaymntHandlers } from './recorder';

/** A user's own webhook route, guarded by PaymntWebhookGuard. */
@Controller()
export class OwnWebhookController {
  readonly received: Array<{ eventId: string; outcome: PaymntPublishOutcome }> = [];

  @Post('webhooks/own')
  @UseGuards(PaymntWebhookGuard)
  handle(@VerifiedWebhookEvent() event: WebhookEvent, @WebhookPublishOutcome() outcome: PaymntPublishOutcome): { ok: true } {
    this.received.push({ eventId: event.event_id, outcome });
    return { ok: true };
  }
}

/** An app with the module (built-in route when `webhookPath` is given), the own route, and recording handlers. */
export function webhookAppModule(options: PaymntModuleOptions, webhookPath?: string): Type<unknown> {
  @Module({
    imports: [EventEmitterModule.forRoot({ wildcard: true }), PaymntModule.forRoot({ ...options, webhookPath })],
    controllers: [OwnWebhookController],
    providers: [EventRecorder, PaymntHandlers],
  })
  class WebhookAppModule {}
  return WebhookAppModule;
}
