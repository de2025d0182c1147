import { Injectable } from '@nestjs/common';
import type { WebhookEvent } from '@paymnt/client';
import { PaymntEventPublisher } from '../events/paymnt-event.publisher';
import type { PaymntPublishOutcome } from '../events/paymnt-publish-outcome';
import type { ResolvedPaymntOptions } from '../options/paymnt-module-options.interface';
import { InjectPaymntOptions } from '../paymnt.decorators';
import { PaymntWebhookStoreException } from '../webhook/exceptions/paymnt-webhook-store.exception';
import { PaymntWebhookProcessor } from '../webhook/paymnt-webhook.processor';
import { PaymntIntakeService } from './paymnt-intake.service';

/**
 * The webhook processor of durable intake mode (provided in place of `PaymntWebhookProcessor`
 * when `webhook.intake` is set): it verifies exactly like the default one, then enqueues the event
 * instead of running the handlers, and answers `'queued'`. Redis being unreachable is a 503, so
 * the API delivers the event again.
 */
@Injectable()
export class PaymntIntakeWebhookProcessor extends PaymntWebhookProcessor {
  constructor(
    @InjectPaymntOptions() options: ResolvedPaymntOptions,
    publisher: PaymntEventPublisher,
    protected readonly intake: PaymntIntakeService,
  ) {
    super(options, publisher);
  }

  override async publish(event: WebhookEvent): Promise<PaymntPublishOutcome> {
    try {
      await this.intake.enqueue(event);
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      this.logger.error(`Could not enqueue webhook ${event.event_id}: ${err.message}`, err.stack);
      throw new PaymntWebhookStoreException(event.event_id, error);
    }
    return 'queued';
  }
}
