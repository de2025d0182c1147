import { randomBytes } from 'node:crypto';
import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import {
  type CaptureMethod,
  type CustomerAcceptance,
  type Payment,
  type PaymentCreateParams,
  PaymntBlockedError,
  PaymntIdempotencyError,
  PaymntInvalidRequestError,
  PaymntValidationError,
  type Refund,
} from '@paymnt/client';
import { PaymentsService, PaymntCheckoutService, type PaymntClientConfirmation, RefundsService } from '@paymnt/nestjs';
import type { SavedCard } from '../accounts/account';
import { AccountsService, savedCardRefused } from '../accounts/accounts.service';
import { hashToken, newToken } from '../auth/tokens';
import type { CreateOrderDto } from './dto/create-order.dto';
import type { ReorderDto } from './dto/reorder.dto';
import type { CardDto } from './dto/pay-order.dto';
import type { RefundOrderDto } from './dto/refund-order.dto';
import type { ShipOrderDto } from './dto/ship-order.dto';
import { capturableAmount, type Order, type OrderStatus, refundableAmount } from './order';
import { paymentMetadata } from './order-transitions';
import { OrdersRepository } from './orders.repository';

/** A new order, and the token that gives its customer access to it (given out once, here). */
export interface CreatedOrder {
  order: Order;
  accessToken: string;
}

/** What paying an order gave: the order, and where to send the customer when the card asks for 3DS. */
export interface PayResult {
  order: Order;
  /** The issuer's challenge page (3DS); `null` when the payment needs no customer action. */
  redirectUrl: string | null;
}

/** The customer's agreement to later charges of the card ("save my card"), as an online acceptance. */
export interface SaveCardConsent {
  ipAddress: string;
  userAgent: string;
}

/** A charge of a saved card, off-session. */
export interface SavedCardCharge {
  customerId: string;
  card: SavedCard;
  /** `manual` for an order that ships later (captured then), `automatic` for a renewal. */
  captureMethod: CaptureMethod;
  /** The charge's own key (a renewal's), instead of the attempt's. */
  idempotencyKey?: string;
}

/** What the checkout page needs to confirm the order's payment in the browser. */
export interface CheckoutResult {
  order: Order;
  confirmation: PaymntClientConfirmation;
}

/** The statuses in which the browser may still confirm a payment (with a card, again after a refused one). */
const CONFIRMABLE: readonly string[] = ['requires_payment_method', 'requires_confirmation'];

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
 * Paying is the exception that needs more: each payment attempt has its own key
 * (`${orderId}:pay:${attempt}`), since a new attempt with another card is a different request, and
 * reusing one key for a different body is refused by Paymnt (409 `idempotency_key_mismatch`).
 */
@Injectable()
export class OrdersService {
  /** Reorders by account and idempotency key (in memory, like the orders themselves). */
  private readonly reorders = new Map<string, Promise<CreatedOrder>>();

  constructor(
    private readonly orders: OrdersRepository,
    private readonly payments: PaymentsService,
    private readonly refunds: RefundsService,
    private readonly accounts: AccountsService,
    private readonly checkoutService: PaymntCheckoutService,
  ) {}

  /**
   * Stores the order, with a new random access token for its customer (only its hash is kept).
   * No payment yet: each payment attempt creates its own (`pay`).
   */
  create(dto: CreateOrderDto, accountId: string | null = null): CreatedOrder {
    const total = dto.items.reduce((sum, item) => sum + item.quantity * item.unitAmount, 0);
    if (total !== dto.amount) {
      throw new BadRequestException(`amount ${dto.amount} does not match the items' total ${total}`);
    }
    const accessToken = newToken();
    const now = new Date().toISOString();
    const order: Order = {
      id: `ord_${randomBytes(8).toString('hex')}`,
      status: 'pending_payment',
      currency: dto.currency,
      amount: dto.amount,
      items: dto.items.map(({ name, quantity, unitAmount }) => ({ name, quantity, unitAmount })),
      paymentId: null,
      paymentAttempt: 0,
      attemptPending: false,
      accessTokenHash: hashToken(accessToken),
      accountId,
      authorizedAmount: 0,
      capturedAmount: 0,
      refundedAmount: 0,
      chargedBackAmount: 0,
      dispute: null,
      refunds: {},
      failureReason: null,
      history: [],
      createdAt: now,
      updatedAt: now,
    };
    this.orders.save(order);
    return { order, accessToken };
  }

