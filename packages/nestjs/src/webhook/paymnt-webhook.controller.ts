import { Controller, HttpCode, HttpStatus, Post, type Type, UseGuards } from '@nestjs/common';
import type { PaymntPublishOutcome } from '../events/paymnt-event.publisher';
import { PaymntWebhookOutcome } from './paymnt-webhook.decorators';
import { PaymntWebhookGuard } from './paymnt-webhook.guard';

/** Body of the built-in route's 200 answers. */
export interface PaymntWebhookResponse {
  received: true;
  outcome: PaymntPublishOutcome;
}

// One frozen body per outcome: nothing allocated per request.
const RESPONSES = Object.fromEntries(
  (['dispatched', 'duplicate', 'stale', 'ignored', 'in_progress', 'failed'] as const).map((outcome) => [
    outcome,
    Object.freeze({ received: true, outcome }),
  ]),
) as Readonly<Record<PaymntPublishOutcome, PaymntWebhookResponse>>;

/**
 * Creates the built-in webhook controller at `path` (the global prefix applies). The class is made
 * when the module is created, with its path in a plain `@Controller(path)`: no route metadata is
 * changed at runtime. It answers 200 `{ received: true, outcome }` once `PaymntWebhookGuard` has
 * verified and dispatched the event.
 */
export function createPaymntWebhookController(path: string): Type<unknown> {
  @Controller(path)
  class PaymntWebhookController {
    @Post()
    @HttpCode(HttpStatus.OK)
    @UseGuards(PaymntWebhookGuard)
    receive(@PaymntWebhookOutcome() outcome: PaymntPublishOutcome): PaymntWebhookResponse {
      return RESPONSES[outcome];
    }
  }
  return PaymntWebhookController;
}
