import type { OpenUnion, Timestamp } from './common';

/** A mandate's status (`MandateStatus`): only an `active` mandate can be charged. */
export type MandateStatus = OpenUnion<'active' | 'inactive' | 'pending' | 'revoked'>;

/** How the customer agreed to be charged later (`AcceptanceType`). */
export type AcceptanceType = OpenUnion<'online' | 'offline'>;

/** Where an online acceptance came from (`OnlineMandate`). */
export interface OnlineMandate {
  ip_address: string;
  user_agent: string;
}

/**
 * The customer's agreement to future charges (`CustomerAcceptance`), sent with the payment that
 * saves a card for off-session use. `online` is required when `acceptance_type` is `online`.
 */
export interface CustomerAcceptance {
  acceptance_type: AcceptanceType;
  accepted_at?: Timestamp | null;
  online?: OnlineMandate | null;
}

/** The limits of a mandate (`MandateAmountData`). */
export interface MandateAmountData {
  /** The most one charge (single_use) or all charges together (multi_use) may take, in minor units. */
  amount: number;
  currency: string;
  start_date?: Timestamp | null;
  end_date?: Timestamp | null;
  metadata?: Record<string, unknown> | null;
}

/** `MandateType`: one charge, or many (with or without a cap). */
export type MandateType = { single_use: MandateAmountData } | { multi_use: MandateAmountData | null };

/** `mandate_data` of a payment: asks the API to create a mandate when the payment succeeds. */
export interface MandateData {
  customer_acceptance?: CustomerAcceptance | null;
  mandate_type?: MandateType | null;
  update_mandate_id?: string | null;
}

/** The saved method (or mandate) a merchant-initiated payment charges (`RecurringDetails`). */
export type RecurringDetails =
  | { type: 'mandate_id'; data: string }
  | { type: 'payment_method_id'; data: string };

/** The kinds of `RecurringDetails` this SDK sends. */
export const RECURRING_DETAILS_TYPES = ['mandate_id', 'payment_method_id'] as const;

/** The card a mandate charges (`MandateCardDetails`): masked, never the full number. */
export interface MandateCardDetails {
  last4_digits?: string | null;
  card_exp_month?: string | null;
  card_exp_year?: string | null;
  card_holder_name?: string | null;
  card_token?: string | null;
  scheme?: string | null;
  issuer_country?: string | null;
  card_fingerprint?: string | null;
  card_isin?: string | null;
  card_issuer?: string | null;
  card_network?: string | null;
  card_type?: string | null;
  nick_name?: string | null;
}

/** What `GET /mandates/{id}` and the mandate lists return (`MandateResponse`). */
export interface Mandate {
  mandate_id: string;
  status: MandateStatus;
  payment_method_id: string;
  payment_method: string;
  payment_method_type?: string | null;
  card?: MandateCardDetails | null;
  customer_acceptance?: CustomerAcceptance | null;
  [other: string]: unknown;
}

/** `POST /mandates/revoke/{id}` (`MandateRevokedResponse`). */
export interface MandateRevokedResponse {
  mandate_id: string;
  status: MandateStatus;
  error_code?: string | null;
  error_message?: string | null;
}

/** Query of `GET /mandates/list` (`MandateListConstraints`). */
export interface MandateListParams {
  /** At most this many mandates. */
  limit?: number;
  /** Mandates to skip. */
  offset?: number;
  mandate_status?: MandateStatus;
  connector?: string;
  created_time?: Timestamp;
  'created_time.lt'?: Timestamp;
  'created_time.gt'?: Timestamp;
  'created_time.lte'?: Timestamp;
  'created_time.gte'?: Timestamp;
}
