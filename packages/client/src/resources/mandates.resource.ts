import type { PaymntResponse } from '../http/request-events';
import type { RequestSender } from '../http/request-sender';
import type { RequestOptions } from '../models/common';
import type { Mandate, MandateListParams, MandateRevokedResponse } from '../models/mandate';
import { assertMandateList } from '../validation/mandate.validators';
import { toQueryString } from '../validation/query-string';
import { pathSegment } from '../validation/validators';

/**
 * `client.mandates`: the customer's permissions to charge a saved card later. A mandate is created
 * by a payment with `mandate_data` that succeeds, and charged by payments with `off_session: true`
 * and `recurring_details: { type: 'mandate_id', data }`.
 */
export class MandatesResource {
  readonly #sender: RequestSender;

  /** @internal Created by `PaymntClient`. */
  constructor(sender: RequestSender) {
    this.#sender = sender;
  }

  /** Retrieves a mandate (`GET /mandates/{id}`). */
  async retrieve(id: string, options?: RequestOptions): Promise<PaymntResponse<Mandate>> {
    const segment = pathSegment(id, 'mandate_id');
    return this.#sender.request<Mandate>({ method: 'GET', path: `/mandates/${segment}`, options });
  }

  /**
   * Revokes a mandate (`POST /mandates/revoke/{id}`): later charges with it are refused (IR_16
   * "mandate is not active"). Revoking it again answers HE_03 "Mandate has already been revoked".
   */
  async revoke(id: string, options?: RequestOptions): Promise<PaymntResponse<MandateRevokedResponse>> {
    const segment = pathSegment(id, 'mandate_id');
    return this.#sender.request<MandateRevokedResponse>({ method: 'POST', path: `/mandates/revoke/${segment}`, options });
  }

  /**
   * The customer's mandates (`GET /customers/{customer_id}/mandates`). A customer without any
   * answers 404 HE_02, as the API does.
   */
  async listForCustomer(customerId: string, options?: RequestOptions): Promise<PaymntResponse<Mandate[]>> {
    const segment = pathSegment(customerId, 'customer_id');
    return this.#sender.request<Mandate[]>({ method: 'GET', path: `/customers/${segment}/mandates`, options });
  }

  /** The merchant's mandates, newest first (`GET /mandates/list`); an empty array when none match. */
  async list(params?: MandateListParams, options?: RequestOptions): Promise<PaymntResponse<Mandate[]>> {
    assertMandateList(params);
    return this.#sender.request<Mandate[]>({ method: 'GET', path: `/mandates/list${toQueryString(params as Record<string, unknown> | undefined, 'params')}`, options });
  }
}
