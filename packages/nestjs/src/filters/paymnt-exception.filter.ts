import { STATUS_CODES } from 'node:http';
import { type ArgumentsHost, Catch, HttpException, HttpStatus } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import {
  PaymntAuthenticationError,
  PaymntBlockedError,
  PaymntConnectionError,
  PaymntError,
  PaymntIdempotencyError,
  PaymntInvalidRequestError,
  PaymntNotFoundError,
  PaymntPermissionError,
  PaymntRateLimitError,
  PaymntSignatureVerificationError,
  PaymntValidationError,
} from '@paymnt/client';

/** JSON body of a mapped error. */
export interface PaymntErrorResponseBody {
  statusCode: number;
  error: string;
  message: string;
  /** The API's code (e.g. `IR_14`, `HE_02`) or a local one (`parameter_invalid`). */
  code?: string;
  type?: string;
  requestId?: string;
  /** For validation errors: the parameter and the rule it broke. */
  field?: string;
  rule?: string;
}

/**
 * Opt-in filter mapping the client's `PaymntError`s to HTTP answers, instead of a try/catch in
 * every controller. Register it with `{ provide: APP_FILTER, useClass: PaymntExceptionFilter }`,
 * `@UseFilters(PaymntExceptionFilter)`, or
 * `app.useGlobalFilters(new PaymntExceptionFilter(app.get(HttpAdapterHost).httpAdapter))`.
 *
 * | Error | HTTP |
 * |---|---|
 * | `PaymntValidationError` (caught before sending) | 400, names `field` and `rule` |
 * | `PaymntInvalidRequestError` | 400, or 422 when the API said 422 |
 * | `PaymntNotFoundError` | 404 |
 * | `PaymntIdempotencyError` | 409 |
 * | `PaymntBlockedError` (a risk rule blocked it) | 402 |
 * | `PaymntSignatureVerificationError` | 401 (400 for a malformed payload) |
 * | `PaymntRateLimitError` | 503 with `Retry-After` when known |
 * | `PaymntConnectionError` | 504 on timeout, else 502 |
 * | `PaymntAuthenticationError`, `PaymntPermissionError` | 500: the server's API key is at fault, not the caller |
 * | any other `PaymntError` (API 5xx, connector errors) | 502 |
 *
 * Subclass it and override `toResponse()` to change the mapping.
 */
@Catch(PaymntError)
export class PaymntExceptionFilter extends BaseExceptionFilter {
  override catch(exception: PaymntError, host: ArgumentsHost): void {
    const body = this.toResponse(exception);
    const httpException = new HttpException(body, body.statusCode, { cause: exception });
    if (body.statusCode === HttpStatus.SERVICE_UNAVAILABLE) this.setRetryAfter(exception, host);
    super.catch(httpException, host);
  }

  /** The status and JSON body for `exception`. */
  protected toResponse(exception: PaymntError): PaymntErrorResponseBody {
    const base = { code: exception.code, type: exception.type, requestId: exception.requestId };
    if (exception instanceof PaymntValidationError) {
      return { statusCode: 400, error: STATUS_CODES[400]!, message: exception.message, ...base, field: exception.field, rule: exception.rule };
    }
    const status = this.statusOf(exception);
    // 5xx caused by the server's own setup or the provider: do not echo the provider's details.
    const message = status >= 500 ? this.serverMessage(exception, status) : exception.message;
    return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message, ...base };
  }

  protected statusOf(exception: PaymntError): number {
    if (exception instanceof PaymntInvalidRequestError) return exception.statusCode === 422 ? 422 : 400;
    if (exception instanceof PaymntNotFoundError) return 404;
    if (exception instanceof PaymntIdempotencyError) return 409;
    if (exception instanceof PaymntBlockedError) return 402;
    if (exception instanceof PaymntSignatureVerificationError) return exception.reason === 'malformed_payload' ? 400 : 401;
    if (exception instanceof PaymntRateLimitError) return 503;
    if (exception instanceof PaymntConnectionError) return exception.timedOut ? 504 : 502;
    if (exception instanceof PaymntAuthenticationError || exception instanceof PaymntPermissionError) return 500;
    return 502;
  }

  protected serverMessage(exception: PaymntError, status: number): string {
    if (status === 500) return 'The payment provider rejected this server\'s credentials.';
    if (status === 503) return 'The payment provider is rate limiting this server; try again later.';
    if (status === 504) return 'The payment provider did not answer in time.';
    return exception instanceof PaymntConnectionError ? 'The payment provider could not be reached.' : 'The payment provider failed to process the request.';
  }

  private setRetryAfter(exception: PaymntError, host: ArgumentsHost): void {
    const retryAfter = exception.headers['retry-after'];
    const value = Array.isArray(retryAfter) ? retryAfter[0] : retryAfter;
    const adapter = this.applicationRef ?? this.httpAdapterHost?.httpAdapter;
    if (value !== undefined && adapter !== undefined && host.getType() === 'http') {
      adapter.setHeader(host.switchToHttp().getResponse(), 'Retry-After', value);
    }
  }
}
