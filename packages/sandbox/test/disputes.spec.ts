import { request } from 'undici';
import { signWebhookPayload } from '@paymnt/client';
import { createSandbox, type Sandbox } from '../src';
import { authorize, call, card, createPayment, get, post, sleep, startReceiver, type Receiver } from './helpers';

const PDF = Buffer.from('%PDF-1.4\n%sandbox evidence\n');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
const DISPUTE_CARD = '4000000000000259';

interface Part {
  name: string;
  value: string | Buffer;
  filename?: string;
}

/** A hand-built multipart/form-data body (what any HTTP client sends). */
function multipart(parts: Part[], boundary = 'sandbox-boundary-7MA4YWxk'): { body: Buffer; contentType: string } {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"` : ''}`;
    const type = p.filename ? 'Content-Type: application/octet-stream\r\n' : '';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`), Buffer.from(p.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

async function attach(sb: Sandbox, parts: Part[], contentType?: string): Promise<{ status: number; json: any; text: string }> {
  const m = multipart(parts);
  const res = await request(`${sb.url}/disputes/evidence`, {
    method: 'PUT',
    headers: { 'api-key': sb.apiKey, 'content-type': contentType ?? m.contentType },
    body: m.body,
  });
  const text = await res.body.text();
  return { status: res.statusCode, text, json: text ? JSON.parse(text) : undefined };
}

const evidenceParts = (disputeId: string, type = 'receipt', file: Buffer = PDF): Part[] => [
  { name: 'dispute_id', value: disputeId },
  { name: 'evidence_type', value: type },
  { name: 'file', value: file, filename: 'receipt.pdf' },
];

const HE_03 = { type: 'invalid_request', message: 'Dispute status validation failed', code: 'HE_03' };
const HE_04 = { type: 'invalid_request', message: 'Dispute does not exist in our records', code: 'HE_04' };

describe('disputes', () => {
  let sb: Sandbox;
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver();
    sb = await createSandbox({ webhookUrl: receiver.url, webhookRetryTimeScale: 0.001, disputeDelayMs: 20 });
  });
  afterAll(async () => {
    await sb.close();
    await receiver.close();
  });

  /** A succeeded payment and a dispute opened on it through the control route. */
  async function openDispute(extra: Record<string, unknown> = {}): Promise<any> {
    const p = await createPayment(sb);
    const res = await post(sb, '/__sandbox/disputes', { payment_id: p.payment_id, ...extra });
    expect(res.status).toBe(201);
    return res.json;
  }

  it('the dispute test card: its payment succeeds, then a dispute opens by itself and a signed dispute_opened webhook goes out', async () => {
    const p = await createPayment(sb, {}, DISPUTE_CARD);
    expect(p.status).toBe('succeeded');
    const [w] = await receiver.waitFor(1, (x) => x.json?.event_type === 'dispute_opened' && x.json.content.object.payment_id === p.payment_id);
    expect(w!.headers['x-webhook-signature-512']).toBe(signWebhookPayload(w!.rawBody, sb.webhookSecret));
    expect(w!.json.content.type).toBe('dispute_details');
    const d = w!.json.content.object;
    expect(d).toMatchObject({
      payment_id: p.payment_id,
      attempt_id: `${p.payment_id}_1`,
      amount: '6540',
      currency: 'USD',
      dispute_stage: 'dispute',
      dispute_status: 'dispute_opened',
      connector: 'fauxpay',
      connector_status: 'needs_response',
      connector_reason: 'fraudulent',
      profile_id: sb.profileId,
      is_already_refunded: false,
    });
    expect(d.dispute_id).toMatch(/^dp_[A-Za-z0-9]{20}$/);
    expect(Object.keys(d).slice(0, 8)).toEqual(['dispute_id', 'payment_id', 'attempt_id', 'amount', 'currency', 'dispute_stage', 'dispute_status', 'connector']);
    expect(sb.state.getDispute(d.dispute_id)).toEqual(d);
    // Once per payment: later changes of the payment do not open another.
    await post(sb, '/refunds', { payment_id: p.payment_id, amount: 100 });
    await sleep(60);
    expect(sb.state.listDisputes().filter((x) => x.payment_id === p.payment_id)).toHaveLength(1);
  });

  it('the dispute card on a manual-capture payment is disputed only once money is captured', async () => {
    const manual = await authorize(sb, { payment_method_data: { card: card(DISPUTE_CARD) } });
    expect(manual.status).toBe('requires_capture');
    await sleep(60);
    expect(sb.state.listDisputes().some((x) => x.payment_id === manual.payment_id)).toBe(false);
    await post(sb, `/payments/${manual.payment_id}/capture`, { amount_to_capture: 3000 });
    await receiver.waitFor(1, (x) => x.json?.event_type === 'dispute_opened' && x.json.content.object.payment_id === manual.payment_id);
    expect(sb.state.listDisputes().find((x) => x.payment_id === manual.payment_id)?.amount).toBe('3000');
  });

  it('control route: opens on a payment that captured money; amount, reason; refusals', async () => {
    const d = await openDispute({ amount: 1000, reason: 'product_not_received' });
    expect(d).toMatchObject({ amount: '1000', connector_reason: 'product_not_received', dispute_status: 'dispute_opened' });
    expect(Date.parse(d.challenge_required_by) - Date.parse(d.created_at)).toBe(7 * 24 * 3600 * 1000);
    expect(d.connector_updated_at).toBe(d.created_at);

    expect((await post(sb, '/__sandbox/disputes', { payment_id: 'pay_missing' })).json.error.code).toBe('HE_02');
    const auth = await authorize(sb);
    const notCaptured = await post(sb, '/__sandbox/disputes', { payment_id: auth.payment_id });
    expect(notCaptured.status).toBe(400);
    expect(notCaptured.json.error).toMatchObject({ code: 'IR_16', message: expect.stringContaining('requires_capture') });
    const p = await createPayment(sb);
    const over = await post(sb, '/__sandbox/disputes', { payment_id: p.payment_id, amount: 6541 });
    expect(over.status).toBe(422);
    expect(over.json.error.code).toBe('IR_05');
    expect((await post(sb, '/__sandbox/disputes', { payment_id: p.payment_id, amount: 0 })).status).toBe(422);
    expect((await post(sb, '/__sandbox/disputes', { payment_id: p.payment_id, colour: 'red' })).status).toBe(400);
    expect((await post(sb, '/__sandbox/disputes', {})).status).toBe(400);
    expect((await post(sb, '/__sandbox/disputes', { payment_id: p.payment_id }, { apiKey: 'nope' })).status).toBe(401);
  });

  it('retrieve: the dispute; 404 HE_04 for an unknown id or another merchant', async () => {
    const d = await openDispute();
    const got = await get(sb, `/disputes/${d.dispute_id}?force_sync=true`);
    expect(got.status).toBe(200);
    expect(got.json).toEqual(d);
    const missing = await get(sb, '/disputes/dp_missing');
    expect(missing.status).toBe(404);
    expect(missing.json.error).toEqual(HE_04);
    const two = await createSandbox({ merchants: [{ apiKey: 'snd_second_merchant' }] });
    try {
      const p = await createPayment(two);
      const mine = two.openDispute(p.payment_id);
      expect((await get(two, `/disputes/${mine.dispute_id}`)).status).toBe(200);
      const theirs = await get(two, `/disputes/${mine.dispute_id}`, { apiKey: 'snd_second_merchant' });
      expect(theirs.status).toBe(404);
      expect(theirs.json.error).toEqual(HE_04);
      expect((await get(two, '/disputes/list', { apiKey: 'snd_second_merchant' })).json).toEqual([]);
    } finally {
      await two.close();
    }
    expect((await get(sb, `/disputes/${d.dispute_id}`, { apiKey: null })).status).toBe(401);
    expect((await get(sb, `/disputes/${d.dispute_id}`, { apiKey: sb.publishableKey })).status).toBe(401);
  });

  it('accept: dispute_opened → dispute_accepted once; a final dispute answers 400 HE_03', async () => {
    const d = await openDispute();
    const accepted = await post(sb, `/disputes/accept/${d.dispute_id}`);
    expect(accepted.status).toBe(200);
    expect(accepted.json).toMatchObject({ dispute_id: d.dispute_id, dispute_status: 'dispute_accepted', connector_status: 'lost' });
    expect(Date.parse(accepted.json.connector_updated_at)).toBeGreaterThan(Date.parse(d.connector_updated_at));
    const again = await post(sb, `/disputes/accept/${d.dispute_id}`);
    expect(again.status).toBe(400);
    expect(again.json.error).toEqual(HE_03);
    expect((await post(sb, '/disputes/accept/dp_missing')).json.error).toEqual(HE_04);
  });

  it('accept honours Idempotency-Key: the same key replays the first answer', async () => {
    const d = await openDispute();
    const first = await post(sb, `/disputes/accept/${d.dispute_id}`, {}, { headers: { 'idempotency-key': `acc-${d.dispute_id}` } });
    const replay = await post(sb, `/disputes/accept/${d.dispute_id}`, {}, { headers: { 'idempotency-key': `acc-${d.dispute_id}` } });
    expect(first.status).toBe(200);
    expect(replay.status).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json).toEqual(first.json);
  });

  it('attach evidence (multipart): file id; retrieve lists it with its metadata; re-attach replaces; delete removes', async () => {
    const d = await openDispute();
    const attached = await attach(sb, evidenceParts(d.dispute_id));
    expect(attached.status).toBe(200);
    expect(attached.json).toEqual({ file_id: expect.stringMatching(/^file_[A-Za-z0-9]{20}$/) });
    const png = await attach(sb, evidenceParts(d.dispute_id, 'customer_communication', PNG));
    expect(png.status).toBe(200);

    const evidence = await get(sb, `/disputes/evidence/${d.dispute_id}`);
    expect(evidence.status).toBe(200);
    expect(evidence.json).toEqual([
      {
        evidence_type: 'customer_communication',
        file_metadata_response: { file_id: png.json.file_id, file_name: 'receipt.pdf', file_size: PNG.length, file_type: 'image/png', available: true },
      },
      {
        evidence_type: 'receipt',
        file_metadata_response: { file_id: attached.json.file_id, file_name: 'receipt.pdf', file_size: PDF.length, file_type: 'application/pdf', available: true },
      },
    ]);
    const replaced = await attach(sb, evidenceParts(d.dispute_id));
    expect(replaced.json.file_id).not.toBe(attached.json.file_id);
    expect((await get(sb, `/disputes/evidence/${d.dispute_id}`)).json[1].file_metadata_response.file_id).toBe(replaced.json.file_id);

    const del = await call(sb, 'DELETE', '/disputes/evidence', { dispute_id: d.dispute_id, evidence_type: 'receipt' });
    expect(del.status).toBe(200);
    expect(del.text).toBe('');
    expect((await get(sb, `/disputes/evidence/${d.dispute_id}`)).json.map((b: any) => b.evidence_type)).toEqual(['customer_communication']);
    // Attaching changes no status: no webhook besides dispute_opened.
    expect(sb.state.getDispute(d.dispute_id)?.dispute_status).toBe('dispute_opened');
  });

  it('attach evidence: each refusal in HS order', async () => {
    const d = await openDispute();
    const err = async (parts: Part[], contentType?: string) => (await attach(sb, parts, contentType)).json.error;
    const file: Part = { name: 'file', value: PDF, filename: 'a.pdf' };
    expect(await err([{ name: 'dispute_id', value: d.dispute_id }, file])).toEqual({ type: 'invalid_request', message: 'Missing required param: evidence_type', code: 'IR_04' });
    expect(await err([{ name: 'evidence_type', value: 'selfie' }, file])).toMatchObject({ code: 'IR_07', message: 'Invalid value provided: evidence_type' });
    expect(await err([{ name: 'dispute_id', value: d.dispute_id }, { name: 'evidence_type', value: 'receipt' }])).toMatchObject({ code: 'IR_04', message: 'Missing required param: file' });
    expect(await err(evidenceParts(d.dispute_id, 'receipt', Buffer.alloc(0)))).toMatchObject({ code: 'IR_33', message: 'File not found in the request' });
    expect(await err(evidenceParts(d.dispute_id, 'receipt', Buffer.from('plain text')))).toMatchObject({ code: 'IR_36', message: 'File content type not found' });
    expect(await err([{ name: 'evidence_type', value: 'receipt' }, file])).toMatchObject({ code: 'IR_34', message: 'Dispute id not found in the request' });
    const unknown = await attach(sb, evidenceParts('dp_missing'));
    expect(unknown.status).toBe(404);
    expect(unknown.json.error).toEqual(HE_04);
    // Not multipart at all: no parts, so the first required one is missing.
    expect(await err(evidenceParts(d.dispute_id), 'application/json')).toMatchObject({ code: 'IR_04', message: 'Missing required param: evidence_type' });
    await post(sb, `/disputes/accept/${d.dispute_id}`);
    const closed = await attach(sb, evidenceParts(d.dispute_id));
    expect(closed.status).toBe(400);
    expect(closed.json.error).toEqual(HE_03);
  });

  it('delete and retrieve evidence: refusals', async () => {
    expect((await get(sb, '/disputes/evidence/dp_missing')).json.error).toEqual(HE_04);
    expect((await call(sb, 'DELETE', '/disputes/evidence', { dispute_id: 'dp_missing', evidence_type: 'receipt' })).status).toBe(404);
    const d = await openDispute();
    const missingType = await call(sb, 'DELETE', '/disputes/evidence', { dispute_id: d.dispute_id });
    expect(missingType.status).toBe(400);
    expect(missingType.json.error).toMatchObject({ error_type: 'invalid_request', code: 'IR_06', message: expect.stringContaining('missing field `evidence_type`') });
    const badType = await call(sb, 'DELETE', '/disputes/evidence', { dispute_id: d.dispute_id, evidence_type: 'selfie' });
    expect(badType.status).toBe(400);
    expect(badType.json.error.message).toContain('unknown variant `selfie`');
    // Deleting evidence of a type never attached is a no-op, as in HS.
    expect((await call(sb, 'DELETE', '/disputes/evidence', { dispute_id: d.dispute_id, evidence_type: 'receipt' })).status).toBe(200);
    expect((await get(sb, `/disputes/evidence/${d.dispute_id}`)).json).toEqual([]);
  });

  it('submit evidence: dispute_opened → dispute_challenged; file ids must exist; a challenged dispute refuses more', async () => {
    const d = await openDispute();
    const file = (await attach(sb, evidenceParts(d.dispute_id))).json.file_id;
    const unknownFile = await post(sb, '/disputes/evidence', { dispute_id: d.dispute_id, receipt: 'file_missing' });
    expect(unknownFile.status).toBe(404);
    expect(unknownFile.json.error).toEqual({ type: 'invalid_request', message: 'File does not exist in our records', code: 'HE_04' });
    expect(sb.state.getDispute(d.dispute_id)?.dispute_status).toBe('dispute_opened');

    const submitted = await post(sb, '/disputes/evidence', { dispute_id: d.dispute_id, receipt: file, product_description: 'Blue mug', customer_email_address: 'jo@example.com' });
    expect(submitted.status).toBe(200);
    expect(submitted.json).toMatchObject({ dispute_id: d.dispute_id, dispute_status: 'dispute_challenged', connector_status: 'under_review' });
    const again = await post(sb, '/disputes/evidence', { dispute_id: d.dispute_id });
    expect(again.status).toBe(400);
    expect(again.json.error).toEqual(HE_03);
    expect((await post(sb, `/disputes/accept/${d.dispute_id}`)).json.error).toEqual(HE_03);
    expect((await post(sb, '/disputes/evidence', { dispute_id: 'dp_missing' })).json.error).toEqual(HE_04);
    const noId = await post(sb, '/disputes/evidence', { receipt: file });
    expect(noId.status).toBe(400);
    expect(noId.json.error.message).toContain('missing field `dispute_id`');
    expect((await post(sb, '/disputes/evidence', { dispute_id: 7 })).status).toBe(400);
  });

  it('settle (control): the processor verdicts and their allowed starting statuses', async () => {
    const won = await openDispute();
    await post(sb, '/disputes/evidence', { dispute_id: won.dispute_id });
    const w = await post(sb, `/__sandbox/disputes/${won.dispute_id}`, { status: 'won' });
    expect(w.status).toBe(200);
    expect(w.json).toMatchObject({ dispute_status: 'dispute_won', connector_status: 'won' });
    const refused = await post(sb, `/__sandbox/disputes/${won.dispute_id}`, { status: 'lost' });
    expect(refused.status).toBe(400);
    expect(refused.json.error).toMatchObject({ code: 'IR_16', message: `Dispute ${won.dispute_id} has status dispute_won; it cannot become dispute_lost` });

    const expired = await openDispute();
    expect((await post(sb, `/__sandbox/disputes/${expired.dispute_id}`, { status: 'expired' })).json.dispute_status).toBe('dispute_expired');
    const challenged = await openDispute();
    await post(sb, '/disputes/evidence', { dispute_id: challenged.dispute_id });
    expect((await post(sb, `/__sandbox/disputes/${challenged.dispute_id}`, { status: 'expired' })).status).toBe(400);
    expect((await post(sb, `/__sandbox/disputes/${challenged.dispute_id}`, { status: 'cancelled' })).json.dispute_status).toBe('dispute_cancelled');

    // A lost dispute of the whole amount on a partly refunded payment: more than was captured went back.
    const p = await createPayment(sb);
    await post(sb, '/refunds', { payment_id: p.payment_id, amount: 1000 });
    const lost = (await post(sb, '/__sandbox/disputes', { payment_id: p.payment_id })).json;
    expect(lost.is_already_refunded).toBe(false);
    expect((await post(sb, `/__sandbox/disputes/${lost.dispute_id}`, { status: 'lost' })).json).toMatchObject({ dispute_status: 'dispute_lost', is_already_refunded: true });

    expect((await post(sb, '/__sandbox/disputes/dp_missing', { status: 'won' })).json.error).toEqual(HE_04);
    expect((await post(sb, `/__sandbox/disputes/${lost.dispute_id}`, { status: 'maybe' })).status).toBe(400);
    expect((await post(sb, `/__sandbox/disputes/${lost.dispute_id}`, {})).status).toBe(400);
  });

  it('sb.openDispute / sb.settleDispute do what the control routes do', async () => {
    const p = await createPayment(sb);
    const d = sb.openDispute(p.payment_id, { amount: 200, reason: 'duplicate' });
    expect(d).toMatchObject({ amount: '200', connector_reason: 'duplicate', dispute_status: 'dispute_opened' });
    expect((await sb.settleDispute(d.dispute_id, 'lost')).dispute_status).toBe('dispute_lost');
    await expect(sb.settleDispute(d.dispute_id, 'won')).rejects.toThrow('cannot become dispute_won');
    expect(() => sb.openDispute('pay_missing')).toThrow('Payment does not exist');
  });

  it('every status change sends one signed webhook, in order, with the DisputeResponse', async () => {
    const d = await openDispute();
    await post(sb, '/disputes/evidence', { dispute_id: d.dispute_id });
    await post(sb, `/__sandbox/disputes/${d.dispute_id}`, { status: 'won' });
    const mine = (x: { json: any }) => x.json?.content?.object?.dispute_id === d.dispute_id;
    const hooks = await receiver.waitFor(3, mine);
    expect(hooks.map((h) => h.json.event_type)).toEqual(['dispute_opened', 'dispute_challenged', 'dispute_won']);
    for (const h of hooks) {
      expect(h.headers['x-webhook-signature-512']).toBe(signWebhookPayload(h.rawBody, sb.webhookSecret));
      expect(h.json.content.object.dispute_status).toBe(h.json.event_type);
    }
    const times = hooks.map((h) => Date.parse(h.json.content.object.connector_updated_at));
    expect(times[0]! < times[1]! && times[1]! < times[2]!).toBe(true);
    const events = sb.state.listEvents().filter((e) => e.objectId === d.dispute_id);
    expect(events.map((e) => [e.eventType, e.eventClass])).toEqual([
      ['dispute_opened', 'disputes'],
      ['dispute_challenged', 'disputes'],
      ['dispute_won', 'disputes'],
    ]);
  });

  it('a failed delivery is retried until the endpoint answers 2xx', async () => {
    const flaky = await startReceiver([500, 200]);
    const sb2 = await createSandbox({ webhookRetryTimeScale: 0.001 });
    try {
      const p = await createPayment(sb2);
      sb2.setWebhookUrl(flaky.url);
      const d = sb2.openDispute(p.payment_id);
      const got = await flaky.waitFor(2, (x) => x.json?.event_type === 'dispute_opened');
      expect(got[0]!.body).toBe(got[1]!.body);
      expect(got[0]!.json.content.object.dispute_id).toBe(d.dispute_id);
    } finally {
      await sb2.close();
      await flaky.close();
    }
  });

  it('list: a JSON array, newest change first; filters of HS and refusals of bad queries', async () => {
    const sb3 = await createSandbox();
    try {
      const p1 = await createPayment(sb3);
      const p2 = await createPayment(sb3);
      const a = sb3.openDispute(p1.payment_id, { reason: 'fraudulent' });
      await sleep(5);
      const b = sb3.openDispute(p2.payment_id, { reason: 'duplicate' });
      await sleep(5);
      await sb3.settleDispute(a.dispute_id, 'won');
      const all = await get(sb3, '/disputes/list');
      expect(all.status).toBe(200);
      expect(all.json.map((x: any) => x.dispute_id)).toEqual([a.dispute_id, b.dispute_id]);
      const ids = async (q: string) => (await get(sb3, `/disputes/list?${q}`)).json.map((x: any) => x.dispute_id);
      expect(await ids('limit=1')).toEqual([a.dispute_id]);
      expect(await ids('dispute_status=dispute_opened')).toEqual([b.dispute_id]);
      expect(await ids('dispute_stage=dispute')).toHaveLength(2);
      expect(await ids('dispute_stage=arbitration')).toEqual([]);
      expect(await ids('reason=duplicate')).toEqual([b.dispute_id]);
      expect(await ids('connector=fauxpay')).toHaveLength(2);
      expect(await ids('connector=stripe')).toEqual([]);
      expect(await ids(`received_time=${encodeURIComponent(a.created_at)}`)).toEqual([a.dispute_id]);
      expect(await ids(`received_time.gt=${encodeURIComponent(a.created_at)}`)).toEqual([b.dispute_id]);
      expect(await ids(`received_time.gte=${encodeURIComponent(a.created_at)}`)).toHaveLength(2);
      expect(await ids(`received_time.lt=${encodeURIComponent(b.created_at)}`)).toEqual([a.dispute_id]);
      expect(await ids(`received_time.lte=${encodeURIComponent(b.created_at)}`)).toHaveLength(2);
      expect(await ids(`profile_id=${sb3.profileId}`)).toHaveLength(2);

      const unknown = await get(sb3, '/disputes/list?offset=1');
      expect(unknown.status).toBe(400);
      expect(unknown.text).toMatch(/^Query deserialize error: unknown field `offset`/);
      expect((await get(sb3, '/disputes/list?dispute_status=open')).text).toMatch(/unknown variant `open`/);
      expect((await get(sb3, '/disputes/list?dispute_stage=final')).status).toBe(400);
      expect((await get(sb3, '/disputes/list?limit=ten')).status).toBe(400);
      expect((await get(sb3, '/disputes/list?received_time=yesterday')).status).toBe(400);
    } finally {
      await sb3.close();
    }
  });

  it('fault injection applies to the dispute routes', async () => {
    const d = await openDispute();
    sb.faults.add([{ route: 'POST /disputes/accept/:id', sequence: [{ status: 503 }] }]);
    try {
      const failed = await post(sb, `/disputes/accept/${d.dispute_id}`);
      expect(failed.status).toBe(503);
      expect(sb.state.getDispute(d.dispute_id)?.dispute_status).toBe('dispute_opened');
      expect((await post(sb, `/disputes/accept/${d.dispute_id}`)).json.dispute_status).toBe('dispute_accepted');
    } finally {
      sb.faults.clear();
    }
  });
});
