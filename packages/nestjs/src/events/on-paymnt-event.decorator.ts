import { OnEvent } from '@nestjs/event-emitter';
import type { PaymntEventPayloads } from './paymnt-event.types';

/** Options of `@OnEvent()` (the package root of `@nestjs/event-emitter` does not export their type). */
export type PaymntOnEventOptions = NonNullable<Parameters<typeof OnEvent>[1]>;

/** A method decorator that only accepts a handler whose parameter fits the event's payload. */
export type PaymntEventHandlerDecorator<P> = <H extends (payload: P) => unknown>(
  target: object,
  propertyKey: string | symbol,
  descriptor: TypedPropertyDescriptor<H>,
) => TypedPropertyDescriptor<H> | void;

/**
 * `@OnEvent()` for Paymnt domain events, typed: the handler's parameter must accept the event's
 * payload (`PaymentSucceededEvent` for `PaymntEvents.PAYMENT_SUCCEEDED`, the `AnyPaymntEvent` union
 * for `'paymnt.*'`). It writes the same metadata as `@OnEvent()`, so `@nestjs/event-emitter`
 * discovers it as usual.
 *
 * An array subscribes the handler to each event it lists (`@OnPaymntEvent([a, b])` runs it for `a`
 * and for `b`): one `@OnEvent()` per name.
 *
 * Unlike `@OnEvent()`, errors are NOT suppressed by default (`suppressErrors: false`): a handler
 * that throws makes the webhook answer 5xx so the API delivers it again, and the redelivery runs
 * the handler again. Pass `{ suppressErrors: true }` to only log failures.
 */
export function OnPaymntEvent<E extends keyof PaymntEventPayloads>(
  event: E | readonly E[],
  options?: PaymntOnEventOptions,
): PaymntEventHandlerDecorator<PaymntEventPayloads[E]> {
  const merged = { suppressErrors: false, ...options };
  if (typeof event === 'string') return OnEvent(event, merged) as PaymntEventHandlerDecorator<PaymntEventPayloads[E]>;
  // One `@OnEvent(name)` per name. Never hand EventEmitter2 the array itself: it reads an array as
  // ONE namespaced event ('a.b' with wildcard, 'a,b' without), which no event ever matches.
  // `@OnEvent()` appends `{ event, options }` to the method's listener metadata, so applying it once
  // per name registers one listener per name.
  const decorators = [...new Set(event)].map((name) => OnEvent(name, merged));
  if (decorators.length === 0) throw new TypeError('@OnPaymntEvent(): give at least one event name');
  return ((target, propertyKey, descriptor) => {
    for (const decorator of decorators) decorator(target, propertyKey, descriptor);
    return descriptor;
  }) as PaymntEventHandlerDecorator<PaymntEventPayloads[E]>;
}
