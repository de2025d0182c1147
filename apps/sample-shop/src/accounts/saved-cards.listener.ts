import { Injectable, Logger } from '@nestjs/common';
import { type MandateEvent, OnPaymntEvent, type PaymentEvent, PaymntEvents } from '@paymnt/nestjs';
import { paymentReference } from '../orders/order-transitions';
import { describeCard } from './account';
import { AccountsService } from './accounts.service';

/**
 * Keeps the accounts' saved cards in step with Paymnt. A card is recorded from the event of the
 * payment that saved it (which carries its mandate and payment method ids); the mandate webhooks
 * then tell when it becomes active or is revoked, including a revocation made outside the shop.
 */
@Injectable()
export class SavedCardsListener {
  private readonly logger = new Logger('SavedCards');

  constructor(private readonly accounts: AccountsService) {}

  @OnPaymntEvent([PaymntEvents.PAYMENT_AUTHORIZED, PaymntEvents.PAYMENT_SUCCEEDED])
  onPayment(event: PaymentEvent): void {
    this.accounts.recordSavedCard(event.payment, paymentReference(event.payment.metadata)?.orderId ?? null);
  }

  @OnPaymntEvent([PaymntEvents.MANDATE_ACTIVE, PaymntEvents.MANDATE_REVOKED])
  onMandate(event: MandateEvent): void {
    const card = this.accounts.applyMandate(event.mandate);
    // The payment that saved a card records it, with `active`: a mandate_active the shop does not know yet only confirms that.
    if (card === undefined) {
      this.logger.log(`${event.type} (${event.eventId}) for mandate ${event.mandate.mandate_id}: no saved card of the shop has it, acknowledged`);
    } else {
      this.logger.log(`${event.type} (${event.eventId}) → card ${describeCard(card)} ${card.status}`);
    }
  }
}
