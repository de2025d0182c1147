import { inspect, type InspectOptions } from 'node:util';
import { Injectable } from '@nestjs/common';
import type {
  AttachEvidenceParams,
  CreateFileResponse,
  DeleteEvidenceParams,
  DeleteEvidenceResponse,
  Dispute,
  DisputeEvidenceBlock,
  DisputeListParams,
  PaymntClient,
  PaymntResponse,
  RequestOptions,
  SubmitEvidenceParams,
} from '@paymnt/client';
import { PaymntEventPublisher } from '../events/paymnt-event.publisher';
import { inspectWithoutSecrets } from '../options/redact-paymnt-options';
import { InjectPaymntClient } from '../paymnt.decorators';

/**
 * Every operation of `client.disputes`, same names and signatures. `accept` and `submitEvidence`
 * publish the dispute's new status (`dispute_accepted`, `dispute_challenged`; `source: 'api'`) once
 * per transition, the webhook of the same change then being a duplicate; handler failures are
 * logged, never thrown.
 */
@Injectable()
export class DisputesService {
  constructor(
    @InjectPaymntClient() protected readonly client: PaymntClient,
    protected readonly publisher: PaymntEventPublisher,
  ) {}

  /** Safe to log or serialize: the client shows its settings, never its key. */
  toJSON(): Record<string, unknown> {
    return { client: this.client };
  }

  [inspect.custom](_depth: number, options: InspectOptions): string {
    return inspectWithoutSecrets(this.constructor.name, this.toJSON(), options);
  }

  /** `GET /disputes/list`: a plain array, the most recently changed first. Publishes nothing. */
  list(params?: DisputeListParams, options?: RequestOptions): Promise<PaymntResponse<Dispute[]>> {
    return this.client.disputes.list(params, options);
  }

  /** `GET /disputes/{id}`. Publishes nothing. */
  retrieve(disputeId: string, options?: RequestOptions): Promise<PaymntResponse<Dispute>> {
    return this.client.disputes.retrieve(disputeId, options);
  }

  /** `POST /disputes/accept/{id}`. */
  async accept(disputeId: string, options?: RequestOptions): Promise<PaymntResponse<Dispute>> {
    return this.published(await this.client.disputes.accept(disputeId, options));
  }

  /** `POST /disputes/evidence`. */
  async submitEvidence(params: SubmitEvidenceParams, options?: RequestOptions): Promise<PaymntResponse<Dispute>> {
    return this.published(await this.client.disputes.submitEvidence(params, options));
  }

  /** `PUT /disputes/evidence` (multipart upload). */
  attachEvidence(params: AttachEvidenceParams, options?: RequestOptions): Promise<PaymntResponse<CreateFileResponse>> {
    return this.client.disputes.attachEvidence(params, options);
  }

  /** `GET /disputes/evidence/{id}`. */
  retrieveEvidence(disputeId: string, options?: RequestOptions): Promise<PaymntResponse<DisputeEvidenceBlock[]>> {
    return this.client.disputes.retrieveEvidence(disputeId, options);
  }

  /** `DELETE /disputes/evidence`. */
  deleteEvidence(params: DeleteEvidenceParams, options?: RequestOptions): Promise<PaymntResponse<DeleteEvidenceResponse>> {
    return this.client.disputes.deleteEvidence(params, options);
  }

  private async published<T extends Dispute>(dispute: T): Promise<T> {
    await this.publisher.publishDispute(dispute);
    return dispute;
  }
}
