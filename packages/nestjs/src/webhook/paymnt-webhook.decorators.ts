import { createParamDecorator, type ExecutionContext, InternalServerErrorException } from '@nestjs/common';
import type { WebhookEvent } from '@paymnt/client';
import type { PaymntPublishOutcome } from '../events/paymnt-publish-outcome';
import { PAYMNT_WEBHOOK_EVENT, PAYMNT_WEBHOOK_OUTCOME } from '../paymnt.constants';
import type { PaymntWebhookRequest } from './paymnt-webhook.processor';

const NO_GUARD = 'Guard the route with @UseGuards(PaymntWebhookGuard) to use @VerifiedWebhookEvent() or @WebhookPublishOutcome().';

/**
 * The verified, typed webhook event of a route guarded by `PaymntWebhookGuard`.
 * Narrow it with `isPaymentEvent(event)` / `isRefundEvent(event)` or on `event.event_type`.
 */
export const VerifiedWebhookEvent = createParamDecorator((_data: unknown, context: ExecutionContext): WebhookEvent => {
  const event = context.switchToHttp().getRequest<PaymntWebhookRequest>()[PAYMNT_WEBHOOK_EVENT];
  if (event === undefined) throw new InternalServerErrorException(NO_GUARD);
  return event;
});

/**
 * What `PaymntWebhookGuard` did with the event: `dispatched`, `duplicate`, `stale` or `ignored`
 * (the route handler runs for each of them; only `dispatched` ran the domain handlers).
 */
export const WebhookPublishOutcome = createParamDecorator((_data: unknown, context: ExecutionContext): PaymntPublishOutcome => {
  const outcome = context.switchToHttp().getRequest<PaymntWebhookRequest>()[PAYMNT_WEBHOOK_OUTCOME];
  if (outcome === undefined) throw new InternalServerErrorException(NO_GUARD);
  return outcome;
});

/**
 * @deprecated Renamed `VerifiedWebhookEvent` (one letter from the `PaymentWebhookEvent` type was
 * one too few); this alias goes in the next minor version.
 */
export const PaymntWebhookEvent = VerifiedWebhookEvent;

/** @deprecated Renamed `WebhookPublishOutcome`; this alias goes in the next minor version. */
export const PaymntWebhookOutcome = WebhookPublishOutcome;
