/** Wire views of a mandate: MandateResponse in HS's field order. */
import type { Mandate } from '@paymnt/client';
import type { StoredMandate } from './mandate-record';
import type { StoredPaymentMethod } from './payment-method-record';

/** `MandateCardDetails` of a saved card, taken when the mandate is created. */
export function mandateCardView(pm: StoredPaymentMethod): Record<string, unknown> {
  const c = pm.card;
  return {
    last4_digits: c.number.slice(-4),
    card_exp_month: c.expMonth,
    card_exp_year: c.expYear,
    card_holder_name: c.holderName,
    card_token: null,
    scheme: c.network,
    issuer_country: c.issuingCountry,
    card_fingerprint: c.fingerprint,
    card_isin: c.number.slice(0, 6),
    card_issuer: c.issuer,
    card_network: c.network,
    card_type: c.cardType,
    nick_name: c.nickName,
  };
}

export function mandateView(m: StoredMandate): Mandate {
  return {
    mandate_id: m.mandateId,
    status: m.status,
    payment_method_id: m.paymentMethodId,
    payment_method: 'card',
    payment_method_type: m.paymentMethodType,
    card: { ...m.card },
    customer_acceptance: (m.customerAcceptance ?? null) as Mandate['customer_acceptance'],
  };
}
