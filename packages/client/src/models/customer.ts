import type { Address, Metadata, OpenUnion, Timestamp } from './common';

/** A customer's postal address (`AddressDetails`). */
export interface CustomerAddress extends Address {
  origin_zip?: string | null;
}

/** Body of `POST /customers`. Every field is optional. */
export interface CustomerCreateParams {
  /** Your id for the customer, 1-64 of `[A-Za-z0-9_-]`; generated (`cus_…`) when omitted. A taken id is refused. */
  customer_id?: string;
  /** At most 255 characters. */
  name?: string | null;
  /** Checked by the API's email rule (`local@domain.tld`), at most 255 characters. */
  email?: string | null;
  /** At most 255 characters. */
  phone?: string | null;
  /** E.g. `"+65"`; at most 255 characters. */
  phone_country_code?: string | null;
  /** At most 255 characters. */
  description?: string | null;
  address?: CustomerAddress | null;
  metadata?: Metadata | null;
  tax_registration_id?: string | null;
  document_details?: unknown;
}

/**
 * Body of `POST /customers/{id}`: only the fields given change (`null` leaves a field as it is,
 * as the API does).
 */
export type CustomerUpdateParams = Omit<CustomerCreateParams, 'customer_id'>;

/** Query of `GET /customers/list` (offset paging, oldest customer first). */
export interface CustomerListParams {
  /** Page size, 1..65535. The API's default is 100. */
  limit?: number;
  /** Customers to skip, >= 0. */
  offset?: number;
}

/** What create, retrieve, update and list return (`CustomerResponse`). */
export interface Customer {
  customer_id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  phone_country_code: string | null;
  description: string | null;
  /** Returned by create, retrieve and update; the list always has `null` here. */
  address: CustomerAddress | null;
  created_at: Timestamp;
  metadata: Metadata | null;
  default_payment_method_id: string | null;
  tax_registration_id?: string | null;
  document_details?: unknown;
  [other: string]: unknown;
}

/**
 * `DELETE /customers/{id}`. The API keeps the record but redacts it: name, email, phone and
 * description read `"Redacted"`, and later calls on that id answer IR_11 "Customer has already been redacted".
 */
export interface CustomerDeleteResponse {
  customer_id: string;
  customer_deleted: boolean;
  address_deleted: boolean;
  payment_methods_deleted: boolean;
}

export type PaymentMethodKind = OpenUnion<
  'card' | 'card_redirect' | 'pay_later' | 'wallet' | 'bank_redirect' | 'bank_transfer' | 'crypto' | 'bank_debit' | 'reward' | 'upi' | 'voucher' | 'gift_card'
>;

/** A card as stored for a customer (`CardDetailFromLocker`). */
export interface SavedCardDetails {
  last4_digits?: string | null;
  expiry_month?: string | null;
  expiry_year?: string | null;
  card_holder_name?: string | null;
  card_fingerprint?: string | null;
  nick_name?: string | null;
  card_network?: string | null;
  card_isin?: string | null;
  card_issuer?: string | null;
  card_type?: string | null;
  saved_to_locker?: boolean;
  [other: string]: unknown;
}

/** One saved payment method of a customer (`CustomerPaymentMethod`). */
export interface CustomerPaymentMethod {
  /** Short-lived token to pay with this method (`payment_token` of a payment). */
  payment_token: string;
  payment_method_id: string;
  customer_id: string;
  payment_method: PaymentMethodKind;
  payment_method_type?: string | null;
  payment_method_issuer?: string | null;
  recurring_enabled?: boolean | null;
  installment_payment_enabled?: boolean | null;
  payment_experience?: string[] | null;
  card?: SavedCardDetails | null;
  metadata?: Metadata | null;
  created?: Timestamp | null;
  requires_cvv: boolean;
  last_used_at?: Timestamp | null;
  default_payment_method_set: boolean;
  billing?: unknown;
  [other: string]: unknown;
}

/** `GET /customers/{id}/payment_methods` (`CustomerPaymentMethodsListResponse`). */
export interface CustomerPaymentMethodsList {
  customer_payment_methods: CustomerPaymentMethod[];
  /** Only set when the call is made with a payment's client secret. */
  is_guest_customer?: boolean | null;
}
