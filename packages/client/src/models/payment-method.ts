import type { AddressDetails, Metadata, Timestamp } from './common';
import type { PaymentMethodKind, SavedCardDetails } from './customer';

/** A card to save (`CardDetail`). The number is sent once and never returned. */
export interface CardDetailParams {
  card_number: string;
  /** Two digits, e.g. `"10"`. */
  card_exp_month: string;
  /** Two or four digits, e.g. `"30"` or `"2030"`. */
  card_exp_year: string;
  card_holder_name?: string | null;
  card_cvc?: string | null;
  nick_name?: string | null;
  card_issuing_country?: string | null;
  card_network?: string | null;
  card_issuer?: string | null;
  card_type?: string | null;
}

/** Body of `POST /payment_methods` (`PaymentMethodCreate`). */
export interface PaymentMethodCreateParams {
  /** `card` (the only kind the sandbox stores). */
  payment_method: PaymentMethodKind;
  payment_method_type?: string | null;
  payment_method_issuer?: string | null;
  card?: CardDetailParams | null;
  /** The customer the method is saved for: required. */
  customer_id?: string | null;
  card_network?: string | null;
  metadata?: Metadata | null;
  billing?: AddressDetails | null;
}

/** The card fields an update may change (`CardDetailUpdate`). */
export interface CardDetailUpdateParams {
  card_exp_month?: string;
  card_exp_year?: string;
  card_holder_name?: string;
  nick_name?: string | null;
}

/** Body of `POST /payment_methods/{id}/update` (`PaymentMethodUpdate`). */
export interface PaymentMethodUpdateParams {
  card?: CardDetailUpdateParams | null;
}

/** A saved payment method (`PaymentMethodResponse`). */
export interface PaymentMethodResponse {
  merchant_id: string;
  customer_id?: string | null;
  /** `pm_…` */
  payment_method_id: string;
  payment_method: PaymentMethodKind;
  payment_method_type?: string | null;
  /** The card, masked: last four digits, network, expiry, fingerprint. */
  card?: SavedCardDetails | null;
  recurring_enabled?: boolean | null;
  installment_payment_enabled?: boolean | null;
  payment_experience?: string[] | null;
  metadata?: Metadata | null;
  created?: Timestamp | null;
  last_used_at?: Timestamp | null;
  client_secret?: string | null;
  [other: string]: unknown;
}

/** `DELETE /payment_methods/{id}` (`PaymentMethodDeleteResponse`). */
export interface PaymentMethodDeleteResponse {
  payment_method_id: string;
  deleted: boolean;
}

/** `POST /customers/{customer_id}/payment_methods/{id}/default` (`CustomerDefaultPaymentMethodResponse`). */
export interface CustomerDefaultPaymentMethod {
  default_payment_method_id?: string | null;
  customer_id: string;
  payment_method: PaymentMethodKind;
  payment_method_type?: string | null;
}
