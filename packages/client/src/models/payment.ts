import type { AddressDetails, Metadata, OpenUnion, Timestamp } from './common';
import type { CustomerAcceptance, MandateData, RecurringDetails } from './mandate';
import type { Refund } from './refund';

/** The payment statuses the API documents (section 3). */
export type KnownPaymentStatus =
  | 'requires_payment_method'
  | 'requires_confirmation'
  | 'requires_customer_action'
  | 'requires_merchant_action'
  | 'requires_capture'
  | 'processing'
  | 'succeeded'
  | 'failed'
  | 'cancelled'
  | 'cancelled_post_capture'
  | 'partially_captured'
  | 'partially_captured_and_capturable'
  | 'partially_authorized_and_requires_capture'
  | 'partially_captured_and_processing'
  | 'conflicted'
  | 'expired'
  | 'review';

/** Payment statuses of the API. Unknown future values are accepted. */
export type PaymentStatus = OpenUnion<KnownPaymentStatus>;

export type CaptureMethod = OpenUnion<'automatic' | 'manual' | 'manual_multiple' | 'scheduled' | 'sequential_automatic'>;
export type AuthenticationType = OpenUnion<'three_ds' | 'no_three_ds'>;
export type PaymentMethod = OpenUnion<
  | 'card'
  | 'card_redirect'
  | 'pay_later'
  | 'wallet'
  | 'bank_redirect'
  | 'bank_transfer'
  | 'crypto'
  | 'bank_debit'
  | 'reward'
  | 'real_time_payment'
  | 'upi'
  | 'voucher'
  | 'gift_card'
  | 'open_banking'
  | 'mobile_payment'
>;
export type FutureUsage = OpenUnion<'on_session' | 'off_session'>;

export interface CardDetails {
  card_number: string;
  /** Two digits, e.g. `"10"`. */
  card_exp_month: string;
  /** Two or four digits, e.g. `"25"` or `"2030"`. */
  card_exp_year: string;
  card_cvc: string;
  card_holder_name?: string;
  card_network?: string;
  card_issuer?: string;
  nick_name?: string;
}

export interface PaymentMethodData {
  card?: CardDetails;
  billing?: AddressDetails;
  [other: string]: unknown;
}

export interface CustomerDetails {
  id: string;
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  phone_country_code?: string | null;
}

/** The customer as a payment answers it (`CustomerDetailsResponse`: its id may be null). */
export interface PaymentCustomerDetails extends Omit<CustomerDetails, 'id'> {
  id?: string | null;
  customer_document_details?: unknown;
}

export interface OrderDetail {
  product_name: string;
  quantity: number;
  amount: number;
  [other: string]: unknown;
}

export interface BrowserInfo {
  user_agent?: string;
  accept_header?: string;
  language?: string;
  color_depth?: number;
  screen_height?: number;
  screen_width?: number;
  time_zone?: number;
  java_enabled?: boolean;
  java_script_enabled?: boolean;
  ip_address?: string;
  [other: string]: unknown;
}

/** Body of `POST /payments`, `POST /payments/{id}` and `POST /payments/{id}/confirm`. */
export interface PaymentCreateParams {
  /** Minor units, integer 0..999999999. Required on create. */
  amount: number;
  /** ISO 4217, uppercase. Required on create. */
  currency: string;
  payment_id?: string;
  confirm?: boolean;
  capture_method?: CaptureMethod;
  amount_to_capture?: number;
  capture_on?: Timestamp;
  /** Always send it: the API's defaults disagree (section 2). */
  authentication_type?: AuthenticationType;
  payment_method?: PaymentMethod;
  payment_method_type?: string;
  payment_method_data?: PaymentMethodData;
  customer?: CustomerDetails;
  customer_id?: string;
  return_url?: string;
  description?: string;
  metadata?: Metadata;
  /** Save the card for later: `off_session` for merchant-initiated charges (needs `customer_id` and `customer_acceptance`). */
  setup_future_usage?: FutureUsage;
  /** `true` for a merchant-initiated charge of a saved method (with `recurring_details` or `mandate_id`). */
  off_session?: boolean;
  customer_acceptance?: CustomerAcceptance;
  /** Creates a mandate when the payment succeeds (not together with `recurring_details`). */
  mandate_data?: MandateData;
  /** The mandate to charge (older form of `recurring_details: { type: 'mandate_id', data }`). */
  mandate_id?: string;
  /** The saved method or mandate a merchant-initiated payment charges. */
  recurring_details?: RecurringDetails;
  payment_token?: string;
  profile_id?: string;
  billing?: AddressDetails;
  shipping?: AddressDetails;
  browser_info?: BrowserInfo;
  order_details?: OrderDetail[];
  merchant_order_reference_id?: string;
  statement_descriptor_name?: string;
  statement_descriptor_suffix?: string;
  /** Seconds, 60..7890000 (default 900). */
  session_expiry?: number;
  request_incremental_authorization?: boolean;
  request_extended_authorization?: boolean;
  enable_partial_authorization?: boolean;
  enable_overcapture?: boolean;
  force_3ds_challenge?: boolean;
  connector?: string[];
  all_keys_required?: boolean;
}

