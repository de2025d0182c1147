import { Module } from '@nestjs/common';
import { WebhooksController } from './webhooks.controller';

/** `POST /webhooks/payments`, guarded by `PaymntWebhookGuard` (the global `PaymntModule` provides its dependencies). */
@Module({ controllers: [WebhooksController] })
export class WebhooksModule {}
