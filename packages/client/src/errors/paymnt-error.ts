/** What the API said, as far as the error body and headers tell. */
export interface PaymntErrorParams {
  message: string;
  /** `invalid_request`, `api`, `connector`, `blocked`, or a local type (`validation`, `connection`, `signature_verification`). */
  type?: string;
  /** The API's code, e.g. `IR_14`, `HE_02`, `idempotency_key_in_use`. */
  code?: string;
  statusCode?: number;
  /** The `x-request-id` response header when present. */
  requestId?: string;
  /** The parsed error body (never contains the API key). */
  raw?: unknown;
  headers?: Record<string, string | string[] | undefined>;
  /** The `Idempotency-Key` the failed POST was sent with: retry with it to learn the outcome safely. */
  idempotencyKey?: string;
  cause?: unknown;
}

/** Base class of every error thrown by `@paymnt/client`. */
export class PaymntError extends Error {
  readonly type: string;
  readonly code: string | undefined;
  readonly statusCode: number | undefined;
  readonly requestId: string | undefined;
  readonly raw: unknown;
  readonly headers: Record<string, string | string[] | undefined>;
  /** The `Idempotency-Key` of the failed POST (generated or yours). Reuse it to retry safely. */
  readonly idempotencyKey: string | undefined;

  constructor(params: PaymntErrorParams) {
    super(params.message, params.cause === undefined ? undefined : { cause: params.cause });
    this.name = new.target.name;
    this.type = params.type ?? 'api';
    this.code = params.code;
    this.statusCode = params.statusCode;
    this.requestId = params.requestId;
    this.raw = params.raw;
    this.headers = params.headers ?? {};
    this.idempotencyKey = params.idempotencyKey;
  }

  /** A plain object for logs and JSON responses. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      type: this.type,
      code: this.code,
      statusCode: this.statusCode,
      requestId: this.requestId,
      idempotencyKey: this.idempotencyKey,
      message: this.message,
    };
  }
}
