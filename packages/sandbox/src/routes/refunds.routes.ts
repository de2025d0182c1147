import { ApiError } from '../http/api-error';
import { parseDateTime, parseQuery } from '../http/query';
import { jsonResult, type RequestContext, type RouteDef } from '../http/route-types';
import type { Caller } from '../state/payment-service';
import type { RefundStatus } from '../state/records';
import { REFUND_STATUS_FILTER, refundListSchema, refundRequestSchema, refundUpdateSchema } from '../schema/request-schemas';
import type { SandboxApp } from '../sandbox-app';

type Body = Record<string, unknown>;
const caller = (ctx: RequestContext): Caller => ctx.caller as Caller;
const body = (ctx: RequestContext): Body => (ctx.body ?? {}) as Body;

function time(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const ms = parseDateTime(String(value));
  if (ms === undefined) throw ApiError.json(`Json deserialize error: invalid value: string ${JSON.stringify(value)}, expected an ISO 8601 date-time for \`${field}\``);
  return ms;
}

export const refundRoutes: RouteDef<SandboxApp>[] = [
  {
    method: 'POST',
    pattern: '/refunds',
    auth: 'secret',
    body: refundRequestSchema,
    idempotent: true,
    faultable: true,
    handle: async (ctx, app) => jsonResult(200, await app.refunds.create(caller(ctx), body(ctx))),
  },
  {
    method: 'POST',
    pattern: '/refunds/list',
    auth: 'secret',
    body: refundListSchema,
    faultable: true,
    handle: (ctx, app) => {
      const b = body(ctx);
      const statuses = (b.refund_status as string[] | null | undefined)?.map((s) => REFUND_STATUS_FILTER[s] as RefundStatus);
      return jsonResult(
        200,
        app.refunds.list(caller(ctx), {
          payment_id: b.payment_id as string | undefined,
          refund_id: b.refund_id as string | undefined,
          profile_id: b.profile_id as string | undefined,
          limit: b.limit as number | undefined,
          offset: b.offset as number | undefined,
          startMs: time(b.start_time, 'start_time'),
          endMs: time(b.end_time, 'end_time'),
          amount_filter: b.amount_filter as { start_amount?: number; end_amount?: number } | undefined,
          connector: b.connector as string[] | undefined,
          merchant_connector_id: b.merchant_connector_id as string[] | undefined,
          currency: b.currency as string[] | undefined,
          statuses,
        }),
      );
    },
  },
  {
    method: 'GET',
    pattern: '/refunds/:id',
    auth: 'secret',
    faultable: true,
    handle: (ctx, app) => {
      parseQuery(ctx.url.searchParams, { force_sync: 'bool', merchant_connector_details: 'string', all_keys_required: 'bool' }, false);
      return jsonResult(200, app.refunds.retrieve(caller(ctx), ctx.params.id as string));
    },
  },
  {
    method: 'POST',
    pattern: '/refunds/:id',
    auth: 'secret',
    body: refundUpdateSchema,
    idempotent: true,
    faultable: true,
    handle: async (ctx, app) => jsonResult(200, await app.refunds.update(caller(ctx), ctx.params.id as string, body(ctx))),
  },
];
