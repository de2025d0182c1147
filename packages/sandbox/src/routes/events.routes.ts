/**
 * HS's events API for a merchant (or one of its profiles): list events, list the delivery
 * attempts of one, retry one manually. Shapes: TotalEventsResponse, EventRetrieveResponse.
 */
import { ApiError } from '../http/api-error';
import { parseDateTime } from '../http/query';
import { jsonResult, type RequestContext, type RouteDef } from '../http/route-types';
import type { Caller } from '../state/payment-service';
import { EVENT_TYPES } from '../schema/enums';
import { eventListSchema } from '../schema/request-schemas';
import type { SandboxApp } from '../sandbox-app';
import type { DeliveryAttemptRecord, WebhookEventRecord } from '../webhooks/webhook-dispatcher';

const EVENTS_LIST_MAX_LIMIT = 100;
const EVENTS_LIST_MAX_DAYS = 90;

export function eventListItem(e: WebhookEventRecord): Record<string, unknown> {
  return {
    event_id: e.eventId,
    merchant_id: e.merchantId,
    profile_id: e.profileId,
    object_id: e.objectId,
    event_type: e.eventType,
    event_class: e.eventClass,
    is_delivery_successful: e.isDeliverySuccessful,
    initial_attempt_id: e.eventId,
    processor_merchant_id: e.merchantId,
    created: e.created,
  };
}

export function eventRetrieveItem(a: DeliveryAttemptRecord): Record<string, unknown> {
  return {
    event_id: a.eventId,
    merchant_id: a.merchantId,
    profile_id: a.profileId,
    object_id: a.objectId,
    event_type: a.eventType,
    event_class: a.eventClass,
    is_delivery_successful: a.isDeliverySuccessful,
    initial_attempt_id: a.initialAttemptId,
    processor_merchant_id: a.merchantId,
    created: a.created,
    request: { body: a.request.body, headers: a.request.headers },
    response: {
      body: a.response.body,
      headers: a.response.headers,
      status_code: a.response.status_code,
      error_message: a.response.error_message,
    },
    delivery_attempt: a.deliveryAttempt,
  };
}

/**
 * HS (current) takes a merchant id in the path; another merchant's id is refused (HS: admin or
 * dashboard auth of that merchant; here the caller's secret key). `x-profile-id` narrows the scope
 * to that profile, as it does for the other list endpoints.
 */
function scope(ctx: RequestContext): { merchantId: string; profileId?: string } {
  const c = ctx.caller as Caller;
  if (ctx.params.merchant_id !== c.merchant.merchantId) throw ApiError.unauthorized();
  return { merchantId: c.merchant.merchantId, profileId: c.profile?.profileId };
}

/** HS's `EventClass::event_types`. */
function eventTypesOfClass(eventClass: string): string[] {
  const prefix: Record<string, (t: string) => boolean> = {
    payments: (t) => t.startsWith('payment_') || t === 'action_required',
    refunds: (t) => t.startsWith('refund_'),
    disputes: (t) => t.startsWith('dispute_'),
    mandates: (t) => t.startsWith('mandate_'),
    payouts: (t) => t.startsWith('payout_'),
    subscriptions: (t) => t === 'invoice_paid',
  };
  return EVENT_TYPES.filter((t) => prefix[eventClass]?.(t) ?? false);
}

/**
 * HS's `finalize_event_types`: the classes add all their types unless `event_types` already names
 * one of them; the result must stay within the classes.
 */
function finalizeEventTypes(classes: string[], types: string[]): Set<string> {
  const possible = new Set(classes.flatMap(eventTypesOfClass));
  if (types.length === 0) return possible;
  const result = new Set(types);
  for (const c of classes) {
    const ofClass = eventTypesOfClass(c);
    if (!ofClass.some((t) => result.has(t))) ofClass.forEach((t) => result.add(t));
  }
  if ([...result].some((t) => !possible.has(t))) {
    throw ApiError.invalidRequestData('`event_types` must be a subset of `event_classes`');
  }
  return result;
}

/** HS lists at most the last 90 days (from midnight UTC). */
function listWindowStart(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - EVENTS_LIST_MAX_DAYS * 86_400_000;
}

const GENERIC_FILTERS = ['created_after', 'created_before', 'limit', 'offset', 'event_classes', 'event_types'] as const;

/**
 * The event an id names. `attempts` takes the initial attempt id only (HS lists by
 * `initial_attempt_id`); `retry` takes any attempt id and retries its event.
 */
function findEvent(ctx: RequestContext, app: SandboxApp, anyAttempt: boolean): WebhookEventRecord {
  const s = scope(ctx);
  const id = ctx.params.event_id as string;
  const row = app.webhooks.attempt(id);
  const event = row && (anyAttempt || row.initialAttemptId === id) ? app.webhooks.event(row.initialAttemptId) : undefined;
  if (!event || event.merchantId !== s.merchantId || (s.profileId && event.profileId !== s.profileId)) throw ApiError.eventNotFound();
  return event;
}

