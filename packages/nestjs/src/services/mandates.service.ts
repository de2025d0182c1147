import { inspect, type InspectOptions } from 'node:util';
import { Injectable } from '@nestjs/common';
import type { Mandate, MandateListParams, MandateRevokedResponse, PaymntClient, PaymntResponse, RequestOptions } from '@paymnt/client';
import { inspectWithoutSecrets } from '../options/redact-paymnt-options';
import { InjectPaymntClient } from '../paymnt.decorators';

/**
 * Every operation of `client.mandates`, same names and signatures. `PaymntEvents.MANDATE_ACTIVE`
 * and `MANDATE_REVOKED` come from the mandate webhooks (a revoke answers with the status only), so
 * the service publishes nothing itself.
 */
@Injectable()
export class MandatesService {
  constructor(@InjectPaymntClient() protected readonly client: PaymntClient) {}

  /** Safe to log or serialize: the client shows its settings, never its key. */
  toJSON(): Record<string, unknown> {
    return { client: this.client };
  }

  [inspect.custom](_depth: number, options: InspectOptions): string {
    return inspectWithoutSecrets(this.constructor.name, this.toJSON(), options);
  }

  /** `GET /mandates/{id}`. */
  retrieve(mandateId: string, options?: RequestOptions): Promise<PaymntResponse<Mandate>> {
    return this.client.mandates.retrieve(mandateId, options);
  }

  /** `POST /mandates/revoke/{id}`: later charges with it are refused. */
  revoke(mandateId: string, options?: RequestOptions): Promise<PaymntResponse<MandateRevokedResponse>> {
    return this.client.mandates.revoke(mandateId, options);
  }

  /** `GET /customers/{customer_id}/mandates` (404 when the customer has none). */
  listForCustomer(customerId: string, options?: RequestOptions): Promise<PaymntResponse<Mandate[]>> {
    return this.client.mandates.listForCustomer(customerId, options);
  }

  /** `GET /mandates/list`. */
  list(params?: MandateListParams, options?: RequestOptions): Promise<PaymntResponse<Mandate[]>> {
    return this.client.mandates.list(params, options);
  }
}
