import { Inject, type Type } from '@nestjs/common';
import type { WebhookEvent } from '@paymnt/client';
import type { PaymntPublishOutcome } from '../events/paymnt-publish-outcome';
import type { PaymntWebhookProcessor } from '../webhook/paymnt-webhook.processor';
import { PaymntIntakeWebhookProcessor } from './paymnt-intake-webhook.processor';
import { PaymntIntakeService } from './paymnt-intake.service';

/**
 * Durable intake over a custom processor (`webhook.processor` with `webhook.intake`): a subclass of
 * `processor` that keeps every verification step of it and publishes exactly as
 * `PaymntIntakeWebhookProcessor` does (enqueue, answer `'queued'`). Its constructor is the
 * processor's own (same dependencies); the intake service is injected as a property.
 */
export function createIntakeWebhookProcessor(processor: Type<PaymntWebhookProcessor>): Type<PaymntWebhookProcessor> {
  class IntakeWebhookProcessor extends processor {
    @Inject(PaymntIntakeService) protected readonly intake!: PaymntIntakeService;

    override publish(event: WebhookEvent): Promise<PaymntPublishOutcome> {
      return PaymntIntakeWebhookProcessor.prototype.publish.call(this as unknown as PaymntIntakeWebhookProcessor, event);
    }
  }
  Object.defineProperty(IntakeWebhookProcessor, 'name', { value: `${processor.name}WithIntake` });
  return IntakeWebhookProcessor;
}
