/**
 * The request pipeline, in HS's order where it matters:
 * route (404/405) → faults "before" → body (413, Content-Type, JSON: 400 `error_type`) → api-key
 * auth (401) → Idempotency-Key (sandbox policy) → handler → faults "after" → response.
 * Nothing a client sends can crash it: unexpected exceptions become 500 HE_00 and are counted.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { ApiError, QueryError } from './api-error';
import { parseJsonBody, readBody } from './body';
import type { HandlerResult, RequestContext, RouteDef } from './route-types';
import type { Router } from './router';
import type { FaultSpec } from '../faults/fault-types';
import { fingerprint, idempotencyScope } from '../idempotency/idempotency-store';
import { newRequestId } from '../ids';
import type { Caller } from '../state/payment-service';
import type { SandboxApp } from '../sandbox-app';

type Route = RouteDef<SandboxApp>;

export interface PipelineHooks {
  /** Sockets held open by a `timeout` fault, destroyed on close(). */
  hanging: Set<Socket>;
  /** Pending latency timers, cleared on close(). */
  sleepers: Set<{ timer: NodeJS.Timeout; resolve: () => void }>;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function errorResult(err: unknown, app: SandboxApp): HandlerResult {
  if (err instanceof ApiError) {
    return { status: err.status, body: err.body(), contentType: 'application/json', headers: err.headers };
  }
  if (err instanceof QueryError) return { status: 400, body: err.message, contentType: 'text/plain; charset=utf-8' };
  app.counters.internalErrors++;
  app.log(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  const e = ApiError.internal();
  return { status: e.status, body: e.body(), contentType: 'application/json' };
}

/** Browsers (a checkout confirming with the publishable key) may call the sandbox from another origin. */
const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'idempotent-replayed, retry-after, x-request-id',
};

function send(res: ServerResponse, result: HandlerResult, requestId: string): void {
  if (res.headersSent || res.destroyed || res.writableEnded) return;
  const body = Buffer.from(result.body, 'utf8');
  const headers: Record<string, string | number> = {
    ...CORS_HEADERS,
    'content-length': body.length,
    'x-request-id': requestId,
    ...(result.contentType ? { 'content-type': result.contentType } : {}),
    ...(result.headers ?? {}),
  };
  res.writeHead(result.status, headers);
  res.end(body);
}

function authenticate(app: SandboxApp, route: Route, req: IncomingMessage): Caller | undefined {
  if (route.auth === 'none') return undefined;
  const key = header(req, 'api-key');
  if (!key) throw ApiError.unauthorized();
  let merchant = app.store.merchantBySecretKey(key);
  let publishable = false;
  if (!merchant) {
    merchant = app.store.merchantByPublishableKey(key);
    publishable = merchant !== undefined;
  }
  if (!merchant) throw ApiError.unauthorized();
  if (publishable && route.auth !== 'secret_or_publishable') throw ApiError.unauthorized();
  const profileHeader = header(req, 'x-profile-id');
  let profile;
  if (profileHeader !== undefined) {
    profile = merchant.profiles.find((p) => p.profileId === profileHeader);
    if (!profile) throw ApiError.unauthorized();
  }
  return { merchant, profile, publishable };
}

