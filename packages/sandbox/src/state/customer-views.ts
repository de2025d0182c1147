/** The wire view of a customer: HS's `CustomerResponse` field order, absent fields as null. */
import type { Customer } from '@paymnt/client';
import type { StoredCustomer } from './customer-service';

export function customerView(c: StoredCustomer, opts: { withAddress?: boolean } = {}): Customer {
  return {
    customer_id: c.customerId,
    name: c.name,
    email: c.email,
    phone: c.phone,
    phone_country_code: c.phoneCountryCode,
    description: c.description,
    address: opts.withAddress === false || !c.address ? null : { ...c.address },
    created_at: c.createdAt,
    metadata: (c.metadata ?? null) as Customer['metadata'],
    default_payment_method_id: c.defaultPaymentMethodId,
    tax_registration_id: c.taxRegistrationId,
    document_details: c.documentDetails ?? null,
  };
}
