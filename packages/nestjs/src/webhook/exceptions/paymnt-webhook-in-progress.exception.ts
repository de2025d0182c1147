import { ConflictException } from '@nestjs/common';
import { PaymntWebhookMessages } from '../paymnt-webhook.messages';

/**
 * 409: another delivery of the same event holds the processing lease. Not a 2xx on purpose: if
 * that delivery crashed, acknowledging this one would lose the event. The API retries later,
 * and gets a 2xx duplicate (or runs the handlers if the lease expired).
 */
export class PaymntWebhookInProgressException extends ConflictException {
  constructor(readonly eventId: string) {
    super({ statusCode: 409, error: 'Conflict', code: 'event_in_progress', message: PaymntWebhookMessages.IN_PROGRESS, eventId });
  }
}
