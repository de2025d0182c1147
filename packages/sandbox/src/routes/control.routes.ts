/**
 * The sandbox's own control routes (never subject to faults, authenticated with any merchant's
 * secret api key): fault rules and stats, webhook delivery switch and URLs, counters.
 */
import { ApiError } from '../http/api-error';
import { jsonResult, type RequestContext, type RouteDef } from '../http/route-types';
import type { FaultRule } from '../faults/fault-types';
import type { Caller } from '../state/payment-service';
import type { SandboxApp } from '../sandbox-app';

function badRequest(message: string): ApiError {
  return new ApiError(400, 'IR_06', message);
}

function faultsState(app: SandboxApp): Record<string, unknown> {
  return { rules: app.faults.list(), stats: app.faults.stats() };
}

function webhookState(ctx: RequestContext, app: SandboxApp): Record<string, unknown> {
  const c = ctx.caller as Caller;
  return {
    enabled: app.webhooks.isEnabled(),
    profiles: c.merchant.profiles.map((p) => ({ profile_id: p.profileId, webhook_url: p.webhookUrl })),
  };
}

export const controlRoutes: RouteDef<SandboxApp>[] = [
  { method: 'GET', pattern: '/__sandbox/faults', auth: 'control', handle: (_ctx, app) => jsonResult(200, faultsState(app)) },
  {
    method: 'POST',
    pattern: '/__sandbox/faults',
    auth: 'control',
    body: 'any',
    handle: (ctx, app) => {
      const b = ctx.body as unknown;
      const input = Array.isArray(b) ? b : b && typeof b === 'object' && Array.isArray((b as { rules?: unknown }).rules) ? (b as { rules: unknown[] }).rules : [b];
      try {
        const added = app.faults.add(input as FaultRule[]);
        return jsonResult(201, { rules: added });
      } catch (err) {
        if (err instanceof TypeError) throw badRequest(err.message);
        throw err;
      }
    },
  },
  {
    method: 'DELETE',
    pattern: '/__sandbox/faults',
    auth: 'control',
    handle: (ctx, app) => {
      app.faults.clear();
      if (ctx.url.searchParams.get('stats') === 'true') app.faults.resetStats();
      return jsonResult(200, faultsState(app));
    },
  },
  {
    method: 'DELETE',
    pattern: '/__sandbox/faults/:id',
    auth: 'control',
    handle: (ctx, app) => {
      if (!app.faults.remove(ctx.params.id as string)) throw new ApiError(404, 'HE_02', 'Fault rule does not exist');
      return jsonResult(200, faultsState(app));
    },
  },
  { method: 'GET', pattern: '/__sandbox/webhooks', auth: 'control', handle: (ctx, app) => jsonResult(200, webhookState(ctx, app)) },
  {
    method: 'POST',
    pattern: '/__sandbox/webhooks',
    auth: 'control',
    body: 'any',
    handle: (ctx, app) => {
      const b = (ctx.body ?? {}) as Record<string, unknown>;
      if (typeof b !== 'object' || Array.isArray(b)) throw badRequest('body must be an object');
      const c = ctx.caller as Caller;
      if (b.enabled !== undefined) {
        if (typeof b.enabled !== 'boolean') throw badRequest('enabled must be a boolean');
        app.webhooks.setEnabled(b.enabled);
      }
      if (b.webhook_url !== undefined) {
        if (b.webhook_url !== null && (typeof b.webhook_url !== 'string' || !/^https?:\/\//.test(b.webhook_url))) {
          throw badRequest('webhook_url must be an http(s) URL or null');
        }
        const profileId = b.profile_id === undefined ? (c.merchant.profiles[0]?.profileId as string) : b.profile_id;
        const profile = c.merchant.profiles.find((p) => p.profileId === profileId);
        if (!profile) throw ApiError.profileNotFound(String(profileId));
        profile.webhookUrl = b.webhook_url as string | null;
      }
      return jsonResult(200, webhookState(ctx, app));
    },
  },
  { method: 'GET', pattern: '/__sandbox/stats', auth: 'control', handle: (_ctx, app) => jsonResult(200, { ...app.counters }) },
  {
    method: 'GET',
    pattern: '/health',
    auth: 'none',
    handle: () => ({ status: 200, body: 'health is good', contentType: 'text/plain; charset=utf-8' }),
  },
];
