import {
  isDisputeEvent,
  isDisputeEventType,
  isWebhookEvent,
  PaymntInvalidRequestError,
  PaymntNotFoundError,
  PaymntValidationError,
  type Dispute,
  type WebhookEvent,
} from '@paymnt/client';
import { rejection, useSandboxClient } from './support/sandbox-client';

const PDF = Buffer.from('%PDF-1.7\nclient evidence\n');

describe('client.disputes against the real @paymnt/sandbox', () => {
  const t = useSandboxClient();

  async function openDispute(): Promise<Dispute> {
    const payment = await t.client.payments.create({
      amount: 4200,
      currency: 'USD',
      confirm: true,
      capture_method: 'automatic',
      authentication_type: 'no_three_ds',
      payment_method: 'card',
      payment_method_data: { card: { card_number: '4242424242424242', card_exp_month: '10', card_exp_year: '35', card_cvc: '123' } },
    });
    return t.sandbox.openDispute(payment.payment_id);
  }

  it('retrieve → attachEvidence (multipart) → retrieveEvidence → deleteEvidence → submitEvidence', async () => {
    const d = await openDispute();
    const got = await t.client.disputes.retrieve(d.dispute_id);
    expect(got).toEqual(d);
    expect(got.lastResponse.statusCode).toBe(200);

    const file = await t.client.disputes.attachEvidence({ dispute_id: d.dispute_id, evidence_type: 'receipt', file: PDF, file_name: 'receipt.pdf' });
    expect(file.file_id).toMatch(/^file_/);
    expect(file.lastResponse.idempotencyKey).toEqual(expect.any(String));
    const second = await t.client.disputes.attachEvidence({ dispute_id: d.dispute_id, evidence_type: 'uncategorized_file', file: new Uint8Array(PDF) });

    const evidence = await t.client.disputes.retrieveEvidence(d.dispute_id);
    expect(evidence).toEqual([
      { evidence_type: 'receipt', file_metadata_response: { file_id: file.file_id, file_name: 'receipt.pdf', file_size: PDF.length, file_type: 'application/pdf', available: true } },
      { evidence_type: 'uncategorized_file', file_metadata_response: { file_id: second.file_id, file_name: 'evidence', file_size: PDF.length, file_type: 'application/pdf', available: true } },
    ]);
    expect(evidence.lastResponse.statusCode).toBe(200);

    const deleted = await t.client.disputes.deleteEvidence({ dispute_id: d.dispute_id, evidence_type: 'uncategorized_file' });
    expect(deleted).toEqual({});
    expect(deleted.lastResponse.statusCode).toBe(200);
    expect((await t.client.disputes.retrieveEvidence(d.dispute_id)).map((b) => b.evidence_type)).toEqual(['receipt']);

    const challenged = await t.client.disputes.submitEvidence({ dispute_id: d.dispute_id, receipt: file.file_id, product_description: 'Mug' });
    expect(challenged).toMatchObject({ dispute_id: d.dispute_id, dispute_status: 'dispute_challenged' });
  });

  it('accept; API refusals become typed errors', async () => {
    const d = await openDispute();
    const accepted = await t.client.disputes.accept(d.dispute_id);
    expect(accepted.dispute_status).toBe('dispute_accepted');
    const again = await rejection(t.client.disputes.accept(d.dispute_id));
    expect(again).toBeInstanceOf(PaymntInvalidRequestError);
    expect(again).toMatchObject({ statusCode: 400, code: 'HE_03', message: 'Dispute status validation failed' });
    const attach = await rejection(t.client.disputes.attachEvidence({ dispute_id: d.dispute_id, evidence_type: 'receipt', file: PDF }));
    expect(attach).toMatchObject({ code: 'HE_03' });
    const missing = await rejection(t.client.disputes.retrieve('dp_missing'));
    expect(missing).toBeInstanceOf(PaymntNotFoundError);
    expect(missing).toMatchObject({ statusCode: 404, code: 'HE_04' });
    const unreadable = await rejection(t.client.disputes.attachEvidence({ dispute_id: 'dp_x', evidence_type: 'receipt', file: Buffer.from('just text') }));
    expect(unreadable).toMatchObject({ statusCode: 400, code: 'IR_36' });
    const unknownFile = await rejection(t.client.disputes.submitEvidence({ dispute_id: (await openDispute()).dispute_id, receipt: 'file_nope' }));
    expect(unknownFile).toMatchObject({ statusCode: 404, code: 'HE_04', message: 'File does not exist in our records' });
  });

  it('list: a plain array with HS filters', async () => {
    const a = await openDispute();
    const b = await openDispute();
    await t.sandbox.settleDispute(b.dispute_id, 'lost');
    const all = await t.client.disputes.list();
    expect(Array.isArray(all)).toBe(true);
    expect(all[0]?.dispute_id).toBe(b.dispute_id);
    expect(all.lastResponse.statusCode).toBe(200);
    const lost = await t.client.disputes.list({ dispute_status: 'dispute_lost' });
    expect(lost.map((x) => x.dispute_id)).toContain(b.dispute_id);
    expect(lost.every((x) => x.dispute_status === 'dispute_lost')).toBe(true);
    expect(await t.client.disputes.list({ limit: 1 })).toHaveLength(1);
    const since = await t.client.disputes.list({ 'received_time.gte': a.created_at, dispute_stage: 'dispute', connector: 'fauxpay' });
    expect(since.map((x) => x.dispute_id)).toEqual(expect.arrayContaining([a.dispute_id, b.dispute_id]));
    expect(await t.client.disputes.list({ reason: 'no such reason' })).toEqual([]);
  });

  it('bad parameters are refused before any request, naming the field', async () => {
    const before = t.requests;
    const cases: Array<[Promise<unknown>, string]> = [
      [t.client.disputes.retrieve('../x'), 'dispute_id'],
      [t.client.disputes.accept(''), 'dispute_id'],
      [t.client.disputes.retrieveEvidence('a/b'), 'dispute_id'],
      [t.client.disputes.list({ limit: 0 }), 'limit'],
      [t.client.disputes.list({ limit: 1.5 }), 'limit'],
      [t.client.disputes.list({ dispute_status: 'open' }), 'dispute_status'],
      [t.client.disputes.list({ dispute_stage: 'final' }), 'dispute_stage'],
      [t.client.disputes.list({ 'received_time.lt': 'yesterday' }), 'received_time.lt'],
      [t.client.disputes.list({ offset: 10 } as never), 'params.offset'],
      [t.client.disputes.submitEvidence({} as never), 'dispute_id'],
      [t.client.disputes.submitEvidence({ dispute_id: 'dp_1', receipt: 'file id with spaces' }), 'receipt'],
      [t.client.disputes.submitEvidence({ dispute_id: 'dp_1', product_description: 7 as never }), 'product_description'],
      [t.client.disputes.attachEvidence({ dispute_id: 'dp_1', evidence_type: 'selfie', file: PDF }), 'evidence_type'],
      [t.client.disputes.attachEvidence({ dispute_id: 'dp_1', evidence_type: 'receipt', file: new Uint8Array(0) }), 'file'],
      [t.client.disputes.attachEvidence({ dispute_id: 'dp_1', evidence_type: 'receipt', file: 'pdf' as never }), 'file'],
      [t.client.disputes.attachEvidence({ dispute_id: 'dp_1', evidence_type: 'receipt', file: PDF, file_name: 'a"b' }), 'file_name'],
      [t.client.disputes.attachEvidence({ evidence_type: 'receipt', file: PDF } as never), 'dispute_id'],
      [t.client.disputes.deleteEvidence({ dispute_id: 'dp_1' } as never), 'evidence_type'],
      [t.client.disputes.deleteEvidence({ dispute_id: 'dp 1', evidence_type: 'receipt' }), 'dispute_id'],
    ];
    for (const [promise, field] of cases) {
      const error = await rejection(promise);
      expect(error).toBeInstanceOf(PaymntValidationError);
      expect((error as PaymntValidationError).field).toBe(field);
    }
    expect(t.requests).toBe(before);
  });

  it('dispute webhook events: typed by isDisputeEvent, shape-checked by isWebhookEvent', () => {
    const object = { dispute_id: 'dp_1', dispute_status: 'dispute_won' };
    const event = { merchant_id: 'm', event_id: 'evt_1', event_type: 'dispute_won', timestamp: '2024-01-15T10:11:12.123Z', content: { type: 'dispute_details', object } };
    expect(isWebhookEvent(event)).toBe(true);
    expect(isDisputeEvent(event as WebhookEvent)).toBe(true);
    expect(isDisputeEventType('dispute_challenged')).toBe(true);
    expect(isDisputeEventType('refund_failed')).toBe(false);
    expect(isWebhookEvent({ ...event, content: { type: 'dispute_details', object: { dispute_id: 'dp_1' } } })).toBe(false);
    expect(isWebhookEvent({ ...event, content: { type: 'payment_details', object } })).toBe(false);
  });
});
