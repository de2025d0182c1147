import { Inject } from '@nestjs/common';
import { PAYMNT_CLIENT, PAYMNT_EVENT_STORE, PAYMNT_OPTIONS } from './paymnt.constants';

/** Injects the module's `PaymntClient`: `constructor(@InjectPaymntClient() private readonly paymnt: PaymntClient)`. */
export const InjectPaymntClient = (): ParameterDecorator & PropertyDecorator => Inject(PAYMNT_CLIENT);

/** Injects the validated `ResolvedPaymntOptions`. */
export const InjectPaymntOptions = (): ParameterDecorator & PropertyDecorator => Inject(PAYMNT_OPTIONS);

/** Injects the `PaymntEventStore` the module de-duplicates with. */
export const InjectPaymntEventStore = (): ParameterDecorator & PropertyDecorator => Inject(PAYMNT_EVENT_STORE);
