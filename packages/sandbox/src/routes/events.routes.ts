/**
 * HS's events API for a merchant (or one of its profiles): list events, list the delivery
 * attempts of one, retry one manually. Shapes: TotalEventsResponse, EventRetrieveResponse.
 */
import { ApiError } from '../http/api-error';
import { parseDateTime } from '../http/query';
import { jsonResult, type RequestContext, type RouteDef } from '../http/route-types';
import type { Caller } from '../state/payment-service';
import { eventListSchema } from '../schema/request-schemas';
import type { SandboxApp } from '../sandbox-app';
import type { DeliveryAttemptRecord, WebhookEventRecord } from '../webhooks/webhook-dispatcher';

const EVENTS_LIST_MAX_LIMIT = 100;

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

/** `{merchant_id_or_profile_id}`: the caller's merchant id, or one of its profile ids. */
function scope(ctx: RequestContext): { merchantId: string; profileId?: string } {
  const c = ctx.caller as Caller;
  const target = ctx.params.merchant_id as string;
  if (target === c.merchant.merchantId) return { merchantId: target, profileId: c.profile?.profileId };
  const profile = c.merchant.profiles.find((p) => p.profileId === target);
  if (profile && (!c.profile || c.profile.profileId === profile.profileId)) return { merchantId: c.merchant.merchantId, profileId: profile.profileId };
  throw ApiError.unauthorized();
}

function findEvent(ctx: RequestContext, app: SandboxApp): WebhookEventRecord {
  const s = scope(ctx);
  const row = app.webhooks.attempt(ctx.params.event_id as string);
  const event = row ? app.webhooks.event(row.initialAttemptId) : undefined;
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
      const classes = b.event_classes as string[] | null | undefined;
      const types = b.event_types as string[] | null | undefined;
      const matches = app.webhooks.listEvents().filter((e) => {
        if (e.merchantId !== s.merchantId) return false;
        if (s.profileId && e.profileId !== s.profileId) return false;
        if (typeof b.profile_id === 'string' && e.profileId !== b.profile_id) return false;
        if (typeof b.object_id === 'string' && e.objectId !== b.object_id) return false;
        if (typeof b.event_id === 'string' && e.eventId !== b.event_id) return false;
        if (after !== undefined && e.createdMs < after) return false;
        if (before !== undefined && e.createdMs > before) return false;
        if (classes && classes.length > 0 && !classes.includes(e.eventClass)) return false;
        if (types && types.length > 0 && !types.includes(e.eventType)) return false;
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
      const event = findEvent(ctx, app);
      return jsonResult(200, app.webhooks.listAttempts(event.eventId).map(eventRetrieveItem));
    },
  },
  {
    method: 'POST',
    pattern: '/events/:merchant_id/:event_id/retry',
    auth: 'secret',
    faultable: true,
    handle: async (ctx, app) => {
      const event = findEvent(ctx, app);
      const row = await app.webhooks.retryManually(event);
      return jsonResult(200, eventRetrieveItem(row));
    },
  },
];
