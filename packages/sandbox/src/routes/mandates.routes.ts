import { QueryError } from '../http/api-error';
import { oneOf } from '../http/deserialize';
import { parseQuery } from '../http/query';
import { jsonResult, type RequestContext, type RouteDef } from '../http/route-types';
import type { SandboxApp } from '../sandbox-app';
import type { MandateListFilter } from '../state/mandate-service';
import type { Caller } from '../state/payment-service';

const caller = (ctx: RequestContext): Caller => ctx.caller as Caller;

/** `MandateListConstraints` (unknown fields rejected). */
const LIST_QUERY = {
  limit: 'u32',
  offset: 'u32',
  mandate_status: 'string',
  connector: 'string',
  created_time: 'datetime',
  'created_time.lt': 'datetime',
  'created_time.gt': 'datetime',
  'created_time.lte': 'datetime',
  'created_time.gte': 'datetime',
} as const;

const MANDATE_STATUSES = ['active', 'inactive', 'pending', 'revoked'];

function listQuery(ctx: RequestContext): MandateListFilter {
  const q = parseQuery(ctx.url.searchParams, LIST_QUERY, true);
  const status = q.mandate_status;
  if (typeof status === 'string' && !MANDATE_STATUSES.includes(status)) throw new QueryError(`unknown variant \`${status}\`, ${oneOf(MANDATE_STATUSES)}`);
  return q as MandateListFilter;
}

/** HS's `/mandates` scope and `GET /customers/{customer_id}/mandates`. */
export const mandateRoutes: RouteDef<SandboxApp>[] = [
  {
    method: 'GET',
    pattern: '/mandates/list',
    auth: 'secret',
    faultable: true,
    handle: (ctx, app) => jsonResult(200, app.mandates.list(caller(ctx), listQuery(ctx))),
  },
  {
    method: 'GET',
    pattern: '/mandates/:id',
    auth: 'secret',
    faultable: true,
    handle: (ctx, app) => jsonResult(200, app.mandates.retrieve(caller(ctx), ctx.params.id as string)),
  },
  {
    method: 'POST',
    pattern: '/mandates/revoke/:id',
    auth: 'secret',
    idempotent: true,
    faultable: true,
    handle: (ctx, app) => jsonResult(200, app.mandates.revoke(caller(ctx), ctx.params.id as string)),
  },
  {
    method: 'GET',
    pattern: '/customers/:id/mandates',
    auth: 'secret',
    faultable: true,
    handle: (ctx, app) => jsonResult(200, app.mandates.listForCustomer(caller(ctx), ctx.params.id as string)),
  },
];
