import { ApiError, QueryError } from '../http/api-error';
import { parseQuery } from '../http/query';
import { jsonResult, type RequestContext, type RouteDef } from '../http/route-types';
import type { Caller } from '../state/payment-service';
import { customerRequestSchema, customerUpdateSchema } from '../schema/request-schemas';
import type { SandboxApp } from '../sandbox-app';

type Body = Record<string, unknown>;
const caller = (ctx: RequestContext): Caller => ctx.caller as Caller;
const body = (ctx: RequestContext): Body => (ctx.body ?? {}) as Body;

/** HS's `CustomerListRequest`: `limit` is a u16, `offset` a u32; other query keys are ignored. */
function listQuery(ctx: RequestContext): { limit?: number; offset?: number; customer_id?: string } {
  const q = parseQuery(ctx.url.searchParams, { offset: 'u32', limit: 'u32', customer_id: 'string' }, false);
  if (typeof q.limit === 'number' && q.limit > 65_535) throw new QueryError('number too large to fit in target type');
  return { limit: q.limit as number | undefined, offset: q.offset as number | undefined, customer_id: q.customer_id as string | undefined };
}

export const customerRoutes: RouteDef<SandboxApp>[] = [
  {
    method: 'POST',
    pattern: '/customers',
    auth: 'secret',
    body: customerRequestSchema,
    idempotent: true,
    faultable: true,
    handle: (ctx, app) => jsonResult(200, app.customers.create(caller(ctx), body(ctx))),
  },
  {
    method: 'GET',
    pattern: '/customers/list',
    auth: 'secret',
    faultable: true,
    handle: (ctx, app) => jsonResult(200, app.customers.list(caller(ctx), listQuery(ctx))),
  },
  {
    method: 'GET',
    pattern: '/customers/:id/payment_methods',
    auth: 'secret',
    faultable: true,
    handle: (ctx, app) => jsonResult(200, app.paymentMethods.listForCustomer(caller(ctx), ctx.params.id as string)),
  },
  {
    method: 'GET',
    pattern: '/customers/:id',
    auth: 'secret',
    faultable: true,
    handle: (ctx, app) => jsonResult(200, app.customers.retrieve(caller(ctx), ctx.params.id as string)),
  },
  {
    method: 'POST',
    pattern: '/customers/:id',
    auth: 'secret',
    body: customerUpdateSchema,
    idempotent: true,
    faultable: true,
    handle: (ctx, app) => jsonResult(200, app.customers.update(caller(ctx), ctx.params.id as string, body(ctx))),
  },
  {
    method: 'DELETE',
    pattern: '/customers/:id',
    auth: 'secret',
    faultable: true,
    handle: (ctx, app) => {
      const c = caller(ctx);
      const customerId = ctx.params.id as string;
      // HS refuses to delete a customer with an active mandate, and deletes the saved methods with the customer.
      if (!c.publishable && app.mandates.hasActive(c.merchant.merchantId, customerId)) throw ApiError.customerHasActiveMandate();
      const deleted = app.customers.delete(c, customerId);
      app.paymentMethods.deleteForCustomer(c.merchant.merchantId, customerId);
      return jsonResult(200, deleted);
    },
  },
];
