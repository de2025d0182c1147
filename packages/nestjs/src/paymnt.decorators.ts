import { Inject, type Type } from '@nestjs/common';
import { getPaymntClientToken, getPaymntEventStoreToken, getPaymntOptionsToken, getPaymntServiceToken } from './paymnt.tokens';

// Each takes the instance's `name` (as `@InjectQueue(name)` of @nestjs/bullmq); without it, the default instance.

/** Injects the module's `PaymntClient`: `constructor(@InjectPaymntClient() private readonly paymnt: PaymntClient)`. */
export const InjectPaymntClient = (name?: string): ParameterDecorator & PropertyDecorator => Inject(getPaymntClientToken(name));

/** Injects the validated `ResolvedPaymntOptions`. */
export const InjectPaymntOptions = (name?: string): ParameterDecorator & PropertyDecorator => Inject(getPaymntOptionsToken(name));

/** Injects the `PaymntEventStore` the module de-duplicates with. */
export const InjectPaymntEventStore = (name?: string): ParameterDecorator & PropertyDecorator => Inject(getPaymntEventStoreToken(name));

/**
 * Injects a service of a named instance: `@InjectPaymntService(PaymentsService, 'eu') private readonly euPayments: PaymentsService`
 * (as `@InjectRepository(Entity, dataSource)` of @nestjs/typeorm). Without `name`, the default
 * instance's service, the same as injecting the class.
 */
export const InjectPaymntService = <T>(service: Type<T>, name?: string): ParameterDecorator & PropertyDecorator =>
  Inject(getPaymntServiceToken(service, name));