export const eventRoutes: RouteDef<SandboxApp>[] = [
  {
    method: 'POST',
    pattern: '/events/:merchant_id',
    auth: 'secret',
    body: eventListSchema,
    faultable: true,
    handle: (ctx, app) => {
      const s = scope(ctx);
      const b = (ctx.body ?? {}) as Record<string, unknown>;
      const has = (k: string): boolean => b[k] !== undefined && b[k] !== null;
      // HS: `object_id` (or `event_id`) is a lookup of its own, not combinable with paging or time filters.
      for (const single of ['object_id', 'event_id']) {
        if (has(single) && GENERIC_FILTERS.some(has)) {
          throw ApiError.preconditionFailed(
            `Either only \`${single}\` must be specified, or one or more of \`created_after\`, \`created_before\`, \`limit\`, \`offset\`, \`event_classes\` and \`event_types\` must be specified`,
          );
        }
      }
      const profileFilter = has('profile_id') ? String(b.profile_id) : undefined;
      if (profileFilter !== undefined && !(ctx.caller as Caller).merchant.profiles.some((p) => p.profileId === profileFilter)) {
        throw ApiError.profileNotFound(profileFilter);
      }
      const inScope = (e: WebhookEventRecord): boolean =>
        e.merchantId === s.merchantId &&
        (!s.profileId || e.profileId === s.profileId) &&
        (profileFilter === undefined || e.profileId === profileFilter);

      if (has('object_id') || has('event_id')) {
        const matches = app.webhooks
          .listEvents()
          .filter((e) => inScope(e) && (has('event_id') ? e.eventId === b.event_id : e.objectId === b.object_id))
          .sort((a, z) => z.createdMs - a.createdMs);
        return jsonResult(200, { events: matches.map(eventListItem), total_count: matches.length });
      }

      const limit = (b.limit as number | null | undefined) ?? EVENTS_LIST_MAX_LIMIT;
      if (limit > EVENTS_LIST_MAX_LIMIT) {
        throw ApiError.invalidRequestData(`\`limit\` must be a number less than ${EVENTS_LIST_MAX_LIMIT}`);
      }
      const offset = (b.offset as number | null | undefined) ?? 0;
      const after = b.created_after == null ? undefined : parseDateTime(String(b.created_after));
      const before = b.created_before == null ? undefined : parseDateTime(String(b.created_before));
      if ((b.created_after != null && after === undefined) || (b.created_before != null && before === undefined)) {
        throw ApiError.json('Json deserialize error: invalid date-time in `created_after` / `created_before`');
      }
      if (after !== undefined && before !== undefined && after > before) {
        throw ApiError.invalidRequestData(
          'The `created_after` timestamp must be an earlier timestamp compared to the `created_before` timestamp',
        );
      }
      const windowStart = listWindowStart(Date.now());
      if (after !== undefined && after < windowStart) {
        throw ApiError.invalidRequestData(`\`created_after\` must be a timestamp within the past ${EVENTS_LIST_MAX_DAYS} days.`);
      }
      if (before !== undefined && before < windowStart) {
        throw ApiError.invalidRequestData(`\`created_before\` must be a timestamp within the past ${EVENTS_LIST_MAX_DAYS} days.`);
      }
      const classes = (b.event_classes as string[] | null | undefined) ?? [];
      const requestedTypes = (b.event_types as string[] | null | undefined) ?? [];
      const types = classes.length > 0 ? finalizeEventTypes(classes, requestedTypes) : new Set(requestedTypes);
      const matches = app.webhooks.listEvents().filter((e) => {
        if (!inScope(e)) return false;
        if (e.createdMs < (after ?? windowStart)) return false;
        if (before !== undefined && e.createdMs > before) return false;
        if (types.size > 0 && !types.has(e.eventType)) return false;
        // `is_overall_delivery_successful`: an event never attempted (webhooks off) counts as not delivered.
        if (typeof b.is_delivered === 'boolean' && (e.isDeliverySuccessful === true) !== b.is_delivered) return false;
        return true;
      });
      const sorted = [...matches].sort((a, z) => z.createdMs - a.createdMs);
      const events = sorted.slice(offset, offset + limit).map(eventListItem);
      return jsonResult(200, { events, total_count: matches.length });
    },
  },
  {
    method: 'GET',
    pattern: '/events/:merchant_id/:event_id/attempts',
    auth: 'secret',
    faultable: true,
    handle: (ctx, app) => {
      const event = findEvent(ctx, app, false);
      return jsonResult(200, app.webhooks.listAttempts(event.eventId).map(eventRetrieveItem));
    },
  },
  {
    method: 'POST',
    pattern: '/events/:merchant_id/:event_id/retry',
    auth: 'secret',
    faultable: true,
    handle: async (ctx, app) => {
      const event = findEvent(ctx, app, true);
      const row = await app.webhooks.retryManually(event);
      return jsonResult(200, eventRetrieveItem(row));
    },
  },
];
