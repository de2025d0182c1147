/**
 * Customers (HS's core/customers.rs, v1): merchant-scoped records, never removed. Delete redacts
 * the record in place (name, email, phone, description, phone_country_code and the address read
 * "Redacted"), so the id stays taken and every later call on it answers IR_11. Profiles do not
 * scope customers: HS keys them by merchant only.
 */
import type { Customer, CustomerDeleteResponse } from '@paymnt/client';
import { ApiError } from '../http/api-error';
import { newCustomerId } from '../ids';
import { customerView } from './customer-views';
import type { Caller } from './payment-service';

/** HS's `REDACTED` marker. */
export const REDACTED = 'Redacted';
/** HS's DEFAULT_LIST_API_LIMIT: the page size of `GET /customers/list` without `limit`. */
export const CUSTOMER_LIST_DEFAULT_LIMIT = 100;

export interface StoredAddress {
  city: string | null;
  country: string | null;
  line1: string | null;
  line2: string | null;
  line3: string | null;
  zip: string | null;
  state: string | null;
  first_name: string | null;
  last_name: string | null;
  origin_zip: string | null;
}

export interface StoredCustomer {
  seq: number;
  customerId: string;
  merchantId: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  phoneCountryCode: string | null;
  description: string | null;
  address: StoredAddress | null;
  metadata: unknown;
  taxRegistrationId: string | null;
  documentDetails: unknown;
  createdMs: number;
  createdAt: string;
  modifiedAt: string;
  redacted: boolean;
  /** Set when a payment method is saved for a customer without one, or by `…/default`. */
  defaultPaymentMethodId: string | null;
}

export interface CustomerListFilter {
  limit?: number;
  offset?: number;
  customer_id?: string;
}

const ADDRESS_KEYS = ['city', 'country', 'line1', 'line2', 'line3', 'zip', 'state', 'first_name', 'last_name', 'origin_zip'] as const;
const k = (merchantId: string, id: string): string => `${merchantId}\u0000${id}`;
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function toAddress(value: unknown, previous: StoredAddress | null): StoredAddress {
  const given = value as Record<string, unknown>;
  const out = {} as StoredAddress;
  // Like HS's address update, a field absent from the request keeps its stored value.
  for (const key of ADDRESS_KEYS) out[key] = str(given[key]) ?? previous?.[key] ?? null;
  return out;
}

export class CustomerService {
  private readonly byKey = new Map<string, StoredCustomer>();
  /** Creation order (the list's order: HS sorts by `created_at` ascending). */
  private readonly all: StoredCustomer[] = [];
  private sequence = 0;

  /** A live customer of the caller's merchant; 404 when unknown (or another merchant's), IR_11 when deleted. */
  private find(caller: Caller, customerId: string): StoredCustomer {
    return this.live(caller.merchant.merchantId, customerId);
  }

  /** A live customer of `merchantId` (payment methods and mandates hang on it). */
  live(merchantId: string, customerId: string): StoredCustomer {
    const c = this.byKey.get(k(merchantId, customerId));
    if (!c) throw ApiError.customerNotFound();
    if (c.redacted) throw ApiError.customerRedacted();
    return c;
  }

  /** The customer a payment names, created from the payment's details if new (HS's create_customer_if_not_exist). */
  ensure(merchantId: string, customerId: string, details: Record<string, unknown>): StoredCustomer {
    return this.byKey.get(k(merchantId, customerId)) ?? this.insert(merchantId, { ...details, customer_id: customerId });
  }

  create(caller: Caller, req: Record<string, unknown>): Customer {
    if (caller.publishable) throw ApiError.unauthorized();
    const merchantId = caller.merchant.merchantId;
    const customerId = str(req.customer_id) ?? newCustomerId();
    const existing = this.byKey.get(k(merchantId, customerId));
    if (existing) throw existing.redacted ? ApiError.customerRedacted() : ApiError.customerAlreadyExists();
    return customerView(this.insert(merchantId, { ...req, customer_id: customerId }));
  }

  private insert(merchantId: string, req: Record<string, unknown>): StoredCustomer {
    const customerId = req.customer_id as string;
    const now = Date.now();
    const iso = new Date(now).toISOString();
    const c: StoredCustomer = {
      seq: ++this.sequence,
      customerId,
      merchantId,
      name: str(req.name),
      email: str(req.email),
      phone: str(req.phone),
      phoneCountryCode: str(req.phone_country_code),
      description: str(req.description),
      address: req.address ? toAddress(req.address, null) : null,
      metadata: req.metadata ?? null,
      taxRegistrationId: str(req.tax_registration_id),
      documentDetails: req.document_details ?? null,
      createdMs: now,
      createdAt: iso,
      modifiedAt: iso,
      redacted: false,
      defaultPaymentMethodId: null,
    };
    this.byKey.set(k(merchantId, customerId), c);
    this.all.push(c);
    return c;
  }

  retrieve(caller: Caller, customerId: string): Customer {
    if (caller.publishable) throw ApiError.unauthorized();
    return customerView(this.find(caller, customerId));
  }

  /** Only the fields given change: HS's update maps an absent or null field to "no change". */
  update(caller: Caller, customerId: string, req: Record<string, unknown>): Customer {
    if (caller.publishable) throw ApiError.unauthorized();
    const c = this.find(caller, customerId);
    c.name = str(req.name) ?? c.name;
    c.email = str(req.email) ?? c.email;
    c.phone = str(req.phone) ?? c.phone;
    c.phoneCountryCode = str(req.phone_country_code) ?? c.phoneCountryCode;
    c.description = str(req.description) ?? c.description;
    c.taxRegistrationId = str(req.tax_registration_id) ?? c.taxRegistrationId;
    if (req.address) c.address = toAddress(req.address, c.address);
    if (req.metadata !== undefined && req.metadata !== null) c.metadata = req.metadata;
    if (req.document_details !== undefined && req.document_details !== null) c.documentDetails = req.document_details;
    c.modifiedAt = new Date().toISOString();
    return customerView(c);
  }

  /** Redacts the customer (HS keeps the row); metadata is left as it was, as HS does. */
  delete(caller: Caller, customerId: string): CustomerDeleteResponse {
    if (caller.publishable) throw ApiError.unauthorized();
    const c = this.find(caller, customerId);
    c.name = REDACTED;
    c.email = REDACTED;
    c.phone = REDACTED;
    c.description = REDACTED;
    c.phoneCountryCode = REDACTED;
    if (c.address) {
      for (const key of ADDRESS_KEYS) if (key !== 'country' && key !== 'origin_zip') c.address[key] = REDACTED;
    }
    c.redacted = true;
    c.modifiedAt = new Date().toISOString();
    return { customer_id: c.customerId, customer_deleted: true, address_deleted: true, payment_methods_deleted: true };
  }

  /** Oldest first, redacted customers included; HS's list never carries the address. */
  list(caller: Caller, f: CustomerListFilter): Customer[] {
    if (caller.publishable) throw ApiError.unauthorized();
    const merchantId = caller.merchant.merchantId;
    const limit = f.limit ?? CUSTOMER_LIST_DEFAULT_LIMIT;
    const offset = f.offset ?? 0;
    const matches = this.all.filter((c) => c.merchantId === merchantId && (f.customer_id === undefined || c.customerId === f.customer_id));
    return matches.slice(offset, offset + limit).map((c) => customerView(c, { withAddress: false }));
  }
}
