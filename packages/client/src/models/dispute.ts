import type { OpenUnion, Timestamp } from './common';

/** Known dispute statuses (HS `DisputeStatus`). Unknown future values are accepted. */
export const DISPUTE_STATUSES = [
  'dispute_opened',
  'dispute_expired',
  'dispute_accepted',
  'dispute_cancelled',
  'dispute_challenged',
  'dispute_won',
  'dispute_lost',
] as const;

/** Known dispute stages (HS `DisputeStage`). */
export const DISPUTE_STAGES = ['pre_dispute', 'dispute', 'pre_arbitration', 'arbitration', 'dispute_reversal'] as const;

/** The kinds of evidence file a dispute holds (HS `EvidenceType`). */
export const EVIDENCE_TYPES = [
  'cancellation_policy',
  'customer_communication',
  'customer_signature',
  'receipt',
  'refund_policy',
  'service_documentation',
  'shipping_documentation',
  'invoice_showing_distinct_transactions',
  'recurring_transaction_agreement',
  'uncategorized_file',
] as const;

export type KnownDisputeStatus = (typeof DISPUTE_STATUSES)[number];
export type DisputeStatus = OpenUnion<KnownDisputeStatus>;
export type DisputeStage = OpenUnion<(typeof DISPUTE_STAGES)[number]>;
export type KnownEvidenceType = (typeof EVIDENCE_TYPES)[number];
export type EvidenceType = OpenUnion<KnownEvidenceType>;

/** What the dispute endpoints and `dispute_details` webhooks return (`DisputeResponse`). */
export interface Dispute {
  /** `dp_…` */
  dispute_id: string;
  payment_id: string;
  attempt_id: string;
  /** Minor units, as a string (`StringMinorUnit`). */
  amount: string;
  currency: string;
  dispute_stage: DisputeStage;
  dispute_status: DisputeStatus;
  connector: string;
  /** The processor's own status word. */
  connector_status: string;
  connector_dispute_id: string;
  connector_reason?: string | null;
  connector_reason_code?: string | null;
  /** Evidence deadline. */
  challenge_required_by?: Timestamp | null;
  connector_created_at?: Timestamp | null;
  /** Last change reported by the processor: the dispute's modification time. */
  connector_updated_at?: Timestamp | null;
  /** When the dispute was received. */
  created_at: Timestamp;
  profile_id?: string | null;
  merchant_connector_id?: string | null;
  /** Whether the disputed amount (lost disputes only) plus the refunded amount exceeds the captured amount. */
  is_already_refunded: boolean;
}

/** Query of `GET /disputes/list` (one value per filter; the API answers a plain array, newest change first). */
export interface DisputeListParams {
  /** Maximum number of disputes returned (the API has no offset). */
  limit?: number;
  dispute_status?: DisputeStatus;
  dispute_stage?: DisputeStage;
  /** Matches `connector_reason` exactly. */
  reason?: string;
  connector?: string;
  /** `created_at` equal to this time. */
  received_time?: Timestamp;
  'received_time.lt'?: Timestamp;
  'received_time.gt'?: Timestamp;
  'received_time.lte'?: Timestamp;
  'received_time.gte'?: Timestamp;
}

/** Body of `POST /disputes/evidence`: file ids (from `attachEvidence`) and text statements. */
export interface SubmitEvidenceParams {
  dispute_id: string;
  access_activity_log?: string | null;
  billing_address?: string | null;
  /** File id. */
  cancellation_policy?: string | null;
  cancellation_policy_disclosure?: string | null;
  cancellation_rebuttal?: string | null;
  /** File id. */
  customer_communication?: string | null;
  customer_email_address?: string | null;
  customer_name?: string | null;
  customer_purchase_ip?: string | null;
  /** File id. */
  customer_signature?: string | null;
  product_description?: string | null;
  /** File id. */
  receipt?: string | null;
  /** File id. */
  refund_policy?: string | null;
  refund_policy_disclosure?: string | null;
  refund_refusal_explanation?: string | null;
  service_date?: string | null;
  /** File id. */
  service_documentation?: string | null;
  shipping_address?: string | null;
  shipping_carrier?: string | null;
  shipping_date?: string | null;
  /** File id. */
  shipping_documentation?: string | null;
  shipping_tracking_number?: string | null;
  /** File id. */
  invoice_showing_distinct_transactions?: string | null;
  /** File id. */
  recurring_transaction_agreement?: string | null;
  /** File id. */
  uncategorized_file?: string | null;
  uncategorized_text?: string | null;
}

/** The parts of `PUT /disputes/evidence` (sent as multipart/form-data). */
export interface AttachEvidenceParams {
  dispute_id: string;
  evidence_type: EvidenceType;
  /** The file's bytes. The API recognises the type from them (PDF, PNG, JPEG, …), not from a name. */
  file: Uint8Array;
  /** Name sent with the file part. @default "evidence" */
  file_name?: string;
  /** Content-Type of the file part. @default "application/octet-stream" */
  file_content_type?: string;
}

/** Body of `DELETE /disputes/evidence`. */
export interface DeleteEvidenceParams {
  dispute_id: string;
  evidence_type: EvidenceType;
}

/** What `PUT /disputes/evidence` returns (`CreateFileResponse`). */
export interface CreateFileResponse {
  /** `file_…`: pass it to `submitEvidence` under its evidence type. */
  file_id: string;
}

/** `FileMetadataResponse`. */
export interface FileMetadata {
  file_id: string;
  file_name?: string | null;
  file_size: number;
  file_type: string;
  available: boolean;
}

/** One item of `GET /disputes/evidence/{id}` (`DisputeEvidenceBlock`). */
export interface DisputeEvidenceBlock {
  evidence_type: EvidenceType;
  file_metadata_response: FileMetadata;
}

/** `DELETE /disputes/evidence` answers 200 with an empty body: the client resolves with `{}`. */
export type DeleteEvidenceResponse = Record<string, never>;
