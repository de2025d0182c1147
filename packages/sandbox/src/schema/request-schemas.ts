/**
 * Request body schemas: which fields each endpoint accepts and how serde would type-check them.
 * Only the fields the sandbox acts on are typed precisely; the others are accepted as any JSON.
 */
import { EVIDENCE_TYPES } from '@paymnt/client';
import type { Schema } from '../http/deserialize';
import { luhnValid } from '../cards/luhn';
import {
  AUTHENTICATION_TYPES,
  CAPTURE_METHODS,
  CARD_NETWORKS,
  COUNTRIES,
  CURRENCIES,
  EVENT_CLASSES,
  EVENT_TYPES,
  FUTURE_USAGES,
  PAYMENT_EXPERIENCES,
  PAYMENT_METHODS,
  PAYMENT_METHOD_TYPES,
  REFUND_TYPES,
} from './enums';

const any: Schema = { kind: 'any' };
const str: Schema = { kind: 'string' };
const bool: Schema = { kind: 'bool' };
const i64: Schema = { kind: 'integer', type: 'i64' };
const map: Schema = { kind: 'map' };
const enumOf = (variants: readonly string[]): Schema => ({ kind: 'enum', variants });

/** HS's `id_type` checks (LengthId<64, 1> of [A-Za-z0-9_-]). */
export function checkId(value: string): string | undefined {
  if (value.length > 64) return 'the maximum allowed length for this field is 64';
  if (value.length < 1) return 'the minimum required length for this field is 1';
  const bad = /[^A-Za-z0-9_-]/.exec(value);
  if (bad) return `value \`${value}\` contains invalid character \`${bad[0]}\``;
  return undefined;
}

function checkUrl(value: string): string | undefined {
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(value)) return 'relative URL without a base';
  try {
    new URL(value);
    return undefined;
  } catch {
    return 'invalid URL';
  }
}

/** `cards::CardNumber` deserialization: digits only, 12..19 of them, Luhn-valid. */
export function checkCardNumber(value: string): string | undefined {
  const digits = value.split(/\s+/).join('');
  if (!/^\d*$/.test(digits)) return 'invalid character found in card number';
  if (digits.length < 12 || digits.length > 19) return 'invalid card number length';
  if (!luhnValid(digits)) return 'card number invalid';
  return undefined;
}

const addressDetails: Schema = {
  kind: 'struct',
  name: 'AddressDetails',
  fields: {
    city: str,
    country: enumOf(COUNTRIES),
    line1: str,
    line2: str,
    line3: str,
    zip: str,
    state: str,
    first_name: str,
    last_name: str,
    origin_zip: str,
  },
};

export const addressSchema: Schema = {
  kind: 'struct',
  name: 'Address',
  fields: {
    address: addressDetails,
    phone: { kind: 'struct', name: 'PhoneDetails', fields: { number: str, country_code: str } },
    email: str,
  },
};

const customerSchema: Schema = {
  kind: 'struct',
  name: 'CustomerDetails',
  fields: { id: str, name: str, email: str, phone: str, phone_country_code: str, tax_registration_id: str, customer_document_details: any },
  required: ['id'],
};

const cardSchema: Schema = {
  kind: 'struct',
  name: 'Card',
  fields: {
    card_number: { kind: 'string', check: checkCardNumber },
    card_exp_month: str,
    card_exp_year: str,
    card_holder_name: str,
    card_cvc: str,
    card_issuer: str,
    card_network: enumOf(CARD_NETWORKS),
    card_type: str,
    card_issuing_country: str,
    card_issuing_country_code: str,
    bank_code: str,
    nick_name: str,
  },
  required: ['card_number', 'card_exp_month', 'card_exp_year', 'card_cvc'],
};

/** The externally tagged `PaymentMethodData` variants (flattened into PaymentMethodDataRequest). */
const PAYMENT_METHOD_DATA_VARIANTS = [
  'card',
  'card_redirect',
  'wallet',
  'pay_later',
  'bank_redirect',
  'bank_debit',
  'bank_transfer',
  'real_time_payment',
  'crypto',
  'mandate_payment',
  'reward',
  'upi',
  'voucher',
  'gift_card',
  'card_token',
  'open_banking',
  'mobile_payment',
  'network_token',
] as const;

export const paymentMethodDataSchema: Schema = {
  kind: 'flattenedEnum',
  name: 'PaymentMethodDataRequest',
  variants: Object.fromEntries(PAYMENT_METHOD_DATA_VARIANTS.map((v) => [v, v === 'card' ? cardSchema : any])),
  fields: { billing: addressSchema },
};

