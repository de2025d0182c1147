import { Injectable } from '@nestjs/common';
import type { Subscription } from './subscription';

/** Subscriptions kept in memory (this is a sample). */
@Injectable()
export class SubscriptionsRepository {
  private readonly subscriptions = new Map<string, Subscription>();

  save(subscription: Subscription): void {
    this.subscriptions.set(subscription.id, subscription);
  }

  findById(id: string): Subscription | undefined {
    return this.subscriptions.get(id);
  }

  /** Oldest first: the order renewals run in. */
  list(): Subscription[] {
    return [...this.subscriptions.values()];
  }
}
