import { ConflictException, Injectable } from '@nestjs/common';
import { DisputesService } from '@paymnt/nestjs';
import type { DisputeEvidenceDto } from './dto/dispute-evidence.dto';
import type { Order, OrderDispute } from './order';
import { receiptPdf } from './receipt-pdf';
import { OrdersService } from './orders.service';

/**
 * The shop's answers to a chargeback, through `DisputesService`: challenge it with evidence, or
 * accept it. Neither sets the order's state: the service publishes the dispute's new status
 * (`dispute_challenged`, `dispute_accepted`), which `OrderEventsListener` applies through the
 * order-transitions table like any other event; the webhook of the same change is then a
 * duplicate. The verdict (won / lost) comes later, by webhook only.
 */
@Injectable()
export class ChargebacksService {
  constructor(
    private readonly orders: OrdersService,
    private readonly disputes: DisputesService,
  ) {}

  /** Attaches the order's receipt (PDF) and submits it with the shop's statements. */
  async submitEvidence(orderId: string, dto: DisputeEvidenceDto): Promise<Order> {
    const order = this.orders.get(orderId);
    const dispute = this.openDispute(order, 'challenged');
    const receipt = await this.disputes.attachEvidence({
      dispute_id: dispute.disputeId,
      evidence_type: 'receipt',
      file: receiptPdf(order),
      file_name: `receipt-${order.id}.pdf`,
      file_content_type: 'application/pdf',
    });
    await this.disputes.submitEvidence(
      {
        dispute_id: dispute.disputeId,
        receipt: receipt.file_id,
        product_description: dto.productDescription,
        shipping_carrier: dto.shippingCarrier ?? null,
        shipping_tracking_number: dto.shippingTrackingNumber ?? null,
        shipping_date: dto.shippingDate ?? null,
        uncategorized_text: dto.note ?? null,
      },
      { idempotencyKey: `${dispute.disputeId}:evidence` },
    );
    return this.orders.get(orderId);
  }

  /** Gives the disputed amount up: the order is charged back. */
  async accept(orderId: string): Promise<Order> {
    const order = this.orders.get(orderId);
    const dispute = this.openDispute(order, 'accepted');
    await this.disputes.accept(dispute.disputeId, { idempotencyKey: `${dispute.disputeId}:accept` });
    return this.orders.get(orderId);
  }

  /** The dispute the shop can still answer: opened, not yet challenged or decided. */
  private openDispute(order: Order, action: string): OrderDispute {
    if (order.status !== 'disputed' || order.dispute === null) {
      throw new ConflictException(`Order ${order.id}'s chargeback cannot be ${action}: the order is ${order.status}${order.dispute ? ` (dispute ${order.dispute.disputeId} ${order.dispute.status})` : ', with no open dispute'}`);
    }
    return order.dispute;
  }
}
