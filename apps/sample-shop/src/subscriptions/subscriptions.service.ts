import { randomBytes } from 'node:crypto';
import { ConflictException, HttpException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { AccountsService, SavedCardRefusedError, savedCardRefused } from '../accounts/accounts.service';
import { OrdersService } from '../orders/orders.service';
import { periodOf, type RenewalResult, type Subscription } from './subscription';
import { SubscriptionsRepository } from './subscriptions.repository';
import type { SubscribeDto } from './dto/subscribe.dto';

/**
 * Subscriptions and their renewals: merchant-initiated charges of a saved card. The renewal run
 * (`renewAll`) is what a monthly job calls (here the admin endpoint `POST /subscriptions/renewals`,
 * which the demo triggers); it is safe to run twice, or twice at once, for the same period:
 * - the renewal order of a period is recorded on the subscription before its charge is sent, so a
 *   second run finds it instead of making another order;
 * - the charge's idempotency key is `${subscriptionId}:renewal:${period}`, so a charge sent again
 *   (its answer was lost) is answered by Paymnt with the same payment;
 * - a renewal whose outcome is known (paid, declined, refused) is not sent again at all.
 */
@Injectable()
export class SubscriptionsService {
  private readonly logger = new Logger('Subscriptions');

  constructor(
    private readonly subscriptions: SubscriptionsRepository,
    private readonly accounts: AccountsService,
    private readonly orders: OrdersService,
  ) {}

  /** Subscribes the account to one of its orders' items, renewed monthly from next month with a saved card. */
  subscribe(accountId: string, dto: SubscribeDto, now = new Date()): Subscription {
    const account = this.accounts.get(accountId);
    const order = this.orders.get(dto.orderId);
    if (order.accountId !== accountId) throw new NotFoundException(`Account ${accountId} has no order ${dto.orderId}`);
    const card = this.accounts.chargeableCard(account, dto.mandateId);
    const subscription: Subscription = {
      id: `sub_${randomBytes(8).toString('hex')}`,
      accountId,
      items: order.items.map((item) => ({ ...item })),
      amount: order.amount,
      currency: order.currency,
      mandateId: card.mandateId,
      status: 'active',
      suspendedReason: null,
      startPeriod: periodOf(now),
      renewals: {},
      createdAt: now.toISOString(),
    };
    this.subscriptions.save(subscription);
    return subscription;
  }

  listForAccount(accountId: string): Subscription[] {
    this.accounts.get(accountId);
    return this.subscriptions.list().filter((s) => s.accountId === accountId);
  }

  get(id: string): Subscription {
    const subscription = this.subscriptions.findById(id);
    if (subscription === undefined) throw new NotFoundException(`Subscription ${id} not found`);
    return subscription;
  }

  /** The renewal run of `period` (the current month by default): every subscription, one after the other. */
  async renewAll(period = periodOf(new Date())): Promise<RenewalResult[]> {
    const results: RenewalResult[] = [];
    for (const subscription of this.subscriptions.list()) results.push(await this.renew(subscription, period));
    return results;
  }

  /** One subscription's renewal for `period`. */
  async renew(subscription: Subscription, period: string): Promise<RenewalResult> {
    const result = (outcome: RenewalResult['outcome'], orderId: string | null, detail?: string): RenewalResult => {
      this.logger.log(`${subscription.id} renewal ${period}: ${outcome}${orderId ? ` (${orderId})` : ''}${detail ? `: ${detail}` : ''}`);
      return { subscriptionId: subscription.id, period, outcome, orderId, ...(detail === undefined ? {} : { detail }) };
    };
    const account = this.accounts.get(subscription.accountId);
    const card = account.savedCards.find((c) => c.mandateId === subscription.mandateId);
    const suspend = async (reason: string, orderId: string | null): Promise<RenewalResult> => {
      subscription.status = 'suspended';
      subscription.suspendedReason = reason;
      this.subscriptions.save(subscription);
      // A renewal order that was never charged is cancelled, so the period reads as not delivered.
      if (orderId !== null) await this.orders.cancel(orderId);
      return result('refused', orderId, reason);
    };
    // Cards stay on their account once saved (revoked ones too): only a wrong mandate id has none.
    if (card === undefined) return suspend(`its saved card (mandate ${subscription.mandateId}) is not on the account`, null);
    let orderId = subscription.renewals[period];
    if (orderId !== undefined) {
      const order = this.orders.get(orderId);
      // Known outcome (a payment, or a refusal): nothing is sent again.
      if (order.paymentId !== null || !order.attemptPending) return result('already_renewed', orderId, `order ${orderId} is ${order.status}`);
      // Sent before without a known outcome: send it again below, with the same key.
    } else {
      if (period <= subscription.startPeriod) return result('skipped', null, `${period} is covered by the subscription's first order`);
      if (subscription.status !== 'active') return result('skipped', null, `suspended: ${subscription.suspendedReason ?? ''}`);
      // A card the shop knows cannot be charged: refused before any order or charge.
      if (card.status !== 'active') return suspend(savedCardRefused(card).message, null);
      orderId = this.orders.create({ amount: subscription.amount, currency: subscription.currency, items: subscription.items }, subscription.accountId).order.id;
      subscription.renewals[period] = orderId;
      this.subscriptions.save(subscription);
    }
    try {
      const { order } = await this.orders.chargeSavedCard(orderId, {
        customerId: account.customerId,
        card,
        captureMethod: 'automatic',
        idempotencyKey: `${subscription.id}:renewal:${period}`,
      });
      if (order.status === 'paid') return result('charged', orderId);
      return result(order.status === 'payment_failed' ? 'declined' : 'in_progress', orderId, order.failureReason ?? `order ${orderId} is ${order.status}`);
    } catch (error) {
      // Paymnt refused the mandate (revoked elsewhere, its webhook not seen yet).
      if (error instanceof SavedCardRefusedError) return suspend(error.message, orderId);
      // Another run is charging the same renewal right now (same key, in flight at Paymnt).
      if (error instanceof ConflictException) return result('in_progress', orderId, error.message);
      if (error instanceof HttpException) throw error;
      // No answer (a timeout, a 5xx after the client's retries): the outcome is unknown, and the
      // next run sends the same charge again with the same key. One subscription does not stop the run.
      return result('unanswered', orderId, `${(error as Error).message}; the next run for ${period} sends it again with the same key`);
    }
  }
}
