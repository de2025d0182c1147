import { inspect, type InspectOptions } from 'node:util';
import { Injectable } from '@nestjs/common';
import type {
  Customer,
  CustomerCreateParams,
  CustomerDeleteResponse,
  CustomerListParams,
  CustomerPaymentMethodsList,
  CustomerUpdateParams,
  PagePromise,
  PaymntClient,
  PaymntResponse,
  RequestOptions,
} from '@paymnt/client';
import { inspectWithoutSecrets } from '../options/redact-paymnt-options';
import { InjectPaymntClient } from '../paymnt.decorators';

/**
 * Every operation of `client.customers`, same names and signatures. Customers have no webhook
 * events, so nothing is published.
 */
@Injectable()
export class CustomersService {
  constructor(@InjectPaymntClient() protected readonly client: PaymntClient) {}

  /** Safe to log or serialize: the client shows its settings, never its key. */
  toJSON(): Record<string, unknown> {
    return { client: this.client };
  }

  [inspect.custom](_depth: number, options: InspectOptions): string {
    return inspectWithoutSecrets(this.constructor.name, this.toJSON(), options);
  }

  /** `POST /customers`. */
  create(params?: CustomerCreateParams, options?: RequestOptions): Promise<PaymntResponse<Customer>> {
    return this.client.customers.create(params, options);
  }

  /** `GET /customers/{id}`. */
  retrieve(customerId: string, options?: RequestOptions): Promise<PaymntResponse<Customer>> {
    return this.client.customers.retrieve(customerId, options);
  }

  /** `POST /customers/{id}`: only the fields given change. */
  update(customerId: string, params: CustomerUpdateParams, options?: RequestOptions): Promise<PaymntResponse<Customer>> {
    return this.client.customers.update(customerId, params, options);
  }

  /** `DELETE /customers/{id}`: the API redacts the customer; the id stays taken. */
  del(customerId: string, options?: RequestOptions): Promise<PaymntResponse<CustomerDeleteResponse>> {
    return this.client.customers.del(customerId, options);
  }

  /** `GET /customers/list`: await it for one page, or `for await` over every customer. */
  list(params?: CustomerListParams, options?: RequestOptions): PagePromise<Customer> {
    return this.client.customers.list(params, options);
  }

  /** `GET /customers/{id}/payment_methods`. */
  listPaymentMethods(customerId: string, options?: RequestOptions): Promise<PaymntResponse<CustomerPaymentMethodsList>> {
    return this.client.customers.listPaymentMethods(customerId, options);
  }
}
