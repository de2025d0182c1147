import { randomBytes } from 'node:crypto';
import { BadRequestException, ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import type { Mandate, Payment } from '@paymnt/client';
import { CustomersService, MandatesService } from '@paymnt/nestjs';
import { hashToken, newToken } from '../auth/tokens';
import { describeCard, type SavedCard, type ShopAccount } from './account';
import { AccountsRepository } from './accounts.repository';
import type { CreateAccountDto } from './dto/create-account.dto';

/** A new account, and the token that gives its holder access to it (given out once, here). */
export interface CreatedAccount {
  account: ShopAccount;
  accessToken: string;
}

/**
 * Accounts and their saved cards. Each account has one Paymnt customer, created with it through
 * `CustomersService`; a card is saved on that customer by the first payment made with "save my
 * card" (see `OrdersService.pay`), and the shop only keeps the ids Paymnt gives back. Cards are
 * recorded from the payment's event and kept current by the mandate webhooks
 * (`SavedCardsListener`), so a card revoked anywhere else is known here too.
 */
@Injectable()
export class AccountsService {
  private readonly logger = new Logger('SavedCards');

  constructor(
    private readonly accounts: AccountsRepository,
    private readonly customers: CustomersService,
    private readonly mandates: MandatesService,
  ) {}

  async create(dto: CreateAccountDto): Promise<CreatedAccount> {
    const id = `acct_${randomBytes(8).toString('hex')}`;
    // Our own customer id, derived from the account: a retried create is refused (IR_12) rather than duplicated.
    const customer = await this.customers.create(
      { customer_id: `shop_${id}`, email: dto.email, metadata: { shop_account_id: id } },
      { idempotencyKey: `${id}:customer` },
    );
    const accessToken = newToken();
    const account: ShopAccount = {
      id,
      email: dto.email,
      customerId: customer.customer_id,
      accessTokenHash: hashToken(accessToken),
      savedCards: [],
      createdAt: new Date().toISOString(),
    };
    this.accounts.save(account);
    return { account, accessToken };
  }

  get(id: string): ShopAccount {
    const account = this.accounts.findById(id);
    if (account === undefined) throw new NotFoundException(`Account ${id} not found`);
    return account;
  }

  /** The account of an order paid with "save my card"; a guest order has none to save the card to. */
  accountForSaving(order: { id: string; accountId: string | null }): ShopAccount {
    if (order.accountId === null) {
      throw new BadRequestException(`saveCard needs an account: order ${order.id} is a guest order (place it with POST /accounts/:accountId/orders)`);
    }
    return this.get(order.accountId);
  }

  /**
   * The saved card to charge: `mandateId`, or the newest active card. A revoked one is refused
   * here with a clear message, before Paymnt is asked.
   */
  chargeableCard(account: ShopAccount, mandateId?: string): SavedCard {
    const card = mandateId === undefined ? (account.savedCards.find((c) => c.status === 'active') ?? account.savedCards[0]) : account.savedCards.find((c) => c.mandateId === mandateId);
    if (card === undefined) {
      throw new ConflictException(
        mandateId === undefined
          ? `Account ${account.id} has no saved card: pay an order with "saveCard": true first`
          : `Account ${account.id} has no saved card with mandate ${mandateId}`,
      );
    }
    if (card.status !== 'active') throw savedCardRefused(card);
    return card;
  }

  /**
   * Records the card a "save my card" payment saved, from the payment's event (published from
   * Paymnt's answer, and again by its webhook): once per mandate. Returns whether it was new.
   */
  recordSavedCard(payment: Payment, orderId: string | null): boolean {
    const { mandate_id: mandateId, payment_method_id: paymentMethodId, customer_id: customerId } = payment;
    if (!mandateId || !paymentMethodId || !customerId || payment.off_session === true) return false;
    const account = this.accounts.findByCustomerId(customerId);
    if (account === undefined || account.savedCards.some((c) => c.mandateId === mandateId)) return false;
    const card = payment.payment_method_data?.card;
    const saved: SavedCard = {
      mandateId,
      paymentMethodId,
      last4: card?.last4 ?? null,
      network: card?.card_network ?? null,
      status: 'active',
      savedWithOrderId: orderId,
      savedAt: new Date().toISOString(),
    };
    account.savedCards.unshift(saved);
    this.accounts.save(account);
    this.logger.log(`${account.id} saved card ${describeCard(saved)}: mandate ${mandateId}`);
    return true;
  }

  /** The mandate's status from its webhook; `undefined` when no account of the shop has this mandate (yet). */
  applyMandate(mandate: Mandate): SavedCard | undefined {
    const account = this.accounts.findByMandateId(mandate.mandate_id);
    const card = account?.savedCards.find((c) => c.mandateId === mandate.mandate_id);
    if (account === undefined || card === undefined) return undefined;
    // A revoked mandate never becomes active again: a late `mandate_active` changes nothing.
    if (card.status !== 'revoked' && card.status !== mandate.status) {
      card.status = mandate.status;
      this.accounts.save(account);
      this.logger.log(`${account.id} card ${describeCard(card)} is now ${card.status} (mandate ${card.mandateId})`);
    }
    return card;
  }

  /** The customer removes a saved card: Paymnt revokes its mandate, and later charges with it are refused. */
  async revokeCard(accountId: string, mandateId: string): Promise<ShopAccount> {
    const account = this.get(accountId);
    const card = account.savedCards.find((c) => c.mandateId === mandateId);
    if (card === undefined) throw new NotFoundException(`Account ${accountId} has no saved card with mandate ${mandateId}`);
    if (card.status === 'revoked') return account;
    const revoked = await this.mandates.revoke(mandateId, { idempotencyKey: `${mandateId}:revoke` });
    this.markStatus(account, card, revoked.status);
    return account;
  }

  /** Paymnt refused a charge because the mandate is no longer active: remember it, so the next attempt is refused here. */
  markRevoked(accountId: string, mandateId: string): void {
    const account = this.get(accountId);
    const card = account.savedCards.find((c) => c.mandateId === mandateId);
    if (card !== undefined) this.markStatus(account, card, 'revoked');
  }

  private markStatus(account: ShopAccount, card: SavedCard, status: string): void {
    if (card.status === status) return;
    card.status = status;
    this.accounts.save(account);
    this.logger.log(`${account.id} card ${describeCard(card)} is now ${status} (mandate ${card.mandateId})`);
  }
}

/** The shop's answer (409) to a charge of a saved card that can no longer be charged (its mandate is revoked). */
export class SavedCardRefusedError extends ConflictException {
  constructor(readonly card: SavedCard) {
    super(
      `The saved card ${describeCard(card)} can no longer be charged: its mandate ${card.mandateId} is ${card.status}. Pay with a card instead (and save it again if you like).`,
    );
  }
}

export function savedCardRefused(card: SavedCard): SavedCardRefusedError {
  return new SavedCardRefusedError(card);
}
