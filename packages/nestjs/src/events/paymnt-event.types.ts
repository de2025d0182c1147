import type { DisputeEventType, MandateEventType, PaymentEventType, RefundEventType } from '@paymnt/client';
import type { DisputeEvent } from './dispute.event';
import type { MandateEvent } from './mandate.event';
import type { PaymentEvent } from './payment.event';
import type { OtherEventType } from './paymnt-events';
import type { PaymntResourceEvent } from './paymnt-resource.event';
import type { RefundEvent } from './refund.event';

/** Where a domain event was learned: a verified webhook, or the result of a service call. */
export type PaymntEventSource = 'webhook' | 'api';

/** Payload type of each domain event name, and of the `'paymnt.*'` wildcard. */
export type PaymntEventPayloads = {
  [K in PaymentEventType as `paymnt.${K}`]: PaymentEvent<K>;
} & {
  [K in RefundEventType as `paymnt.${K}`]: RefundEvent<K>;
} & {
  [K in MandateEventType as `paymnt.${K}`]: MandateEvent<K>;
} & {
  [K in DisputeEventType as `paymnt.${K}`]: DisputeEvent<K>;
} & {
  [K in OtherEventType as `paymnt.${K}`]: PaymntResourceEvent<K>;
} & {
  'paymnt.*': AnyPaymntEvent;
};

/** Any payment event, discriminated by `type`. */
export type AnyPaymentEvent = { [K in PaymentEventType]: PaymentEvent<K> }[PaymentEventType];

/** Any refund event, discriminated by `type`. */
export type AnyRefundEvent = { [K in RefundEventType]: RefundEvent<K> }[RefundEventType];

/** Any mandate event, discriminated by `type`. */
export type AnyMandateEvent = { [K in MandateEventType]: MandateEvent<K> }[MandateEventType];

/** Any dispute event, discriminated by `type`. */
export type AnyDisputeEvent = { [K in DisputeEventType]: DisputeEvent<K> }[DisputeEventType];

/** Any domain event, discriminated by `type` (what a `'paymnt.*'` handler receives). */
export type AnyPaymntEvent =
  | AnyPaymentEvent
  | AnyRefundEvent
  | AnyMandateEvent
  | AnyDisputeEvent
  | { [K in OtherEventType]: PaymntResourceEvent<K> }[OtherEventType];

/** @deprecated Renamed `AnyPaymntEvent` (next to `AnyPaymentEvent`; `PaymntEvent` was one letter from `PaymentEvent`); this alias goes in the next minor version. */
export type PaymntEvent = AnyPaymntEvent;
