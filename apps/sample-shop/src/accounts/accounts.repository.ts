import { Injectable } from '@nestjs/common';
import type { ShopAccount } from './account';

/** Accounts kept in memory (this is a sample), indexed by their Paymnt customer and mandates. */
@Injectable()
export class AccountsRepository {
  private readonly accounts = new Map<string, ShopAccount>();
  private readonly byCustomerId = new Map<string, string>();

  save(account: ShopAccount): void {
    this.accounts.set(account.id, account);
    this.byCustomerId.set(account.customerId, account.id);
  }

  findById(id: string): ShopAccount | undefined {
    return this.accounts.get(id);
  }

  findByCustomerId(customerId: string): ShopAccount | undefined {
    const id = this.byCustomerId.get(customerId);
    return id === undefined ? undefined : this.accounts.get(id);
  }

  findByMandateId(mandateId: string): ShopAccount | undefined {
    return [...this.accounts.values()].find((account) => account.savedCards.some((card) => card.mandateId === mandateId));
  }
}
