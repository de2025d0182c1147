/** Injection token of the `PaymntClient` instance (see `@InjectPaymntClient()`). */
export const PAYMNT_CLIENT = Symbol('PAYMNT_CLIENT');

/** Injection token of the validated `ResolvedPaymntOptions` (see `@InjectPaymntOptions()`). */
export const PAYMNT_OPTIONS = Symbol('PAYMNT_OPTIONS');

/** Injection token of the `PaymntEventStore` used for de-duplication and ordering. */
export const PAYMNT_EVENT_STORE = Symbol('PAYMNT_EVENT_STORE');

/** Injection token of the built-in webhook controller's path given at module creation (or `undefined`). */
export const PAYMNT_WEBHOOK_PATH = Symbol('PAYMNT_WEBHOOK_PATH');

/** Request property where `PaymntWebhookGuard` leaves the verified event. */
export const PAYMNT_WEBHOOK_EVENT = Symbol('paymnt:webhook_event');

/** Request property where `PaymntWebhookGuard` leaves what it did with the event. */
export const PAYMNT_WEBHOOK_OUTCOME = Symbol('paymnt:webhook_outcome');

/** Prefix of every domain event name emitted on the `EventEmitter2`. */
export const PAYMNT_EVENT_PREFIX = 'paymnt.';

/** Matches every Paymnt domain event when the emitter has `{ wildcard: true }`. */
export const PAYMNT_EVENT_WILDCARD = 'paymnt.*';
