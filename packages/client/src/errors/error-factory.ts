import type { HttpHeaders } from '../http/transport';
import { PaymntApiError } from './api.error';
import { PaymntAuthenticationError } from './authentication.error';
import { PaymntBlockedError } from './blocked.error';
import { PaymntIdempotencyError } from './idempotency.error';
import { PaymntInvalidRequestError } from './invalid-request.error';
import { PaymntNotFoundError } from './not-found.error';
import { PaymntPermissionError } from './permission.error';
import { PaymntRateLimitError } from './rate-limit.error';
import type { PaymntError, PaymntErrorParams } from './paymnt-error';
import { isPlainObject } from '../validation/validators';

/** The parts of an HTTP response the factory reads. */
export interface ErrorResponse {
  statusCode: number;
  headers: HttpHeaders;
  body: string;
}

const HTML_TITLE = /<title[^>]*>([^<]*)<\/title>/i;
const HTML_TAG = /<[^>]*>/g;
const WHITESPACE = /\s+/g;
const MAX_TEXT_MESSAGE = 200;

/** First value of a response header (Node gives arrays for repeated headers). */
export function headerValue(headers: HttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function stringField(source: Record<string, unknown>, key: string): string | undefined {
  const value = source[key];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** A readable one-line summary of a non-JSON body (actix plain text, a proxy's HTML page). */
function textMessage(statusCode: number, body: string): string {
  const title = HTML_TITLE.exec(body)?.[1];
  let text = (title ?? body.replace(HTML_TAG, ' ')).replace(WHITESPACE, ' ').trim();
  if (text.length > MAX_TEXT_MESSAGE) text = `${text.slice(0, MAX_TEXT_MESSAGE)}…`;
  return text ? `HTTP ${statusCode} from the API: ${text}` : `HTTP ${statusCode} from the API with an empty body`;
}

type ErrorClass = new (params: PaymntErrorParams) => PaymntError;

function classFor(statusCode: number, type: string | undefined): ErrorClass {
  if (statusCode === 401) return PaymntAuthenticationError;
  if (statusCode === 403) return PaymntPermissionError;
  if (statusCode === 404) return PaymntNotFoundError;
  if (statusCode === 409) return PaymntIdempotencyError;
  if (statusCode === 429) return PaymntRateLimitError;
  if (statusCode >= 400 && statusCode < 500) return PaymntInvalidRequestError;
  if (statusCode < 300 && type === 'blocked') return PaymntBlockedError;
  return PaymntApiError;
}

/**
 * Finds the error envelope in a JSON body. Accepts the API's usual
 * `{"error":{"type",...}}`, its parse-error variant `{"error":{"error_type",...}}` and the flat
 * `{"error_type","message","code"}` the OpenAPI spec documents.
 */
function envelopeOf(parsed: unknown): Record<string, unknown> | undefined {
  if (!isPlainObject(parsed)) return undefined;
  if (isPlainObject(parsed.error)) return parsed.error;
  if (typeof parsed.message === 'string' && (typeof parsed.error_type === 'string' || typeof parsed.type === 'string')) return parsed;
  return undefined;
}

/** True when a successful (2xx) JSON body is in fact an error envelope (e.g. `type: "blocked"`). */
export function isErrorEnvelope(parsed: unknown): boolean {
  return isPlainObject(parsed) && isPlainObject(parsed.error);
}

/**
 * Builds the `PaymntError` subclass for an HTTP response: 400/422 (and other 4xx) invalid request,
 * 401 authentication, 403 permission, 404 not found, 409 idempotency, 429 rate limit, 5xx API,
 * HTTP 200 with a `blocked` envelope blocked. `parsed` skips a second JSON.parse when the caller
 * already has the body parsed; `idempotencyKey` is the key the request was sent with.
 */
export function createErrorFromResponse(response: ErrorResponse, parsed?: unknown, idempotencyKey?: string): PaymntError {
  const { statusCode, headers, body } = response;
  if (parsed === undefined && body.length > 0) {
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = undefined;
    }
  }
  const envelope = envelopeOf(parsed);
  const type = envelope ? (stringField(envelope, 'type') ?? stringField(envelope, 'error_type')) : undefined;
  const code = envelope ? stringField(envelope, 'code') : undefined;
  let message = envelope ? stringField(envelope, 'message') : undefined;
  if (message === undefined) {
    message = parsed === undefined ? textMessage(statusCode, body) : `HTTP ${statusCode} from the API without an error message`;
  }
  const ErrorCtor = classFor(statusCode, type);
  return new ErrorCtor({
    message,
    type: type ?? (statusCode >= 400 && statusCode < 500 ? 'invalid_request' : 'api'),
    code,
    statusCode,
    requestId: headerValue(headers, 'x-request-id'),
    raw: parsed === undefined ? body : parsed,
    headers,
    idempotencyKey,
  });
}