/** `CustomerAcceptance` (`deny_unknown_fields`). */
export const customerAcceptanceSchema: Schema = {
  kind: 'struct',
  name: 'CustomerAcceptance',
  denyUnknown: true,
  fields: {
    acceptance_type: enumOf(['online', 'offline']),
    accepted_at: str,
    online: { kind: 'struct', name: 'OnlineMandate', denyUnknown: true, fields: { ip_address: str, user_agent: str }, required: ['ip_address', 'user_agent'] },
  },
  required: ['acceptance_type'],
};

const mandateAmountDataSchema: Schema = {
  kind: 'struct',
  name: 'MandateAmountData',
  fields: { amount: i64, currency: enumOf(CURRENCIES), start_date: str, end_date: str, metadata: map },
  required: ['amount', 'currency'],
};

/** `MandateData` (`deny_unknown_fields`); `mandate_type` is `{ single_use: … }` or `{ multi_use: … }`. */
const mandateDataSchema: Schema = {
  kind: 'struct',
  name: 'MandateData',
  denyUnknown: true,
  fields: {
    update_mandate_id: str,
    customer_acceptance: customerAcceptanceSchema,
    mandate_type: { kind: 'struct', name: 'MandateType', denyUnknown: true, fields: { single_use: mandateAmountDataSchema, multi_use: mandateAmountDataSchema } },
  },
};

/** `RecurringDetails`: adjacently tagged (`type`, `data`); the data's shape depends on the tag. */
const recurringDetailsSchema: Schema = {
  kind: 'struct',
  name: 'RecurringDetails',
  fields: {
    type: enumOf([
      'mandate_id',
      'payment_method_id',
      'processor_payment_token',
      'network_transaction_id_and_card_details',
      'network_transaction_id_and_network_token_details',
      'network_transaction_id_and_decrypted_wallet_token_details',
      'card_with_limited_data',
    ]),
    data: any,
  },
  required: ['type', 'data'],
};

/** `PaymentsRequest` (create / update / confirm share it; `deny_unknown_fields`). */
export const paymentsRequestSchema: Schema = {
  kind: 'struct',
  name: 'PaymentsRequest',
  denyUnknown: true,
  fields: {
    amount: { kind: 'amount' },
    order_tax_amount: i64,
    currency: enumOf(CURRENCIES),
    amount_to_capture: i64,
    shipping_cost: i64,
    payment_id: { kind: 'string', check: checkId },
    routing: any,
    connector: { kind: 'seq', item: str },
    capture_method: enumOf(CAPTURE_METHODS),
    authentication_type: enumOf(AUTHENTICATION_TYPES),
    billing: addressSchema,
    confirm: bool,
    customer: customerSchema,
    customer_id: { kind: 'string', check: checkId },
    off_session: bool,
    description: str,
    return_url: { kind: 'string', check: checkUrl },
    setup_future_usage: enumOf(FUTURE_USAGES),
    payment_method_data: paymentMethodDataSchema,
    payment_method: enumOf(PAYMENT_METHODS),
    payment_token: str,
    shipping: addressSchema,
    statement_descriptor_name: str,
    statement_descriptor_suffix: str,
    order_details: { kind: 'seq', item: map },
    mandate_data: mandateDataSchema,
    customer_acceptance: customerAcceptanceSchema,
    mandate_id: str,
    browser_info: map,
    payment_experience: enumOf(PAYMENT_EXPERIENCES),
    payment_method_type: enumOf(PAYMENT_METHOD_TYPES),
    business_country: enumOf(COUNTRIES),
    business_label: str,
    merchant_connector_details: any,
    allowed_payment_method_types: { kind: 'seq', item: enumOf(PAYMENT_METHOD_TYPES) },
    metadata: map,
    connector_metadata: any,
    payment_link: bool,
    payment_link_config: any,
    payment_link_config_id: str,
    profile_id: str,
    surcharge_details: { kind: 'struct', name: 'RequestSurchargeDetails', fields: { surcharge_amount: i64, tax_amount: i64 }, required: ['surcharge_amount'] },
    payment_type: any,
    request_incremental_authorization: bool,
    session_expiry: { kind: 'integer', type: 'u32' },
    frm_metadata: any,
    request_external_three_ds_authentication: bool,
    three_ds_data: any,
    recurring_details: recurringDetailsSchema,
    split_payments: any,
    request_extended_authorization: bool,
    merchant_order_reference_id: str,
    skip_external_tax_calculation: bool,
    psd2_sca_exemption_type: any,
    ctp_service_details: any,
    force_3ds_challenge: bool,
    threeds_method_comp_ind: any,
    is_iframe_redirection_enabled: bool,
    all_keys_required: bool,
    payment_channel: any,
    tax_status: any,
    discount_amount: i64,
    shipping_amount_tax: i64,
    duty_amount: i64,
    order_date: str,
    enable_partial_authorization: bool,
    enable_overcapture: bool,
    is_stored_credential: bool,
    mit_category: any,
    billing_descriptor: any,
    tokenization: any,
    partner_merchant_identifier_details: any,
    installment_options: any,
    installment_data: any,
    profile_acquirer_id: str,
    external_surcharge_strategy: any,
    client_secret: str,
    retry_action: any,
    email: str,
    name: str,
    phone: str,
    phone_country_code: str,
    merchant_id: str,
    business_sub_label: str,
  },
};

