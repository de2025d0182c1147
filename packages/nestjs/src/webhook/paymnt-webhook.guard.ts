import { type CanActivate, type ExecutionContext, Injectable, type OnModuleInit, Optional } from '@nestjs/common';
import { PAYMNT_WEBHOOK_EVENT, PAYMNT_WEBHOOK_OUTCOME } from '../paymnt.constants';
import { PaymntTelemetry } from '../telemetry/paymnt-telemetry';
import { PaymntWebhookProcessor, type PaymntWebhookRequest } from './paymnt-webhook.processor';

/**
 * Verifies, de-duplicates and dispatches a Paymnt webhook on any route of yours:
 *
 * ```ts
 * @Post('webhooks/payments')
 * @UseGuards(PaymntWebhookGuard)
 * handle(@VerifiedWebhookEvent() event: WebhookEvent) {}
 * ```
 *
 * By the time the route handler runs, the event's domain handlers have run and succeeded, or the
 * event was a duplicate, stale or of an unknown type (`@WebhookPublishOutcome()` says which).
 * Do the work in event handlers: they are covered by de-duplication and redelivery, the route
 * handler is not. Failures are the HTTP errors of `PaymntWebhookProcessor` (401, 400, 415, 409,
 * 500, 503), never a 403.
 */
@Injectable()
export class PaymntWebhookGuard implements CanActivate, OnModuleInit {
  constructor(
    protected readonly processor: PaymntWebhookProcessor,
    @Optional() protected readonly telemetry?: PaymntTelemetry,
  ) {}

  /** A route guarded without `webhook` options cannot verify anything: fail at startup. */
  onModuleInit(): void {
    this.processor.assertConfigured();
  }

  /** Verifies and publishes, then leaves the event and the outcome on the request for the parameter decorators. */
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = this.getRequest(context);
    if (this.telemetry?.recording === true) {
      const { event, outcome } = await this.telemetry.receiveWebhook(this.processor, request);
      request[PAYMNT_WEBHOOK_EVENT] = event;
      request[PAYMNT_WEBHOOK_OUTCOME] = outcome;
      return true;
    }
    const event = this.processor.verify(request);
    request[PAYMNT_WEBHOOK_EVENT] = event;
    request[PAYMNT_WEBHOOK_OUTCOME] = await this.processor.publish(event);
    return true;
  }

  protected getRequest(context: ExecutionContext): PaymntWebhookRequest {
    return context.switchToHttp().getRequest<PaymntWebhookRequest>();
  }
}
