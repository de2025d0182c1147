import { jsonResult, type RequestContext, type RouteDef } from '../http/route-types';
import { paymentMethodCreateSchema, paymentMethodUpdateSchema } from '../schema/request-schemas';
import type { SandboxApp } from '../sandbox-app';
import type { Caller } from '../state/payment-service';

type Body = Record<string, unknown>;
const caller = (ctx: RequestContext): Caller => ctx.caller as Caller;
const body = (ctx: RequestContext): Body => (ctx.body ?? {}) as Body;
const id = (ctx: RequestContext): string => ctx.params.id as string;

/** HS's `/payment_methods` scope (v1) and the customer's default method. */
export const paymentMethodRoutes: RouteDef<SandboxApp>[] = [
  {
    method: 'POST',
    pattern: '/payment_methods',
    auth: 'secret',
    body: paymentMethodCreateSchema,
    idempotent: true,
    faultable: true,
    handle: (ctx, app) => jsonResult(200, app.paymentMethods.create(caller(ctx), body(ctx))),
  },
  {
    method: 'GET',
    pattern: '/payment_methods/:id',
    auth: 'secret',
    faultable: true,
    handle: (ctx, app) => jsonResult(200, app.paymentMethods.retrieve(caller(ctx), id(ctx))),
  },
  {
    method: 'DELETE',
    pattern: '/payment_methods/:id',
    auth: 'secret',
    faultable: true,
    handle: (ctx, app) => jsonResult(200, app.paymentMethods.delete(caller(ctx), id(ctx))),
  },
  {
    method: 'POST',
    pattern: '/payment_methods/:id/update',
    auth: 'secret',
    body: paymentMethodUpdateSchema,
    idempotent: true,
    faultable: true,
    handle: (ctx, app) => jsonResult(200, app.paymentMethods.update(caller(ctx), id(ctx), body(ctx))),
  },
  {
    method: 'POST',
    pattern: '/customers/:customerId/payment_methods/:id/default',
    auth: 'secret',
    idempotent: true,
    faultable: true,
    handle: (ctx, app) => jsonResult(200, app.paymentMethods.setDefault(caller(ctx), ctx.params.customerId as string, id(ctx))),
  },
];
