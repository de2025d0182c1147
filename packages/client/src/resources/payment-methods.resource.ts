import type { PaymntResponse } from '../http/request-events';
import type { RequestSender } from '../http/request-sender';
import type { RequestOptions } from '../models/common';
import type { CustomerPaymentMethodsList } from '../models/customer';
import type {
  CustomerDefaultPaymentMethod,
  PaymentMethodCreateParams,
  PaymentMethodDeleteResponse,
  PaymentMethodResponse,
  PaymentMethodUpdateParams,
} from '../models/payment-method';
import { assertPaymentMethodCreate, assertPaymentMethodUpdate } from '../validation/payment-method.validators';
import { pathSegment } from '../validation/validators';

/**
 * `client.paymentMethods`: a customer's saved payment methods (cards). A card is saved by a
 * payment with `setup_future_usage` and `customer_acceptance`, or directly with `create`; the API
 * returns it masked (last four digits, network, expiry, fingerprint), never the full number.
 */
export class PaymentMethodsResource {
  readonly #sender: RequestSender;

  /** @internal Created by `PaymntClient`. */
  constructor(sender: RequestSender) {
    this.#sender = sender;
  }

  /** Saves a payment method for a customer (`POST /payment_methods`); the same card twice returns the saved one. */
  async create(params: PaymentMethodCreateParams, options?: RequestOptions): Promise<PaymntResponse<PaymentMethodResponse>> {
    assertPaymentMethodCreate(params);
    return this.#sender.request<PaymentMethodResponse>({ method: 'POST', path: '/payment_methods', body: params, options });
  }

  /** Retrieves a saved payment method (`GET /payment_methods/{id}`). */
  async retrieve(id: string, options?: RequestOptions): Promise<PaymntResponse<PaymentMethodResponse>> {
    const segment = pathSegment(id, 'payment_method_id');
    return this.#sender.request<PaymentMethodResponse>({ method: 'GET', path: `/payment_methods/${segment}`, options });
  }

  /** Changes a saved card's expiry, holder name or nickname (`POST /payment_methods/{id}/update`). */
  async update(id: string, params: PaymentMethodUpdateParams, options?: RequestOptions): Promise<PaymntResponse<PaymentMethodResponse>> {
    const segment = pathSegment(id, 'payment_method_id');
    assertPaymentMethodUpdate(params);
    return this.#sender.request<PaymentMethodResponse>({ method: 'POST', path: `/payment_methods/${segment}/update`, body: params, options });
  }

  /**
   * Deletes a saved payment method (`DELETE /payment_methods/{id}`). The customer's default method
   * is refused (IR_25): make another one the default first.
   */
  async del(id: string, options?: RequestOptions): Promise<PaymntResponse<PaymentMethodDeleteResponse>> {
    const segment = pathSegment(id, 'payment_method_id');
    return this.#sender.request<PaymentMethodDeleteResponse>({ method: 'DELETE', path: `/payment_methods/${segment}`, options });
  }

  /** Makes a saved method the customer's default (`POST /customers/{customer_id}/payment_methods/{id}/default`). */
  async setDefault(customerId: string, id: string, options?: RequestOptions): Promise<PaymntResponse<CustomerDefaultPaymentMethod>> {
    const customer = pathSegment(customerId, 'customer_id');
    const segment = pathSegment(id, 'payment_method_id');
    return this.#sender.request<CustomerDefaultPaymentMethod>({
      method: 'POST',
      path: `/customers/${customer}/payment_methods/${segment}/default`,
      options,
    });
  }

  /** The customer's saved methods, most recently used first (`GET /customers/{customer_id}/payment_methods`). */
  async listForCustomer(customerId: string, options?: RequestOptions): Promise<PaymntResponse<CustomerPaymentMethodsList>> {
    const segment = pathSegment(customerId, 'customer_id');
    return this.#sender.request<CustomerPaymentMethodsList>({ method: 'GET', path: `/customers/${segment}/payment_methods`, options });
  }
}