  /** An order placed from an account: its payment may save the card on the account. */
  createForAccount(accountId: string, dto: CreateOrderDto): CreatedOrder {
    return this.create(dto, this.accounts.get(accountId).id);
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
   * Starts paying the order in the customer's browser (the checkout page): the payment is created
   * here without a card (manual capture, 3DS when the issuer asks, back to `returnUrl`), and the
   * page gets its client secret and the publishable key to confirm it with the card, straight
   * against Paymnt: card numbers never reach the shop. The order then moves on the payment's
   * webhooks, like any other. A payment still waiting for its card (a page reloaded, a card Paymnt
   * refused before charging it) is handed out again rather than created twice; after a failed
   * payment, this is the order's next attempt.
   */
  async checkout(id: string, returnUrl: string): Promise<CheckoutResult> {
    const order = this.get(id);
    if (order.status === 'pending_payment' && order.paymentId !== null) {
      const payment = await this.payments.retrieve(order.paymentId);
      if (!CONFIRMABLE.includes(payment.status)) {
        throw new ConflictException(`Order ${id} cannot be paid: its payment ${order.paymentId} is ${payment.status}; the order changes when its event arrives`);
      }
      return { order, confirmation: await this.checkoutService.clientConfirmation(payment) };
    }
    const { payment } = await this.attempt(
      order,
      // Always set authentication_type (the API's defaults disagree); with three_ds the card's issuer decides whether to challenge.
      { capture_method: 'manual', authentication_type: 'three_ds', return_url: returnUrl },
      undefined,
      false,
    );
    return { order: this.get(id), confirmation: await this.checkoutService.clientConfirmation(payment) };
  }

  /**
   * Pays the order with card data sent to the shop's server: one payment created and confirmed in
   * one call (manual capture). Kept for the API tests, the demo's scenarios and saving a card on
   * an account, with the sandbox's test cards only; the checkout page pays with `checkout()`, so
   * that a real card never passes through the shop.
   * A decline is a result (the order becomes `payment_failed`), not an error, and the customer
   * may then pay again with another card: a new attempt, a new payment. A 3DS card gives the
   * challenge URL, and the customer comes back to `returnUrl`.
   *
   * With `saveCard` (an account's order only), the customer also agrees to later charges: the
   * payment saves the card on the account's Paymnt customer and sets up a multi-use mandate
   * (`setup_future_usage: 'off_session'`, `customer_acceptance`, `mandate_data`). The card is
   * recorded on the account from the payment's event (`SavedCardsListener`).
   */
  async pay(id: string, card: CardDto, returnUrl: string, saveCard?: SaveCardConsent): Promise<PayResult> {
    const order = this.get(id);
    const customerId = saveCard === undefined ? undefined : this.accounts.accountForSaving(order).customerId;
    const acceptance: CustomerAcceptance | undefined =
      saveCard === undefined ? undefined : { acceptance_type: 'online', online: { ip_address: saveCard.ipAddress, user_agent: saveCard.userAgent } };
    const attempted = await this.attempt(order, {
      capture_method: 'manual',
      // Always set it (the API's defaults disagree); with three_ds the card's issuer decides whether to challenge.
      authentication_type: 'three_ds',
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
      return_url: returnUrl,
      ...(acceptance === undefined
        ? {}
        : {
            customer_id: customerId,
            setup_future_usage: 'off_session',
            customer_acceptance: acceptance,
            mandate_data: { customer_acceptance: acceptance, mandate_type: { multi_use: null } },
          }),
    });
    return this.payResult(attempted);
  }

  /**
   * Pays the order with a card the account saved: a merchant-initiated payment (`off_session`)
   * that names the mandate, with no card data. `idempotencyKey` replaces the attempt's own key
   * when the charge has an identity of its own (a subscription's renewal for a period).
   * A mandate Paymnt no longer accepts (revoked) is refused with the shop's clear 409, and the
   * card is marked revoked so that the next attempt is refused before Paymnt is asked.
   */
  async chargeSavedCard(id: string, saved: SavedCardCharge): Promise<PayResult> {
    const order = this.get(id);
    try {
      return this.payResult(
        await this.attempt(
          order,
          {
            capture_method: saved.captureMethod,
            off_session: true,
            customer_id: saved.customerId,
            recurring_details: { type: 'mandate_id', data: saved.card.mandateId },
          },
          saved.idempotencyKey,
        ),
      );
    } catch (error) {
      if (error instanceof PaymntInvalidRequestError && /mandate is not active/i.test(error.message) && order.accountId !== null) {
        this.accounts.markRevoked(order.accountId, saved.card.mandateId);
        throw savedCardRefused({ ...saved.card, status: 'revoked' });
      }
      throw error;
    }
  }

  /** Where to send the customer: the issuer's 3DS page when the payment asks for it. */
  private payResult({ order, payment }: { order: Order; payment: Payment }): PayResult {
    const next = payment.next_action;
    const redirectUrl = next?.type === 'redirect_to_url' && typeof next.redirect_to_url === 'string' ? next.redirect_to_url : null;
    return { order, redirectUrl };
  }

  /**
   * One payment attempt of the order: created (and confirmed in the same call unless `confirm` is
   * false: the browser confirms it), with the order's amount, items and metadata. Attempt n is
   * created with the idempotency key `${id}:pay:${n}` (or `fixedKey`). A new attempt starts once
   * the previous one's outcome is known (a failed payment, or a request Paymnt refused: an expired
   * card, say); while it is not (the call is running, or failed without an answer), a request
   * retries the same attempt with the same key, so Paymnt answers it with the same payment rather
   * than creating a second one.
   */
  private async attempt(
    order: Order,
    how: Omit<PaymentCreateParams, 'amount' | 'currency' | 'confirm' | 'metadata'>,
    fixedKey?: string,
    confirm = true,
  ): Promise<{ order: Order; payment: Payment }> {
    const id = order.id;
    this.expectStatus(order, ['pending_payment', 'payment_failed'], 'paid');
    if (order.status === 'pending_payment' && order.paymentId !== null) {
      throw new ConflictException(`Order ${id} cannot be paid: its payment ${order.paymentId} is still being processed`);
    }
    if (!order.attemptPending) {
      order.paymentAttempt += 1;
      order.attemptPending = true;
      order.paymentId = null;
      order.status = 'pending_payment';
      order.failureReason = null;
      order.updatedAt = new Date().toISOString();
      this.orders.save(order);
    }
    const attempt = order.paymentAttempt;
    let payment: Payment;
    try {
      payment = await this.payments.create(
        {
          amount: order.amount,
          currency: order.currency,
          confirm,
          ...how,
          description: `Sample shop order ${id}`,
          merchant_order_reference_id: id,
          // How the event handlers find the order before this call has returned (see OrderEventsListener).
          metadata: paymentMetadata(id, attempt),
          order_details: order.items.map((item) => ({ product_name: item.name, quantity: item.quantity, amount: item.unitAmount })),
        },
        { idempotencyKey: fixedKey ?? `${id}:pay:${attempt}` },
      );
    } catch (error) {
      if (isRefusal(error) && order.paymentAttempt === attempt) {
        // Paymnt answered and created nothing: the next pay request is a new attempt, with a new key.
        order.attemptPending = false;
        this.orders.save(order);
      }
      if (error instanceof PaymntIdempotencyError) {
        throw new ConflictException(
          `Payment attempt ${attempt} of order ${id} is still being processed, or was made with another card: try again in a moment with the same card`,
        );
      }
      throw error;
    }
    if (order.paymentAttempt === attempt) {
      // The payment's event may have come first and told the order already (same id).
      order.paymentId ??= payment.payment_id;
      order.attemptPending = false;
      this.orders.save(order);
    }
    return { order: this.get(id), payment };
  }

  /**
   * One-click reorder: a new order of the account with the items of one of its orders, paid with
   * a saved card off-session (no card data). Nothing is created when the card cannot be charged
   * (none saved, or revoked: a clear 409); an order Paymnt refuses to charge is cancelled.
   */
  reorder(accountId: string, dto: ReorderDto): Promise<CreatedOrder> {
    // Concurrent repeats share the first one's promise; a failed reorder may be tried again with the same key.
    const key = `${accountId}:${dto.idempotencyKey}`;
    const known = this.reorders.get(key);
    if (known !== undefined) return known;
    const reorder = this.placeReorder(accountId, dto);
    this.reorders.set(key, reorder);
    reorder.catch(() => this.reorders.delete(key));
    return reorder;
  }

  private async placeReorder(accountId: string, dto: ReorderDto): Promise<CreatedOrder> {
    const account = this.accounts.get(accountId);
    const source = this.orders.findById(dto.orderId);
    if (source === undefined || source.accountId !== accountId) throw new NotFoundException(`Account ${accountId} has no order ${dto.orderId}`);
    const card = this.accounts.chargeableCard(account, dto.mandateId);
    const created = this.create({ amount: source.amount, currency: source.currency, items: source.items }, accountId);
    try {
      const { order } = await this.chargeSavedCard(created.order.id, { customerId: account.customerId, card, captureMethod: 'manual' });
      return { order, accessToken: created.accessToken };
    } catch (error) {
      if (!created.order.attemptPending) await this.cancel(created.order.id);
      throw error;
    }
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
    await this.payments.capture(paymentIdOf(order), { amount_to_capture: amount }, { idempotencyKey: `${id}:capture` });
    return this.get(id);
  }

  /** Voids the payment before anything is captured; an order with no payment is simply cancelled. */
  async cancel(id: string): Promise<Order> {
    const order = this.get(id);
    this.expectStatus(order, ['pending_payment', 'requires_action', 'authorized'], 'cancelled');
    if (order.paymentId === null) {
      if (order.attemptPending) {
        throw new ConflictException(`Order ${id} cannot be cancelled while its payment attempt ${order.paymentAttempt} is in progress: try again in a moment`);
      }
      // No payment exists (none attempted, or Paymnt refused the attempt): nothing to void.
      order.status = 'cancelled';
      order.updatedAt = new Date().toISOString();
      this.orders.save(order);
      return order;
    }
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
      { payment_id: paymentIdOf(order), amount, reason: dto.reason ?? 'requested_by_customer', metadata: { order_id: id } },
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
    if (order.paymentId === null) throw new ConflictException(`Order ${id} has no payment to sync yet`);
    await this.payments.retrieve(order.paymentId, { force_sync: true });
    return this.get(id);
  }

  private expectStatus(order: Order, allowed: readonly OrderStatus[], action: string): void {
    if (!allowed.includes(order.status)) {
      throw new ConflictException(`Order ${order.id} cannot be ${action}: it is ${order.status}`);
    }
  }
}

/** Paymnt answered and refused the request (or the client refused it before sending): no payment was created. */
function isRefusal(error: unknown): boolean {
  return error instanceof PaymntInvalidRequestError || error instanceof PaymntValidationError || error instanceof PaymntBlockedError;
}

/** The payment of an order past `pending_payment` (the status checks guarantee there is one). */
function paymentIdOf(order: Order): string {
  if (order.paymentId === null) throw new ConflictException(`Order ${order.id} has no payment`);
  return order.paymentId;
}
