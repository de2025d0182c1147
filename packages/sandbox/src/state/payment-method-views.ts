/** Wire views of a saved payment method: PaymentMethodResponse and CustomerPaymentMethod, in HS's field order. */
import type { CustomerPaymentMethod, PaymentMethodResponse, SavedCardDetails } from '@paymnt/client';
import type { StoredPaymentMethod } from './payment-method-record';

/** `CardDetailFromLocker`: masked, never the number. */
export function savedCardView(pm: StoredPaymentMethod): SavedCardDetails {
  const c = pm.card;
  return {
    scheme: c.network,
    issuer_country: c.issuingCountry,
    issuer_country_code: null,
    last4_digits: c.number.slice(-4),
    expiry_month: c.expMonth,
    expiry_year: c.expYear,
    card_token: null,
    card_holder_name: c.holderName,
    card_fingerprint: c.fingerprint,
    nick_name: c.nickName,
    card_network: c.network,
    card_isin: c.number.slice(0, 6),
    card_issuer: c.issuer,
    card_type: c.cardType,
    saved_to_locker: true,
  };
}

export function paymentMethodView(pm: StoredPaymentMethod): PaymentMethodResponse {
  return {
    merchant_id: pm.merchantId,
    customer_id: pm.customerId,
    payment_method_id: pm.paymentMethodId,
    payment_method: pm.paymentMethod,
    payment_method_type: pm.paymentMethodType,
    card: savedCardView(pm),
    recurring_enabled: pm.recurringEnabled,
    installment_payment_enabled: false,
    payment_experience: ['redirect_to_url'],
    metadata: (pm.metadata ?? null) as PaymentMethodResponse['metadata'],
    created: pm.createdAt,
    bank_transfer: null,
    last_used_at: pm.lastUsedAt,
    client_secret: null,
  };
}

export function customerPaymentMethodView(pm: StoredPaymentMethod, isDefault: boolean): CustomerPaymentMethod {
  return {
    payment_token: pm.paymentToken,
    payment_method_id: pm.paymentMethodId,
    customer_id: pm.customerId,
    payment_method: pm.paymentMethod,
    payment_method_type: pm.paymentMethodType,
    payment_method_issuer: pm.paymentMethodIssuer,
    payment_method_issuer_code: null,
    recurring_enabled: pm.recurringEnabled,
    installment_payment_enabled: false,
    payment_experience: ['redirect_to_url'],
    card: savedCardView(pm),
    metadata: (pm.metadata ?? null) as CustomerPaymentMethod['metadata'],
    created: pm.createdAt,
    bank_transfer: null,
    bank: null,
    surcharge_details: null,
    requires_cvv: true,
    last_used_at: pm.lastUsedAt,
    default_payment_method_set: isDefault,
    billing: pm.billing ?? null,
  };
}