export const paymentsCaptureSchema: Schema = {
  kind: 'struct',
  name: 'PaymentsCaptureRequest',
  fields: {
    merchant_id: str,
    amount_to_capture: i64,
    refund_uncaptured_amount: bool,
    statement_descriptor_suffix: str,
    statement_descriptor_prefix: str,
    merchant_connector_details: any,
    all_keys_required: bool,
  },
};

export const paymentsCancelSchema: Schema = {
  kind: 'struct',
  name: 'PaymentsCancelRequest',
  fields: { cancellation_reason: str, merchant_connector_details: any, all_keys_required: bool },
};

export const paymentsCancelPostCaptureSchema: Schema = {
  kind: 'struct',
  name: 'PaymentsCancelPostCaptureRequest',
  fields: { cancellation_reason: str },
};

export const paymentsIncrementalAuthorizationSchema: Schema = {
  kind: 'struct',
  name: 'PaymentsIncrementalAuthorizationRequest',
  fields: { amount: i64, reason: str },
  required: ['amount'],
};

export const refundRequestSchema: Schema = {
  kind: 'struct',
  name: 'RefundRequest',
  denyUnknown: true,
  fields: {
    payment_id: str,
    refund_id: str,
    merchant_id: str,
    amount: i64,
    reason: str,
    refund_type: enumOf(REFUND_TYPES),
    metadata: map,
    merchant_connector_details: any,
    split_refunds: any,
    all_keys_required: bool,
  },
  required: ['payment_id'],
};

export const refundUpdateSchema: Schema = {
  kind: 'struct',
  name: 'RefundUpdateRequest',
  denyUnknown: true,
  fields: { reason: str, metadata: map },
};

/** The internal refund status enum the list filter takes (snake_case and PascalCase). */
export const REFUND_STATUS_FILTER: Record<string, 'succeeded' | 'failed' | 'pending' | 'review'> = {
  success: 'succeeded',
  Success: 'succeeded',
  failure: 'failed',
  Failure: 'failed',
  transaction_failure: 'failed',
  TransactionFailure: 'failed',
  pending: 'pending',
  Pending: 'pending',
  manual_review: 'review',
  ManualReview: 'review',
};

export const refundListSchema: Schema = {
  kind: 'struct',
  name: 'RefundListRequest',
  fields: {
    payment_id: str,
    refund_id: str,
    profile_id: str,
    limit: i64,
    offset: i64,
    start_time: str,
    end_time: str,
    amount_filter: { kind: 'struct', name: 'AmountFilter', fields: { start_amount: i64, end_amount: i64 } },
    connector: { kind: 'seq', item: str },
    merchant_connector_id: { kind: 'seq', item: str },
    currency: { kind: 'seq', item: enumOf(CURRENCIES) },
    refund_status: { kind: 'seq', item: enumOf(Object.keys(REFUND_STATUS_FILTER)) },
  },
};

/** `pii::Email`: HS's `validate_email` pattern, at most 319 characters; its own "Redacted" marker passes. */
const EMAIL_PATTERN = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;
export function checkEmail(value: string): string | undefined {
  if (value === 'Redacted') return undefined;
  if (value.length === 0 || [...value].length > 319 || !EMAIL_PATTERN.test(value)) return 'Invalid email address format';
  return undefined;
}

/** The fields `CustomerUpdateRequest` shares with `CustomerRequest`. */
const customerFields: Record<string, Schema> = {
  name: str,
  email: { kind: 'string', check: checkEmail },
  phone: str,
  description: str,
  phone_country_code: str,
  address: addressDetails,
  metadata: any,
  tax_registration_id: str,
  document_details: any,
};

/** `CustomerRequest` (POST /customers). HS v1 ignores unknown fields; the sandbox refuses them, as on the other routes. */
export const customerRequestSchema: Schema = {
  kind: 'struct',
  name: 'CustomerRequest',
  denyUnknown: true,
  fields: { customer_id: { kind: 'string', check: checkId }, ...customerFields },
};

/** `CustomerUpdateRequest` (POST /customers/{id}): the id is the path's. */
export const customerUpdateSchema: Schema = {
  kind: 'struct',
  name: 'CustomerUpdateRequest',
  denyUnknown: true,
  fields: customerFields,
};

