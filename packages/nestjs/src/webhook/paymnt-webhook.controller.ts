import { Controller, HttpCode, HttpStatus, Post, Req, type Type } from '@nestjs/common';
import type { PaymntPublishOutcome } from '../events/paymnt-publish-outcome';
import { PaymntTelemetry } from '../telemetry/paymnt-telemetry';
import { PaymntWebhookProcessor, type PaymntWebhookRequest } from './paymnt-webhook.processor';

/** Body of the built-in route's 200 answers. */
export interface PaymntWebhookResponse {
  received: true;
  outcome: PaymntPublishOutcome;
}

// One frozen body per outcome: nothing allocated per request.
const RESPONSES = Object.fromEntries(
  (['dispatched', 'duplicate', 'stale', 'ignored', 'in_progress', 'failed', 'queued'] as const).map((outcome) => [
    outcome,
    Object.freeze({ received: true, outcome }),
  ]),
) as Readonly<Record<PaymntPublishOutcome, PaymntWebhookResponse>>;

/**
 * Creates the built-in webhook controller at `path` (the global prefix applies). The class is made
 * when the module is created, with its path in a plain `@Controller(path)` and `decorators` applied
 * to it then, as if written above the class (e.g. `[Public()]` for a global auth guard): no route
 * metadata is changed at runtime. It answers 200 `{ received: true, outcome }` once `PaymntWebhookProcessor`
 * has verified and dispatched the event, with the same error answers as `PaymntWebhookGuard`.
 * It calls the processor directly rather than through a guard and parameter decorators: this
 * route is the hot path, and it needs neither.
 */
export function createPaymntWebhookController(path: string, decorators: readonly ClassDecorator[] = []): Type<unknown> {
  @Controller(path)
  class PaymntWebhookController {
    constructor(
      private readonly processor: PaymntWebhookProcessor,
      private readonly telemetry: PaymntTelemetry,
    ) {}

    @Post()
    @HttpCode(HttpStatus.OK)
    async receive(@Req() request: PaymntWebhookRequest): Promise<PaymntWebhookResponse> {
      if (!this.telemetry.recording) return RESPONSES[await this.processor.process(request)];
      return RESPONSES[(await this.telemetry.receiveWebhook(this.processor, request)).outcome];
    }
  }
  return decorators.length === 0 ? PaymntWebhookController : (Reflect.decorate([...decorators], PaymntWebhookController) as Type<unknown>);
}