export function createPipeline(app: SandboxApp, router: Router<Route>, hooks: PipelineHooks) {
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          hooks.sleepers.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      hooks.sleepers.add(entry);
    });

  /** Applies a fault; true when it answered (or dropped) the request. */
  const applyFault = async (spec: FaultSpec, ruleId: string, req: IncomingMessage, res: ServerResponse, requestId: string): Promise<boolean> => {
    app.faults.record(spec, ruleId);
    app.counters.faultsInjected++;
    if ('latencyMs' in spec) {
      await sleep(spec.latencyMs);
      return false;
    }
    if ('status' in spec) {
      if (spec.status === 429) {
        const retryAfter = Math.ceil(spec.retryAfterSeconds ?? 1);
        send(
          res,
          {
            status: 429,
            body: JSON.stringify({ error: { type: 'invalid_request', message: 'Too many requests, please retry later', code: 'rate_limit_exceeded' } }),
            contentType: 'application/json',
            headers: { 'retry-after': String(retryAfter) },
          },
          requestId,
        );
      } else {
        const e = ApiError.internal();
        send(res, { status: spec.status, body: e.body(), contentType: 'application/json' }, requestId);
      }
      return true;
    }
    if ('timeout' in spec) {
      const socket = req.socket;
      hooks.hanging.add(socket);
      socket.once('close', () => hooks.hanging.delete(socket));
      return true;
    }
    const socket = req.socket as Socket & { resetAndDestroy?: () => Socket };
    if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
    else socket.destroy();
    return true;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<number> => {
    const requestId = newRequestId();
    const method = (req.method ?? 'GET').toUpperCase();
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    } catch {
      send(res, { status: 400, body: 'Bad request URL', contentType: 'text/plain; charset=utf-8' }, requestId);
      return 400;
    }
    const path = url.pathname;
    if (method === 'OPTIONS' && req.headers['access-control-request-method']) {
      // CORS preflight: any origin, the API's methods and whatever headers are asked for.
      send(
        res,
        {
          status: 204,
          body: '',
          headers: {
            'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
            'access-control-allow-headers': header(req, 'access-control-request-headers') ?? 'api-key, content-type, idempotency-key, x-profile-id',
            'access-control-max-age': '600',
          },
        },
        requestId,
      );
      return 204;
    }
    const match = router.match(method, path);
    if (match === 'not_found' || match === 'method_not_allowed') {
      const result = errorResult(match === 'not_found' ? ApiError.unrecognizedUrl() : ApiError.methodNotAllowed(), app);
      send(res, result, requestId);
      return result.status;
    }
    const route = match.route;
    const plan = route.faultable ? app.faults.plan(method, path) : {};
    if (plan.before && (await applyFault(plan.before.spec, plan.before.ruleId, req, res, requestId))) return 0;

    let scope: string | undefined;
    let result: HandlerResult | undefined;
    try {
      let parsedBody: unknown;
      let rawBody: Buffer | undefined;
      if (route.body || method === 'POST' || method === 'PUT' || method === 'PATCH' || method === 'DELETE') {
        const read = await readBody(req, app.options.maxBodyBytes);
        if (!read.ok) {
          const r = errorResult(read.error, app);
          send(res, { ...r, headers: { ...(r.headers ?? {}), connection: 'close' } }, requestId);
          return r.status;
        }
        rawBody = read.body;
        if (route.body) {
          parsedBody = parseJsonBody(header(req, 'content-type'), read.body, route.body === 'any' ? undefined : route.body).value;
        }
      }
      const caller = authenticate(app, route, req);
      const ctx: RequestContext = { method, path, url, params: match.params, headers: req.headers, body: parsedBody, rawBody, caller };

      const key = header(req, 'idempotency-key');
      if (route.idempotent && key !== undefined && caller) {
        if (key.length === 0 || key.length > 255) throw ApiError.invalidRequestData('Idempotency-Key must be 1 to 255 characters');
        const s = idempotencyScope(header(req, 'api-key') as string, method, path, key);
        const begun = app.idempotency.begin(s, fingerprint(parsedBody ?? null));
        if (begun.kind === 'mismatch' || begun.kind === 'in_flight') {
          app.counters.idempotencyConflicts++;
          throw begun.kind === 'mismatch' ? ApiError.idempotencyMismatch() : ApiError.idempotencyInUse();
        }
        if (begun.kind === 'replay') {
          app.counters.idempotentReplays++;
          const r = begun.response;
          result = { status: r.status, body: r.body, contentType: r.contentType, headers: { ...r.headers, 'idempotent-replayed': 'true' } };
        } else {
          scope = s;
        }
      }
      if (!result) result = await route.handle(ctx, app);
    } catch (err) {
      result = errorResult(err, app);
    }
    const final: HandlerResult = result ?? errorResult(new Error('no response produced'), app);
    if (scope) {
      // Stored once the operation produced its answer; a 5xx (a sandbox bug) is not replayed.
      if (final.status < 500) {
        app.idempotency.complete(scope, {
          status: final.status,
          body: final.body,
          contentType: final.contentType ?? 'application/json',
          headers: final.headers ?? {},
        });
      } else {
        app.idempotency.abandon(scope);
      }
    }

    if (plan.after && (await applyFault(plan.after.spec, plan.after.ruleId, req, res, requestId))) return 0;
    send(res, final, requestId);
    return final.status;
  };

  return (req: IncomingMessage, res: ServerResponse): void => {
    app.counters.requests++;
    const started = Date.now();
    handle(req, res)
      .then((status) => {
        if (app.options.logger) app.log(`${req.method} ${(req.url ?? '').split('?')[0]} -> ${status || 'fault'} ${Date.now() - started}ms`);
      })
      .catch((err: unknown) => {
        const result = errorResult(err, app);
        try {
          send(res, result, newRequestId());
        } catch {
          res.destroy();
        }
      });
  };
}
