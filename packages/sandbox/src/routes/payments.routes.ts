import { ApiError } from '../http/api-error';
import { parseQuery } from '../http/query';
import { jsonResult, type RequestContext, type RouteDef } from '../http/route-types';
import type { Caller } from '../state/payment-service';
import {
  paymentsCancelPostCaptureSchema,
  paymentsCancelSchema,
  paymentsCaptureSchema,
  paymentsIncrementalAuthorizationSchema,
  paymentsRequestSchema,
} from '../schema/request-schemas';
import { checkMaxLengths, PAYMENTS_REQUEST_MAX_LENGTHS } from '../schema/request-lengths';
import type { SandboxApp } from '../sandbox-app';

type Body = Record<string, unknown>;

const caller = (ctx: RequestContext): Caller => ctx.caller as Caller;
const body = (ctx: RequestContext): Body => (ctx.body ?? {}) as Body;
const id = (ctx: RequestContext): string => ctx.params.id as string;
/** A PaymentsRequest body after HS's route-level `payload.validate()` (ValidateSchema lengths). */
const paymentsRequest = (ctx: RequestContext): Body => {
  const b = body(ctx);
  checkMaxLengths(b, PAYMENTS_REQUEST_MAX_LENGTHS);
  return b;
};

/** `GET /payments/list` query (`PaymentListConstraints`, unknown fields rejected). */
const LIST_QUERY = {
  customer_id: 'string',
  starting_after: 'string',
  ending_before: 'string',
  limit: 'u32',
  created: 'datetime',
  'created.lt': 'datetime',
  'created.gt': 'datetime',
  'created.lte': 'datetime',
  'created.gte': 'datetime',
} as const;

const RETRIEVE_QUERY = {
  force_sync: 'bool',
  client_secret: 'string',
  expand_attempts: 'bool',
  expand_captures: 'bool',
  all_keys_required: 'bool',
  merchant_id: 'string',
  param: 'string',
  connector: 'string',
} as const;

async function retrieve(ctx: RequestContext, app: SandboxApp) {
  const q = parseQuery(ctx.url.searchParams, RETRIEVE_QUERY, false);
  return jsonResult(
    200,
    await app.payments.retrieve(caller(ctx), id(ctx), {
      clientSecret: q.client_secret as string | undefined,
      forceSync: q.force_sync as boolean | undefined,
      expandAttempts: q.expand_attempts === true,
      expandCaptures: q.expand_captures === true,
    }),
  );
}

function list(ctx: RequestContext, app: SandboxApp) {
  const q = parseQuery(ctx.url.searchParams, LIST_QUERY, true);
  const limit = (q.limit as number | undefined) ?? 10;
  if (limit < 1 || limit > 100) throw ApiError.invalidRequestData('limit should be in between 1 and 100');
  const c = caller(ctx);
  const anchor = (paymentId: string | undefined): number | undefined => {
    if (paymentId === undefined) return undefined;
    return app.payments.find(c, paymentId).createdMs;
  };
  // Inclusive bounds, as HS's list query builds them (`>=` / `<=`): not Stripe cursors.
  const after = anchor(q.starting_after as string | undefined);
  const before = anchor(q.ending_before as string | undefined);
  const profileId = c.profile?.profileId;
  const matches = app.store.allPayments().filter((p) => {
    if (p.merchantId !== c.merchant.merchantId) return false;
    if (profileId && p.profileId !== profileId) return false;
    if (q.customer_id !== undefined && p.customerId !== q.customer_id) return false;
    if (after !== undefined && p.createdMs < after) return false;
    if (before !== undefined && p.createdMs > before) return false;
    if (q.created !== undefined && p.createdMs !== q.created) return false;
    if (q['created.lt'] !== undefined && !(p.createdMs < (q['created.lt'] as number))) return false;
    if (q['created.gt'] !== undefined && !(p.createdMs > (q['created.gt'] as number))) return false;
    if (q['created.lte'] !== undefined && !(p.createdMs <= (q['created.lte'] as number))) return false;
    if (q['created.gte'] !== undefined && !(p.createdMs >= (q['created.gte'] as number))) return false;
    return true;
  });
  matches.sort((a, b) => b.createdMs - a.createdMs || b.seq - a.seq);
  const data = matches.slice(0, limit).map((p) => app.payments.view(p));
  return jsonResult(200, { size: data.length, data });
}

export const paymentRoutes: RouteDef<SandboxApp>[] = [
  {
    method: 'POST',
    pattern: '/payments',
    auth: 'secret',
    body: paymentsRequestSchema,
    idempotent: true,
    faultable: true,
    handle: async (ctx, app) => jsonResult(200, await app.payments.create(caller(ctx), paymentsRequest(ctx))),
  },
  { method: 'GET', pattern: '/payments/list', auth: 'secret', faultable: true, handle: list },
  {
    // HS serves the filtered list only to dashboard (JWT) users.
    method: 'POST',
    pattern: '/payments/list',
    auth: 'secret',
    body: 'any',
    faultable: true,
    handle: () => {
      throw new ApiError(401, 'IR_17', 'Access forbidden, invalid JWT token was used');
    },
  },
  { method: 'GET', pattern: '/payments/:id', auth: 'secret_or_publishable', faultable: true, handle: retrieve },
  {
    method: 'POST',
    pattern: '/payments/:id',
    auth: 'secret',
    body: paymentsRequestSchema,
    idempotent: true,
    faultable: true,
    handle: async (ctx, app) => jsonResult(200, await app.payments.update(caller(ctx), id(ctx), paymentsRequest(ctx))),
  },
  {
    method: 'POST',
    pattern: '/payments/:id/confirm',
    auth: 'secret_or_publishable',
    body: paymentsRequestSchema,
    idempotent: true,
    faultable: true,
    handle: async (ctx, app) => jsonResult(200, await app.payments.confirm(caller(ctx), id(ctx), paymentsRequest(ctx))),
  },
  {
    method: 'POST',
    pattern: '/payments/:id/capture',
    auth: 'secret',
    body: paymentsCaptureSchema,
    idempotent: true,
    faultable: true,
    handle: async (ctx, app) => jsonResult(200, await app.payments.capture(caller(ctx), id(ctx), body(ctx))),
  },
  {
    method: 'POST',
    pattern: '/payments/:id/cancel',
    auth: 'secret',
    body: paymentsCancelSchema,
    idempotent: true,
    faultable: true,
    handle: async (ctx, app) => jsonResult(200, await app.payments.cancel(caller(ctx), id(ctx), body(ctx))),
  },
  {
    method: 'POST',
    pattern: '/payments/:id/cancel_post_capture',
    auth: 'secret',
    body: paymentsCancelPostCaptureSchema,
    idempotent: true,
    faultable: true,
    handle: async (ctx, app) => jsonResult(200, await app.payments.cancelPostCapture(caller(ctx), id(ctx), body(ctx))),
  },
  { method: 'GET', pattern: '/payments/:id/cancel_post_capture', auth: 'secret', faultable: true, handle: retrieve },
  {
    method: 'POST',
    pattern: '/payments/:id/incremental_authorization',
    auth: 'secret',
    body: paymentsIncrementalAuthorizationSchema,
    idempotent: true,
    faultable: true,
    handle: async (ctx, app) => jsonResult(200, await app.payments.incrementalAuthorization(caller(ctx), id(ctx), body(ctx))),
  },
];
