/**
 * A string-literal union that still accepts values the API may add later, while keeping
 * editor completion for the known ones.
 */
export type OpenUnion<T extends string> = T | (string & { readonly __open?: never });

/** ISO-8601 UTC timestamp with milliseconds, e.g. `2024-01-15T10:11:12.123Z`. */
export type Timestamp = string;

/** Free-form merchant metadata (the API caps it at 50 keys). */
export type Metadata = Record<string, unknown>;

export interface Address {
  line1?: string | null;
  line2?: string | null;
  line3?: string | null;
  city?: string | null;
  state?: string | null;
  zip?: string | null;
  country?: string | null;
  first_name?: string | null;
  last_name?: string | null;
}

export interface Phone {
  number?: string | null;
  country_code?: string | null;
}

export interface AddressDetails {
  address?: Address | null;
  phone?: Phone | null;
  email?: string | null;
}

/** Options accepted by every API call (the last argument of each resource method). */
export interface RequestOptions {
  /**
   * Sent as `Idempotency-Key` on POST, and reused on every retry of the call. Derive it from your
   * own ids (e.g. `capture-order-42`) to make a retry after a crash safe too. 1-255 visible ASCII characters.
   * @default a new uuid v4 per call
   */
  idempotencyKey?: string;
  /**
   * `x-profile-id` for this call.
   * @default the client's `profileId`
   */
  profileId?: string;
  /**
   * Time budget of each attempt, in milliseconds.
   * @default the client's `timeoutMs` (30000)
   */
  timeoutMs?: number;
  /**
   * Retries after the first attempt.
   * @default the client's `maxRetries` (2)
   */
  maxRetries?: number;
  /** Aborts the call at once, including a pending retry (`PaymntConnectionError`, code `request_aborted`). */
  signal?: AbortSignal;
}