export const eventListSchema: Schema = {
  kind: 'struct',
  name: 'EventListConstraints',
  fields: {
    created_after: str,
    created_before: str,
    limit: { kind: 'integer', type: 'u16' },
    offset: { kind: 'integer', type: 'u16' },
    object_id: str,
    event_id: str,
    profile_id: str,
    event_classes: { kind: 'seq', item: enumOf(EVENT_CLASSES) },
    event_types: { kind: 'seq', item: enumOf(EVENT_TYPES) },
    is_delivered: bool,
  },
};

/** `CardDetail` of `POST /payment_methods` (`deny_unknown_fields`). */
const cardDetailSchema: Schema = {
  kind: 'struct',
  name: 'CardDetail',
  denyUnknown: true,
  fields: {
    card_number: { kind: 'string', check: checkCardNumber },
    card_exp_month: str,
    card_exp_year: str,
    card_holder_name: str,
    card_cvc: str,
    nick_name: str,
    card_issuing_country: str,
    card_issuing_country_code: str,
    card_network: enumOf(CARD_NETWORKS),
    card_issuer: str,
    card_type: str,
  },
  required: ['card_number', 'card_exp_month', 'card_exp_year'],
};

/** `PaymentMethodCreate` (`deny_unknown_fields`). */
export const paymentMethodCreateSchema: Schema = {
  kind: 'struct',
  name: 'PaymentMethodCreate',
  denyUnknown: true,
  fields: {
    payment_method: enumOf(PAYMENT_METHODS),
    payment_method_type: enumOf(PAYMENT_METHOD_TYPES),
    payment_method_issuer: str,
    payment_method_issuer_code: any,
    card: cardDetailSchema,
    metadata: map,
    customer_id: { kind: 'string', check: checkId },
    card_network: str,
    bank_transfer: any,
    bank_transfer_data: any,
    wallet: any,
    client_secret: str,
    payment_method_data: any,
    billing: addressSchema,
  },
  required: ['payment_method'],
};

/** `PaymentMethodUpdate` (`deny_unknown_fields`); `card` is `CardDetailUpdate`. */
export const paymentMethodUpdateSchema: Schema = {
  kind: 'struct',
  name: 'PaymentMethodUpdate',
  denyUnknown: true,
  fields: {
    card: {
      kind: 'struct',
      name: 'CardDetailUpdate',
      denyUnknown: true,
      fields: {
        card_exp_month: str,
        card_exp_year: str,
        card_holder_name: str,
        nick_name: str,
        last4_digits: str,
        card_issuer: str,
        issuer_country: str,
        issuer_country_code: str,
        card_network: str,
      },
    },
    wallet: any,
    client_secret: str,
  },
};

/** HS `SubmitEvidenceRequest` (unknown fields ignored; every evidence field an optional string). */
export const submitEvidenceSchema: Schema = {
  kind: 'struct',
  name: 'SubmitEvidenceRequest',
  fields: Object.fromEntries(
    [
      'dispute_id',
      'access_activity_log',
      'billing_address',
      'cancellation_policy',
      'cancellation_policy_disclosure',
      'cancellation_rebuttal',
      'customer_communication',
      'customer_email_address',
      'customer_name',
      'customer_purchase_ip',
      'customer_signature',
      'product_description',
      'receipt',
      'refund_policy',
      'refund_policy_disclosure',
      'refund_refusal_explanation',
      'service_date',
      'service_documentation',
      'shipping_address',
      'shipping_carrier',
      'shipping_date',
      'shipping_documentation',
      'shipping_tracking_number',
      'invoice_showing_distinct_transactions',
      'recurring_transaction_agreement',
      'uncategorized_file',
      'uncategorized_text',
    ].map((name) => [name, str]),
  ),
  required: ['dispute_id'],
};

/** HS `DeleteEvidenceRequest`. */
export const deleteEvidenceSchema: Schema = {
  kind: 'struct',
  name: 'DeleteEvidenceRequest',
  fields: { dispute_id: str, evidence_type: enumOf(EVIDENCE_TYPES) },
  required: ['dispute_id', 'evidence_type'],
};

/** `POST /__sandbox/disputes` (sandbox control). */
export const openDisputeSchema: Schema = {
  kind: 'struct',
  name: 'OpenDisputeRequest',
  denyUnknown: true,
  fields: { payment_id: str, amount: i64, reason: str },
  required: ['payment_id'],
};

/** `POST /__sandbox/disputes/{id}` (sandbox control). */
export const settleDisputeSchema: Schema = {
  kind: 'struct',
  name: 'SettleDisputeRequest',
  denyUnknown: true,
  fields: { status: enumOf(['won', 'lost', 'expired', 'cancelled']) },
  required: ['status'],
};