/** Body of `POST /payments/{id}` (update): the profile and a mandate are fixed at creation. */
export type PaymentUpdateParams = Partial<Omit<PaymentCreateParams, 'profile_id' | 'mandate_id'>> & {
  /** With a publishable key: the payment's `client_secret`. */
  client_secret?: string;
};

/** Body of `POST /payments/{id}/confirm`: the profile and overcapture are fixed before it. */
export type PaymentConfirmParams = Partial<Omit<PaymentCreateParams, 'confirm' | 'profile_id' | 'enable_overcapture'>> & {
  /** With a publishable key (the browser confirming): the payment's `client_secret`. */
  client_secret?: string;
};

export interface PaymentCaptureParams {
  /** Defaults to `amount_capturable`. Must be > 0. */
  amount_to_capture?: number;
  refund_uncaptured_amount?: boolean;
  statement_descriptor_suffix?: string;
  statement_descriptor_prefix?: string;
}

export interface PaymentCancelParams {
  cancellation_reason?: string;
}

export interface PaymentIncrementalAuthorizationParams {
  /** The NEW TOTAL to authorise, greater than the currently authorised amount. */
  amount: number;
  reason?: string;
}

export interface PaymentRetrieveParams {
  force_sync?: boolean;
  client_secret?: string;
  expand_attempts?: boolean;
  expand_captures?: boolean;
  all_keys_required?: boolean;
}

/** Query of `GET /payments/list`. Bounds are inclusive on the server: not Stripe cursors. */
export interface PaymentListParams {
  customer_id?: string;
  starting_after?: string;
  ending_before?: string;
  /** 1..100, default 10. */
  limit?: number;
  created?: Timestamp;
  'created.lt'?: Timestamp;
  'created.gt'?: Timestamp;
  'created.lte'?: Timestamp;
  'created.gte'?: Timestamp;
}

export type NextAction =
  | { type: 'redirect_to_url'; redirect_to_url: string; [k: string]: unknown }
  | { type: OpenUnion<'redirect_inside_popup' | 'three_ds_invoke' | 'invoke_hidden_iframe' | 'qr_code_information' | 'display_bank_transfer_information'>; [k: string]: unknown };

export interface CardResponse {
  last4?: string | null;
  card_type?: string | null;
  card_network?: string | null;
  card_issuer?: string | null;
  card_issuing_country?: string | null;
  card_isin?: string | null;
  card_extended_bin?: string | null;
  card_exp_month?: string | null;
  card_exp_year?: string | null;
  card_holder_name?: string | null;
  payment_checks?: unknown;
  authentication_data?: unknown;
}

export interface IncrementalAuthorization {
  authorization_id: string;
  amount: number;
  status: string;
  error_code?: string | null;
  error_message?: string | null;
  previously_authorized_amount: number;
}

/** What every payment endpoint returns (`PaymentsResponse`). */
export interface Payment {
  payment_id: string;
  merchant_id: string;
  status: PaymentStatus;
  amount: number;
  net_amount: number;
  amount_capturable: number;
  /** `null` until something is captured. */
  amount_received: number | null;
  processor_merchant_id: string;
  currency: string;
  client_secret: string | null;
  created: Timestamp | null;
  modified_at?: Timestamp | null;
  updated?: Timestamp | null;
  connector: string | null;
  connector_transaction_id?: string | null;
  customer_id: string | null;
  customer?: PaymentCustomerDetails | null;
  description: string | null;
  metadata: Metadata | null;
  refunds: Refund[] | null;
  capture_method: CaptureMethod | null;
  /** `null` until a payment method is attached (the OpenAPI spec says otherwise). */
  payment_method: PaymentMethod | null;
  payment_method_type?: string | null;
  payment_method_data?: { card?: CardResponse | null; billing?: AddressDetails | null } | null;
  return_url?: string | null;
  authentication_type: AuthenticationType | null;
  next_action: NextAction | null;
  cancellation_reason: string | null;
  profile_id: string | null;
  attempt_count: number;
  manual_retry_allowed?: boolean | null;
  incremental_authorization_allowed?: boolean | null;
  incremental_authorizations?: IncrementalAuthorization[] | null;
  billing?: AddressDetails | null;
  shipping?: AddressDetails | null;
  error_code: string | null;
  error_message: string | null;
  unified_code?: string | null;
  unified_message?: string | null;
  error_details?: unknown;
  issuer_error_code?: string | null;
  issuer_error_message?: string | null;
  setup_future_usage?: FutureUsage | null;
  off_session?: boolean | null;
  /** The mandate this payment created or charged. */
  mandate_id?: string | null;
  /** The saved payment method this payment created or charged. */
  payment_method_id?: string | null;
  [other: string]: unknown;
}

/** `GET /payments/list` response. */
export interface PaymentListResponse {
  size: number;
  data: Payment[];
}
