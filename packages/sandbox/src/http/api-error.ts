/**
 * Error responses in Hyperswitch's two envelopes:
 * - `{"error":{"type":…,"message":…,"code":…, …extra}}` for everything the router produces;
 * - `{"error":{"error_type":"invalid_request","message":"Json deserialize error: …","code":"IR_06"}}`
 *   for JSON body errors (actix's Json extractor with HS's custom handler).
 */

export type ErrorType = 'invalid_request' | 'api' | 'connector' | 'blocked';

export interface ApiErrorExtra {
  payment_id?: string;
  data?: unknown;
  connector?: string;
  reason?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errorType: ErrorType = 'invalid_request',
    readonly extra?: ApiErrorExtra,
    readonly envelope: 'type' | 'error_type' = 'type',
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  /** The exact response body (field order: type, message, code, then extras). */
  body(): string {
    if (this.envelope === 'error_type') {
      return JSON.stringify({ error: { error_type: this.errorType, message: this.message, code: this.code } });
    }
    const error: Record<string, unknown> = { type: this.errorType, message: this.message, code: this.code };
    if (this.extra) {
      // Extra is flattened in HS's field order, skipping absent values.
      for (const key of ['payment_id', 'data', 'connector', 'reason'] as const) {
        if (this.extra[key] !== undefined) error[key] = this.extra[key];
      }
    }
    return JSON.stringify({ error });
  }

  static unauthorized(): ApiError {
    return new ApiError(401, 'IR_01', 'API key not provided or invalid API key used');
  }
  static unrecognizedUrl(): ApiError {
    return new ApiError(404, 'IR_02', 'Unrecognized request URL');
  }
  static methodNotAllowed(): ApiError {
    return new ApiError(405, 'IR_03', 'The HTTP method is not applicable for this API');
  }
  static missingField(field: string): ApiError {
    return new ApiError(400, 'IR_04', `Missing required param: ${field}`);
  }
  static invalidDataFormat(field: string, expectedFormat: string): ApiError {
    return new ApiError(422, 'IR_05', `${field} contains invalid data. Expected format is ${expectedFormat}`);
  }
  static invalidRequestData(message: string): ApiError {
    return new ApiError(422, 'IR_06', message);
  }
  static invalidDataValue(field: string): ApiError {
    return new ApiError(400, 'IR_07', `Invalid value provided: ${field}`);
  }
  static clientSecretNotGiven(): ApiError {
    return new ApiError(400, 'IR_08', 'Client secret was not provided');
  }
  static clientSecretExpired(): ApiError {
    return new ApiError(400, 'IR_08', 'Client secret has expired');
  }
  static clientSecretInvalid(): ApiError {
    return new ApiError(400, 'IR_09', 'The client_secret provided does not match the client_secret associated with the Payment');
  }
  static maximumRefundCount(): ApiError {
    return new ApiError(400, 'IR_12', 'Reached maximum refund attempts');
  }
  static refundAmountExceedsCaptured(): ApiError {
    return new ApiError(400, 'IR_13', 'The refund amount exceeds the amount captured');
  }
  static unexpectedState(flow: string, field: string, value: string, states: string): ApiError {
    return new ApiError(
      400,
      'IR_14',
      `This Payment could not be ${flow} because it has a ${field} of ${value}. The expected state is ${states}`,
    );
  }
  static preconditionFailed(message: string): ApiError {
    return new ApiError(400, 'IR_16', message);
  }
  static notSupported(message: string): ApiError {
    return new ApiError(400, 'IR_19', message);
  }
  static notImplemented(): ApiError {
    return new ApiError(501, 'IR_00', 'This API is under development and will be made available soon.');
  }
  static internal(): ApiError {
    return new ApiError(500, 'HE_00', 'Something went wrong', 'api');
  }
  static duplicatePayment(paymentId: string): ApiError {
    return new ApiError(400, 'HE_01', 'The payment with the specified payment_id already exists in our records', 'invalid_request', {
      reason: `PaymentId(${paymentId}) already exists`,
    });
  }
  static duplicateRefund(): ApiError {
    return new ApiError(400, 'HE_01', 'Duplicate refund request. Refund already attempted with the refund ID');
  }
  static paymentNotFound(): ApiError {
    return new ApiError(404, 'HE_02', 'Payment does not exist in our records');
  }
  static refundNotFound(): ApiError {
    return new ApiError(404, 'HE_02', 'Refund does not exist in our records.');
  }
  static customerNotFound(): ApiError {
    return new ApiError(404, 'HE_02', 'Customer does not exist in our records');
  }
  /** HS's CustomersErrorResponse::CustomerAlreadyExists (not the HE_01 of payments and refunds). */
  static customerAlreadyExists(): ApiError {
    return new ApiError(400, 'IR_12', 'Customer with the given `customer_id` already exists');
  }
  /** Any call on a deleted (redacted) customer. */
  static customerRedacted(): ApiError {
    return new ApiError(400, 'IR_11', 'Customer has already been redacted');
  }
  static paymentMethodNotFound(): ApiError {
    return new ApiError(404, 'HE_02', 'Payment method does not exist in our records');
  }
  static mandateNotFound(): ApiError {
    return new ApiError(404, 'HE_02', 'Mandate does not exist in our records');
  }
  /** HS's MandateValidationFailed: the reason rides in the error's `reason`. */
  static mandateValidationFailed(reason: string): ApiError {
    return new ApiError(400, 'HE_03', 'Mandate Validation Failed', 'invalid_request', { reason });
  }
  /** HS's PaymentMethodDeleteFailed: the customer's default method cannot be deleted. */
  static defaultPaymentMethodDelete(): ApiError {
    return new ApiError(400, 'IR_25', 'Cannot delete the default payment method');
  }
  /** HS's MandateActive: a customer with an active mandate cannot be deleted. */
  static customerHasActiveMandate(): ApiError {
    return new ApiError(400, 'IR_10', 'Customer has active mandate/subsciption');
  }
  static eventNotFound(): ApiError {
    return new ApiError(404, 'HE_02', 'Event does not exist in our records');
  }
  static profileNotFound(id: string): ApiError {
    return new ApiError(404, 'HE_02', `Business profile with the given id  '${id}' does not exist in our records`);
  }
  /** JSON body errors: 400, `error_type` envelope, IR_06. */
  static json(message: string, status = 400): ApiError {
    return new ApiError(status, 'IR_06', message, 'invalid_request', undefined, 'error_type');
  }
  /** Sandbox policy (section 9): the same Idempotency-Key with a different body. */
  static idempotencyMismatch(): ApiError {
    return new ApiError(409, 'idempotency_key_mismatch', 'Idempotency-Key reused with a different request body');
  }
  /** Sandbox policy (section 9): the first request with this key is still being processed. */
  static idempotencyInUse(): ApiError {
    return new ApiError(409, 'idempotency_key_in_use', 'request with this Idempotency-Key is in progress');
  }
}

/** A plain-text 400, as actix answers a query string it cannot deserialize. */
export class QueryError extends Error {
  readonly status = 400;
  constructor(message: string) {
    super(`Query deserialize error: ${message}`);
  }
}
