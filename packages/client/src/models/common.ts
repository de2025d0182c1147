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

/** Options accepted by every API call. */
export interface RequestOptions {
  /** Sent as `Idempotency-Key` on POST. A uuid v4 is generated when omitted, and reused on every retry. */
  idempotencyKey?: string;
  /** Overrides the client's `profileId` for this call (`x-profile-id`). */
  profileId?: string;
  /** Per-attempt timeout in milliseconds. */
  timeoutMs?: number;
  /** Retries after the first attempt. */
  maxRetries?: number;
  /** Aborts the call (and any pending retry). */
  signal?: AbortSignal;
}
