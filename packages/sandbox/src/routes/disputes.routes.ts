import { DISPUTE_STAGES, DISPUTE_STATUSES } from '@paymnt/client';
import { QueryError } from '../http/api-error';
import { oneOf } from '../http/deserialize';
import { parseMultipart } from '../http/multipart';
import { parseQuery } from '../http/query';
import { jsonResult, type RequestContext, type RouteDef } from '../http/route-types';
import type { DisputeListFilter } from '../state/dispute-service';
import type { Caller } from '../state/payment-service';
import { deleteEvidenceSchema, submitEvidenceSchema } from '../schema/request-schemas';
import type { SandboxApp } from '../sandbox-app';

type Body = Record<string, unknown>;
const caller = (ctx: RequestContext): Caller => ctx.caller as Caller;
const body = (ctx: RequestContext): Body => (ctx.body ?? {}) as Body;

/** serde's refusal of an enum value in a query string. */
function variant(value: string | undefined, variants: readonly string[]): string | undefined {
  if (value !== undefined && !variants.includes(value)) throw new QueryError(`unknown variant \`${value}\`, ${oneOf(variants)}`);
  return value;
}

/** HS's `DisputeListConstraints` (deny_unknown_fields): one value per filter, `received_time.*` on `created_at`. */
function listFilter(params: URLSearchParams): DisputeListFilter {
  const q = parseQuery(
    params,
    {
      limit: 'u32',
      profile_id: 'string',
      dispute_status: 'string',
      dispute_stage: 'string',
      reason: 'string',
      connector: 'string',
      received_time: 'datetime',
      'received_time.lt': 'datetime',
      'received_time.gt': 'datetime',
      'received_time.lte': 'datetime',
      'received_time.gte': 'datetime',
    },
    true,
  );
  return {
    ...(q as Omit<DisputeListFilter, 'dispute_status' | 'dispute_stage'>),
    dispute_status: variant(q.dispute_status as string | undefined, DISPUTE_STATUSES),
    dispute_stage: variant(q.dispute_stage as string | undefined, DISPUTE_STAGES),
  };
}

export const disputeRoutes: RouteDef<SandboxApp>[] = [
  {
    method: 'GET',
    pattern: '/disputes/list',
    auth: 'secret',
    faultable: true,
    handle: (ctx, app) => jsonResult(200, app.disputes.list(caller(ctx), listFilter(ctx.url.searchParams))),
  },
  {
    method: 'GET',
    pattern: '/disputes/:id',
    auth: 'secret',
    faultable: true,
    handle: (ctx, app) => {
      parseQuery(ctx.url.searchParams, { force_sync: 'bool' }, false);
      return jsonResult(200, app.disputes.retrieve(caller(ctx), ctx.params.id as string));
    },
  },
  {
    method: 'POST',
    pattern: '/disputes/accept/:id',
    auth: 'secret',
    idempotent: true,
    faultable: true,
    handle: async (ctx, app) => jsonResult(200, await app.disputes.accept(caller(ctx), ctx.params.id as string)),
  },
  {
    method: 'POST',
    pattern: '/disputes/evidence',
    auth: 'secret',
    body: submitEvidenceSchema,
    idempotent: true,
    faultable: true,
    handle: async (ctx, app) => jsonResult(200, await app.disputes.submitEvidence(caller(ctx), body(ctx))),
  },
  {
    method: 'PUT',
    pattern: '/disputes/evidence',
    auth: 'secret',
    faultable: true,
    handle: async (ctx, app) => {
      const parts = parseMultipart(ctx.headers['content-type'], ctx.rawBody ?? Buffer.alloc(0));
      return jsonResult(200, await app.disputes.attachEvidence(caller(ctx), parts));
    },
  },
  {
    method: 'GET',
    pattern: '/disputes/evidence/:id',
    auth: 'secret',
    faultable: true,
    handle: (ctx, app) => jsonResult(200, app.disputes.retrieveEvidence(caller(ctx), ctx.params.id as string)),
  },
  {
    method: 'DELETE',
    pattern: '/disputes/evidence',
    auth: 'secret',
    body: deleteEvidenceSchema,
    faultable: true,
    // HS answers `StatusOk`: 200 with an empty body.
    handle: async (ctx, app) => {
      await app.disputes.deleteEvidence(caller(ctx), body(ctx));
      return { status: 200, body: '' };
    },
  },
];
