import { randomBytes } from 'node:crypto';
import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type { Refund } from '@paymnt/client';
import { PaymentsService, RefundsService } from '@paymnt/nestjs';
import type { CreateOrderDto } from './dto/create-order.dto';
import type { CardDto } from './dto/pay-order.dto';
import type { RefundOrderDto } from './dto/refund-order.dto';
import type { ShipOrderDto } from './dto/ship-order.dto';
import { capturableAmount, type Order, type OrderStatus, refundableAmount } from './order';
import { OrdersRepository } from './orders.repository';

/** What paying an order gave: the order, and where to send the customer when the card asks for 3DS. */
export interface PayResult {
  order: Order;
  /** The issuer's challenge page (3DS); `null` when the payment needs no customer action. */
  redirectUrl: string | null;
}

export interface RefundResult {
  order: Order;
  refund: Pick<Refund, 'refund_id' | 'amount' | 'currency' | 'status'>;
}

/**
 * The shop's commands. Each one checks the order, then calls Paymnt through `PaymentsService` /
 * `RefundsService`; it never sets the order's payment state itself: the services publish the
 * resulting domain event, which `OrderEventsListener` applies (and the webhook of the same
 * transition is then a duplicate). So an order reads the same whether Paymnt's answer or its
 * webhook came first.
 *
 * Idempotency keys are derived from the order and the operation, so a retried request (a double
 * click, a client retry after a timeout) reaches Paymnt with the same key and is not applied twice.
 */
@Injectable()
export class OrdersService {
  constructor(
    private readonly orders: OrdersRepository,
    private readonly payments: PaymentsService,
    private readonly refunds: RefundsService,
  ) {}

  /** Creates the order and its payment (manual capture: the card is charged when the order ships). */
  async create(dto: CreateOrderDto): Promise<Order> {
    const total = dto.items.reduce((sum, item) => sum + item.quantity * item.unitAmount, 0);
    if (total !== dto.amount) {
      throw new BadRequestException(`amount ${dto.amount} does not match the items' total ${total}`);
    }
    const id = `ord_${randomBytes(8).toString('hex')}`;
    const payment = await this.payments.create(
      {
        amount: dto.amount,
        currency: dto.currency,
        capture_method: 'manual',
        // Always set it (the API's defaults disagree); with three_ds the card's issuer decides whether to challenge.
        authentication_type: 'three_ds',
        description: `Sample shop order ${id}`,
        merchant_order_reference_id: id,
        metadata: { order_id: id },
        order_details: dto.items.map((item) => ({ product_name: item.name, quantity: item.quantity, amount: item.unitAmount })),
      },
      { idempotencyKey: `${id}:create` },
    );
    const now = new Date().toISOString();
    const order: Order = {
      id,
      status: 'pending_payment',
      currency: dto.currency,
      amount: dto.amount,
      items: dto.items.map(({ name, quantity, unitAmount }) => ({ name, quantity, unitAmount })),
      paymentId: payment.payment_id,
      authorizedAmount: 0,
      capturedAmount: 0,
      refundedAmount: 0,
      refunds: {},
      failureReason: null,
      history: [],
      createdAt: now,
      updatedAt: now,
    };
    this.orders.save(order);
    return order;
  }

  get(id: string): Order {
    const order = this.orders.findById(id);
    if (order === undefined) throw new NotFoundException(`Order ${id} not found`);
    return order;
  }

  list(): Order[] {
    return this.orders.list();
  }

  /**
   * Confirms the payment with a card. A decline is a result (the order becomes `payment_failed`),
   * not an error; a 3DS card gives the challenge URL, and the customer comes back to `returnUrl`.
   */
  async pay(id: string, card: CardDto, returnUrl: string): Promise<PayResult> {
    const order = this.get(id);
    this.expectStatus(order, ['pending_payment'], 'paid');
    const payment = await this.payments.confirm(
      order.paymentId,
      {
        payment_method: 'card',
        payment_method_type: 'credit',
        payment_method_data: {
          card: {
            card_number: card.number,
            card_exp_month: card.expMonth,
            card_exp_year: card.expYear,
            card_cvc: card.cvc,
            ...(card.holderName === undefined ? {} : { card_holder_name: card.holderName }),
          },
        },
        authentication_type: 'three_ds',
        return_url: returnUrl,
      },
      { idempotencyKey: `${id}:confirm` },
    );
    const next = payment.next_action;
    const redirectUrl = next?.type === 'redirect_to_url' && typeof next.redirect_to_url === 'string' ? next.redirect_to_url : null;
    return { order: this.get(id), redirectUrl };
  }

  /** Captures what was authorized, or `amount` of it (the rest is released to the customer). */
  async ship(id: string, dto: ShipOrderDto): Promise<Order> {
    const order = this.get(id);
    this.expectStatus(order, ['authorized'], 'shipped');
    const capturable = capturableAmount(order);
    const amount = dto.amount ?? capturable;
    if (amount > capturable) {
      throw new BadRequestException(`amount ${amount} exceeds the ${capturable} authorized for order ${id} (minor units of ${order.currency})`);
    }
    await this.payments.capture(order.paymentId, { amount_to_capture: amount }, { idempotencyKey: `${id}:capture` });
    return this.get(id);
  }

  /** Voids the payment before anything is captured. */
  async cancel(id: string): Promise<Order> {
    const order = this.get(id);
    this.expectStatus(order, ['pending_payment', 'requires_action', 'authorized'], 'cancelled');
    await this.payments.cancel(order.paymentId, { cancellation_reason: 'requested_by_customer' }, { idempotencyKey: `${id}:cancel` });
    return this.get(id);
  }

  /** Refunds `amount`, or everything still refundable, of what was captured. */
  async refund(id: string, dto: RefundOrderDto): Promise<RefundResult> {
    const order = this.get(id);
    this.expectStatus(order, ['paid', 'partially_refunded'], 'refunded');
    const refundable = refundableAmount(order);
    const amount = dto.amount ?? refundable;
    if (amount > refundable) {
      throw new BadRequestException(
        `amount ${amount} exceeds the ${refundable} left to refund for order ${id} ` +
          `(captured ${order.capturedAmount}, refunded ${order.refundedAmount}; minor units of ${order.currency})`,
      );
    }
    // The key changes once a refund is applied: a retry of this request before then gets the same
    // refund back instead of a second one; a new refund afterwards gets a new key.
    const refund = await this.refunds.create(
      { payment_id: order.paymentId, amount, reason: dto.reason ?? 'requested_by_customer', metadata: { order_id: id } },
      { idempotencyKey: `${id}:refund:${order.refundedAmount}+${amount}` },
    );
    const { refund_id, currency, status } = refund;
    return { order: this.get(id), refund: { refund_id, amount: refund.amount, currency, status } };
  }

  /**
   * Asks Paymnt for the payment's latest state (`force_sync`). The answer goes through the same
   * event handlers as a webhook: use it when webhooks cannot reach the shop (e.g. localhost
   * against the real Paymnt sandbox).
   */
  async sync(id: string): Promise<Order> {
    const order = this.get(id);
    await this.payments.retrieve(order.paymentId, { force_sync: true });
    return this.get(id);
  }

  private expectStatus(order: Order, allowed: readonly OrderStatus[], action: string): void {
    if (!allowed.includes(order.status)) {
      throw new ConflictException(`Order ${order.id} cannot be ${action}: it is ${order.status}`);
    }
  }
}
