import type { PaymntResponse } from '../http/request-events';
import type { RequestSender } from '../http/request-sender';
import type { RequestOptions } from '../models/common';
import type {
  Customer,
  CustomerCreateParams,
  CustomerDeleteResponse,
  CustomerListParams,
  CustomerPaymentMethodsList,
  CustomerUpdateParams,
} from '../models/customer';
import { customerListPagePromise } from '../pagination/customer-list.paginator';
import type { PagePromise } from '../pagination/page-promise';
import { assertCustomerCreate, assertCustomerUpdate } from '../validation/customer.validators';
import { pathSegment } from '../validation/validators';

/** `client.customers`: the customer endpoints. Parameters are checked locally before any request. */
export class CustomersResource {
  readonly #sender: RequestSender;

  /** @internal Created by `PaymntClient`. */
  constructor(sender: RequestSender) {
    this.#sender = sender;
  }

  /**
   * Creates a customer (`POST /customers`); `customer_id` is generated (`cus_…`) when omitted.
   * An id already taken is refused (`PaymntInvalidRequestError`, code IR_12).
   */
  async create(params?: CustomerCreateParams, options?: RequestOptions): Promise<PaymntResponse<Customer>> {
    assertCustomerCreate(params);
    return this.#sender.request<Customer>({ method: 'POST', path: '/customers', body: params, options });
  }

  /** Retrieves a customer (`GET /customers/{id}`); a deleted one answers IR_11. */
  async retrieve(id: string, options?: RequestOptions): Promise<PaymntResponse<Customer>> {
    const segment = pathSegment(id, 'customer_id');
    return this.#sender.request<Customer>({ method: 'GET', path: `/customers/${segment}`, options });
  }

  /** Updates the fields given (`POST /customers/{id}`); the others keep their value. */
  async update(id: string, params: CustomerUpdateParams, options?: RequestOptions): Promise<PaymntResponse<Customer>> {
    const segment = pathSegment(id, 'customer_id');
    assertCustomerUpdate(params);
    return this.#sender.request<Customer>({ method: 'POST', path: `/customers/${segment}`, body: params, options });
  }

  /**
   * Deletes a customer (`DELETE /customers/{id}`) with its saved payment methods. The API redacts
   * the record rather than removing it, so the id stays taken and a second delete answers IR_11.
   * Named `del` as in stripe-node (`delete` reads badly as a method name).
   */
  async del(id: string, options?: RequestOptions): Promise<PaymntResponse<CustomerDeleteResponse>> {
    const segment = pathSegment(id, 'customer_id');
    return this.#sender.request<CustomerDeleteResponse>({ method: 'DELETE', path: `/customers/${segment}`, options });
  }

  /**
   * Lists the merchant's customers, oldest first (`GET /customers/list`, offset paging). Await it
   * for the first page, or `for await (const customer of client.customers.list({ limit: 100 }))` for all.
   */
  list(params?: CustomerListParams, options?: RequestOptions): PagePromise<Customer> {
    return customerListPagePromise(this.#sender, params, options);
  }

  /** The customer's saved payment methods (`GET /customers/{id}/payment_methods`). */
  async listPaymentMethods(id: string, options?: RequestOptions): Promise<PaymntResponse<CustomerPaymentMethodsList>> {
    const segment = pathSegment(id, 'customer_id');
    return this.#sender.request<CustomerPaymentMethodsList>({ method: 'GET', path: `/customers/${segment}/payment_methods`, options });
  }
}
