/**
 * Sandbox control routes for disputes (the processor's side, which HS learns from connector
 * webhooks): open a dispute on a payment that captured money, and give a verdict.
 */
import { jsonResult, type RequestContext, type RouteDef } from '../http/route-types';
import type { Caller } from '../state/payment-service';
import { openDisputeSchema, settleDisputeSchema } from '../schema/request-schemas';
import type { SandboxApp } from '../sandbox-app';

const merchantId = (ctx: RequestContext): string => (ctx.caller as Caller).merchant.merchantId;

export const disputeControlRoutes: RouteDef<SandboxApp>[] = [
  {
    method: 'POST',
    pattern: '/__sandbox/disputes',
    auth: 'control',
    body: openDisputeSchema,
    handle: (ctx, app) => {
      const b = ctx.body as { payment_id: string; amount?: number | null; reason?: string | null };
      return jsonResult(201, app.disputes.open(merchantId(ctx), b.payment_id, { amount: b.amount ?? undefined, reason: b.reason }));
    },
  },
  {
    method: 'POST',
    pattern: '/__sandbox/disputes/:id',
    auth: 'control',
    body: settleDisputeSchema,
    handle: async (ctx, app) => {
      const b = ctx.body as { status: string };
      return jsonResult(200, await app.disputes.settle(merchantId(ctx), ctx.params.id as string, b.status));
    },
  },
];
