import { inspect, type InspectOptions } from 'node:util';
import { Injectable } from '@nestjs/common';
import type {
  CustomerDefaultPaymentMethod,
  CustomerPaymentMethodsList,
  PaymentMethodCreateParams,
  PaymentMethodDeleteResponse,
  PaymentMethodResponse,
  PaymentMethodUpdateParams,
  PaymntClient,
  PaymntResponse,
  RequestOptions,
} from '@paymnt/client';
import { inspectWithoutSecrets } from '../options/redact-paymnt-options';
import { InjectPaymntClient } from '../paymnt.decorators';

/**
 * Every operation of `client.paymentMethods`, same names and signatures. Saved payment methods
 * have no webhook events, so nothing is published.
 */
@Injectable()
export class PaymentMethodsService {
  constructor(@InjectPaymntClient() protected readonly client: PaymntClient) {}

  /** Safe to log or serialize: the client shows its settings, never its key. */
  toJSON(): Record<string, unknown> {
    return { client: this.client };
  }

  [inspect.custom](_depth: number, options: InspectOptions): string {
    return inspectWithoutSecrets(this.constructor.name, this.toJSON(), options);
  }

  /** `POST /payment_methods`. */
  create(params: PaymentMethodCreateParams, options?: RequestOptions): Promise<PaymntResponse<PaymentMethodResponse>> {
    return this.client.paymentMethods.create(params, options);
  }

  /** `GET /payment_methods/{id}`. */
  retrieve(paymentMethodId: string, options?: RequestOptions): Promise<PaymntResponse<PaymentMethodResponse>> {
    return this.client.paymentMethods.retrieve(paymentMethodId, options);
  }

  /** `POST /payment_methods/{id}/update`. */
  update(paymentMethodId: string, params: PaymentMethodUpdateParams, options?: RequestOptions): Promise<PaymntResponse<PaymentMethodResponse>> {
    return this.client.paymentMethods.update(paymentMethodId, params, options);
  }

  /** `DELETE /payment_methods/{id}` (the customer's default is refused, IR_25). */
  del(paymentMethodId: string, options?: RequestOptions): Promise<PaymntResponse<PaymentMethodDeleteResponse>> {
    return this.client.paymentMethods.del(paymentMethodId, options);
  }

  /** `POST /customers/{customer_id}/payment_methods/{id}/default`. */
  setDefault(customerId: string, paymentMethodId: string, options?: RequestOptions): Promise<PaymntResponse<CustomerDefaultPaymentMethod>> {
    return this.client.paymentMethods.setDefault(customerId, paymentMethodId, options);
  }

  /** `GET /customers/{customer_id}/payment_methods`. */
  listForCustomer(customerId: string, options?: RequestOptions): Promise<PaymntResponse<CustomerPaymentMethodsList>> {
    return this.client.paymentMethods.listForCustomer(customerId, options);
  }
}
