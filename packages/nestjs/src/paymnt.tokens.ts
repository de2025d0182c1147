import type { Type } from '@nestjs/common';
import { PAYMNT_CLIENT, PAYMNT_EVENT_STORE, PAYMNT_OPTIONS } from './paymnt.constants';

/**
 * The name of the instance configured without `name` (as `@nestjs/typeorm` calls its default data
 * source). Domain events of that instance carry it in `instance`; `name: 'default'` is that instance.
 */
export const PAYMNT_DEFAULT_INSTANCE = 'default';

/** Whether `name` designates the unnamed instance (no name, or `'default'`). */
export function isDefaultPaymntInstance(name: string | undefined): boolean {
  return name === undefined || name === PAYMNT_DEFAULT_INSTANCE;
}

// The default instance keeps its tokens (the symbols and the classes themselves), so an app with
// one instance injects exactly as before; a named instance's tokens are readable strings, as
// `getQueueToken()` of @nestjs/bullmq makes them, so Nest's "can't resolve" errors show the name.
function namedToken(what: string, name: string): string {
  return `paymnt:${name}:${what}`;
}

/** Injection token of the `PaymntClient` of instance `name` (see `@InjectPaymntClient(name)`). */
export function getPaymntClientToken(name?: string): string | symbol {
  return isDefaultPaymntInstance(name) ? PAYMNT_CLIENT : namedToken('PaymntClient', name as string);
}

/** Injection token of the `ResolvedPaymntOptions` of instance `name` (see `@InjectPaymntOptions(name)`). */
export function getPaymntOptionsToken(name?: string): string | symbol {
  return isDefaultPaymntInstance(name) ? PAYMNT_OPTIONS : namedToken('PaymntOptions', name as string);
}

/** Injection token of the `PaymntEventStore` of instance `name` (see `@InjectPaymntEventStore(name)`). */
export function getPaymntEventStoreToken(name?: string): string | symbol {
  return isDefaultPaymntInstance(name) ? PAYMNT_EVENT_STORE : namedToken('PaymntEventStore', name as string);
}

/**
 * Injection token of a service of instance `name`, as `getRepositoryToken(Entity, dataSource)`
 * of `@nestjs/typeorm`: the class itself for the default instance, a string for a named one.
 * Works for each service (`PaymentsService`, `RefundsService`, `CustomersService`...) and for
 * `PaymntEventPublisher`, `PaymntWebhookProcessor`, `PaymntIntakeService` and
 * `PaymntReconciliationService`. See `@InjectPaymntService(service, name)`.
 */
export function getPaymntServiceToken<T>(service: Type<T>, name?: string): Type<T> | string {
  return isDefaultPaymntInstance(name) ? service : namedToken(service.name, name as string);
}
