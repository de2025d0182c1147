import type { OpenUnion, Timestamp } from './common';
import type { EventType, KnownEventType } from './webhook-event';

/** The kind of object an event is about (HS's `EventClass`). */
export const EVENT_CLASSES = ['payments', 'refunds', 'disputes', 'mandates', 'payouts', 'subscriptions'] as const;
export type KnownEventClass = (typeof EVENT_CLASSES)[number];
export type EventClass = OpenUnion<KnownEventClass>;

/** Why a delivery attempt was made (HS's `WebhookDeliveryAttempt`). */
export type WebhookDeliveryAttemptKind = OpenUnion<'initial_attempt' | 'automatic_retry' | 'manual_retry'>;

/**
 * Filters of `client.events.list` (HS's `EventListConstraints`). `object_id` and `event_id` are
 * lookups of their own: the API refuses them together with paging, time or type filters.
 */
export interface EventListParams {
  /** Events created at or after this ISO-8601 time (at most 90 days ago). */
  created_after?: Timestamp;
  /** Events created at or before this ISO-8601 time. */
  created_before?: Timestamp;
  /** Page size, 0..100. @default 100 */
  limit?: number;
  /** Events to skip (newest first). */
  offset?: number;
  /** The events of one object (payment id, refund id...). */
  object_id?: string;
  /** One event by its id. */
  event_id?: string;
  /** Only this profile's events. */
  profile_id?: string;
  /** Event classes; they add all their types unless `event_types` names one of them. */
  event_classes?: KnownEventClass[];
  /** Event types; they must belong to `event_classes` when both are given. */
  event_types?: KnownEventType[];
  /** `false`: events no attempt has delivered yet (e.g. during an outage of your endpoint). */
  is_delivered?: boolean;
}

/** One event of the list (HS's `EventListItemResponse`): the initial delivery attempt. */
export interface EventListItem {
  event_id: string;
  merchant_id: string;
  profile_id: string;
  /** The payment, refund... the event is about. */
  object_id: string;
  event_type: EventType;
  event_class: EventClass;
  /** Whether some attempt got a 2xx; null or false while none did. */
  is_delivery_successful: boolean | null;
  /** Equals `event_id` for an initial attempt. */
  initial_attempt_id: string;
  processor_merchant_id?: string | null;
  created: Timestamp;
}

/** `POST /events/{merchant_id}` (HS's `TotalEventsResponse`). */
export interface EventListResponse {
  events: EventListItem[];
  /** How many events match the filters, over all pages. */
  total_count: number;
}

/** One delivery attempt of an event (HS's `EventRetrieveResponse`). */
export interface EventDeliveryAttempt extends EventListItem {
  /** What was sent: the exact body (verify signatures against it) and headers as `[name, value]` pairs. */
  request: { body: string; headers: Array<[string, string]> };
  /** What your endpoint answered; `error_message` is set for network errors and timeouts. */
  response: {
    body: string | null;
    headers: Array<[string, string]> | null;
    status_code: number | null;
    error_message: string | null;
  };
  delivery_attempt: WebhookDeliveryAttemptKind | null;
}
