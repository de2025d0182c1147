import { buildMultipart } from '../http/multipart-body';
import type { PaymntResponse } from '../http/request-events';
import type { RequestSender } from '../http/request-sender';
import type { RequestOptions } from '../models/common';
import type {
  AttachEvidenceParams,
  CreateFileResponse,
  DeleteEvidenceParams,
  DeleteEvidenceResponse,
  Dispute,
  DisputeEvidenceBlock,
  DisputeListParams,
  SubmitEvidenceParams,
} from '../models/dispute';
import { assertAttachEvidence, assertDeleteEvidence, assertDisputeList, assertSubmitEvidence } from '../validation/dispute.validators';
import { toQueryString } from '../validation/query-string';
import { pathSegment } from '../validation/validators';

/**
 * `client.disputes`: the dispute endpoints. Parameters are checked locally before any request.
 * Accept, submit and attach work only on a dispute in the `dispute` stage with status
 * `dispute_opened`; otherwise the API answers 400 HE_03 ("Dispute status validation failed").
 */
export class DisputesResource {
  readonly #sender: RequestSender;

  /** @internal Created by `PaymntClient`. */
  constructor(sender: RequestSender) {
    this.#sender = sender;
  }

  /**
   * Lists the merchant's disputes, the most recently changed first (`GET /disputes/list`). The
   * API answers a plain array, with `limit` but no offset: there are no further pages to fetch.
   */
  async list(params?: DisputeListParams, options?: RequestOptions): Promise<PaymntResponse<Dispute[]>> {
    assertDisputeList(params);
    const query = toQueryString(params as Record<string, unknown> | undefined, 'params');
    return this.#sender.request<Dispute[]>({ method: 'GET', path: '/disputes/list', query, options });
  }

  /** Retrieves a dispute (`GET /disputes/{id}`); an unknown id is a `PaymntNotFoundError` (HE_04). */
  async retrieve(id: string, options?: RequestOptions): Promise<PaymntResponse<Dispute>> {
    const segment = pathSegment(id, 'dispute_id');
    return this.#sender.request<Dispute>({ method: 'GET', path: `/disputes/${segment}`, options });
  }

  /** Accepts the dispute, conceding the amount (`POST /disputes/accept/{id}`): `dispute_accepted`. */
  async accept(id: string, options?: RequestOptions): Promise<PaymntResponse<Dispute>> {
    const segment = pathSegment(id, 'dispute_id');
    return this.#sender.request<Dispute>({ method: 'POST', path: `/disputes/accept/${segment}`, options });
  }

  /**
   * Submits the evidence to the processor (`POST /disputes/evidence`): `dispute_challenged`. File
   * fields take the ids `attachEvidence` returned; an unknown file id is a `PaymntNotFoundError`.
   */
  async submitEvidence(params: SubmitEvidenceParams, options?: RequestOptions): Promise<PaymntResponse<Dispute>> {
    assertSubmitEvidence(params);
    return this.#sender.request<Dispute>({ method: 'POST', path: '/disputes/evidence', body: params, options });
  }

  /**
   * Uploads an evidence file and attaches it under `evidence_type` (`PUT /disputes/evidence`,
   * multipart/form-data). The API recognises the file's type from its bytes (PDF, PNG, JPEG, …);
   * a file of the same type replaces the previous one. Resolves with the new `file_id`.
   */
  async attachEvidence(params: AttachEvidenceParams, options?: RequestOptions): Promise<PaymntResponse<CreateFileResponse>> {
    assertAttachEvidence(params);
    const rawBody = buildMultipart([
      { name: 'dispute_id', value: params.dispute_id },
      { name: 'evidence_type', value: params.evidence_type },
      { name: 'file', fileName: params.file_name ?? 'evidence', contentType: params.file_content_type ?? 'application/octet-stream', data: params.file },
    ]);
    return this.#sender.request<CreateFileResponse>({ method: 'PUT', path: '/disputes/evidence', rawBody, options });
  }

  /** The evidence files attached to a dispute, one block per evidence type (`GET /disputes/evidence/{id}`). */
  async retrieveEvidence(id: string, options?: RequestOptions): Promise<PaymntResponse<DisputeEvidenceBlock[]>> {
    const segment = pathSegment(id, 'dispute_id');
    return this.#sender.request<DisputeEvidenceBlock[]>({ method: 'GET', path: `/disputes/evidence/${segment}`, options });
  }

  /** Detaches the file of one evidence type (`DELETE /disputes/evidence`); the API answers an empty 200. */
  async deleteEvidence(params: DeleteEvidenceParams, options?: RequestOptions): Promise<PaymntResponse<DeleteEvidenceResponse>> {
    assertDeleteEvidence(params);
    return this.#sender.request<DeleteEvidenceResponse>({ method: 'DELETE', path: '/disputes/evidence', body: params, emptyOk: true, options });
  }
}
