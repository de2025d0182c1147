import type { IncomingHttpHeaders } from 'node:http';
import type { Schema } from './deserialize';
import type { Caller } from '../state/payment-service';

export interface RequestContext {
  method: string;
  path: string;
  url: URL;
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The validated JSON body (routes that take one). */
  body: unknown;
  /** The body's bytes as received (POST, PUT, PATCH, DELETE): for the multipart route. */
  rawBody?: Buffer;
  /** The authenticated caller (routes with api-key auth). */
  caller: Caller | undefined;
}

export interface HandlerResult {
  status: number;
  body: string;
  contentType?: string;
  headers?: Record<string, string>;
}

/**
 * - `secret`: the merchant's secret api key;
 * - `secret_or_publishable`: also the publishable key (client-secret flows);
 * - `control`: any merchant's secret key (sandbox control routes);
 * - `none`: browser pages (3DS) and health.
 */
export type AuthMode = 'secret' | 'secret_or_publishable' | 'control' | 'none';

export interface RouteDef<App> {
  method: string;
  pattern: string;
  auth: AuthMode;
  /** A JSON body is required (Content-Type checked, parsed, type-checked): a schema, or 'any'. */
  body?: Schema | 'any';
  /** Honours Idempotency-Key (POST API routes). */
  idempotent?: boolean;
  /** Subject to fault injection (API routes; never the control routes). */
  faultable?: boolean;
  handle(ctx: RequestContext, app: App): Promise<HandlerResult> | HandlerResult;
}

export function jsonResult(status: number, value: unknown, headers?: Record<string, string>): HandlerResult {
  return { status, body: JSON.stringify(value), contentType: 'application/json', headers };
}
