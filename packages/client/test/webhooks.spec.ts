import {
  DEFAULT_WEBHOOK_TOLERANCE_SECONDS,
  PaymntClient,
  PaymntSignatureVerificationError,
  PaymntValidationError,
  WEBHOOK_SIGNATURE_HEADER,
  WebhookEventMessages,
  checkWebhookTimestamp,
  constructWebhookEvent,
  isWebhookEvent,
  isPaymentEvent,
  isRefundEvent,
  signWebhookPayload,
  type SignatureFailureReason,
  type WebhookEvent,
} from '@paymnt/client';
import { paymentFixture, refundFixture } from './support/test-server';

const SECRET = 'whsec_current_0123456789';
const OLD_SECRET = 'whsec_previous_9876543210';

function eventBody(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    merchant_id: 'merchant_1',
    event_id: 'evt_0190a1b2c3d4e5f60718293a4b5c6d7e',
    event_type: 'payment_succeeded',
    content: { type: 'payment_details', object: paymentFixture() },
    timestamp: new Date().toISOString(),
    processor_merchant_id: 'merchant_1',
    ...overrides,
  });
}

describe('client.webhooks.constructEvent', () => {
  const client = new PaymntClient({ apiKey: 'snd_key', webhookSecret: SECRET });
  const body = eventBody();
  const signature = signWebhookPayload(body, SECRET);

  it('returns the typed event for the right signature (string or Buffer body)', () => {
    const event = client.webhooks.constructEvent(body, signature);
    expect(event.event_type).toBe('payment_succeeded');
    expect(isPaymentEvent(event)).toBe(true);
    if (event.event_type === 'payment_succeeded') expect(event.content.object.payment_id).toBe('pay_test0000000000000001');
    expect(client.webhooks.constructEvent(Buffer.from(body), [signature]).event_id).toBe('evt_0190a1b2c3d4e5f60718293a4b5c6d7e');
  });

  it('types refund events', () => {
    const refundBody = eventBody({ event_type: 'refund_succeeded', content: { type: 'refund_details', object: refundFixture() } });
    const event = client.webhooks.constructEvent(refundBody, signWebhookPayload(refundBody, SECRET));
    expect(isRefundEvent(event)).toBe(true);
    if (isRefundEvent(event)) expect(event.content.object.refund_id).toBe('ref_test0000000000000001');
  });

  it('narrows by event_type AND content: an unknown event type carrying a payment is neither a payment nor a refund event', () => {
    const event = client.webhooks.constructEvent(body, signature);
    const unknownType = { ...event, event_type: 'payment_teleported' } as unknown as WebhookEvent;
    expect(isPaymentEvent(unknownType)).toBe(false);
    expect(isRefundEvent(unknownType)).toBe(false);
    const refundTypeWithPayment = { ...event, event_type: 'refund_succeeded' } as unknown as WebhookEvent;
    expect(isRefundEvent(refundTypeWithPayment)).toBe(false);
    expect(isPaymentEvent(refundTypeWithPayment)).toBe(false);
    const paymentTypeWithoutPayment = { ...event, content: { type: 'refund_details', object: refundFixture() } } as unknown as WebhookEvent;
    expect(isPaymentEvent(paymentTypeWithoutPayment)).toBe(false);
    expect(isRefundEvent(paymentTypeWithoutPayment)).toBe(false);
  });

  it('reads the fixed ISO-8601 timestamps of the API and any other format Date.parse reads', () => {
    for (const timestamp of [new Date().toISOString(), new Date().toISOString().replace(/\.\d+Z$/, 'Z'), new Date().toISOString().replace('Z', '123Z'), new Date().toUTCString()]) {
      const dated = eventBody({ timestamp });
      expect(client.webhooks.constructEvent(dated, signWebhookPayload(dated, SECRET)).timestamp).toBe(timestamp);
    }
    const unreadable = eventBody({ timestamp: '2026-13-45T99:00:00Z' });
    expect(() => client.webhooks.constructEvent(unreadable, signWebhookPayload(unreadable, SECRET))).toThrow(
      expect.objectContaining({ reason: 'malformed_payload' }),
    );
  });

  it('accepts any of several secrets (rotation), given per call', () => {
    const oldSigned = signWebhookPayload(body, OLD_SECRET);
    expect(client.webhooks.constructEvent(body, oldSigned, [SECRET, OLD_SECRET]).event_type).toBe('payment_succeeded');
    expect(constructWebhookEvent(body, oldSigned, [OLD_SECRET]).event_type).toBe('payment_succeeded');
    expect(PaymntClient.constructWebhookEvent(body, oldSigned, OLD_SECRET).event_type).toBe('payment_succeeded');
  });

  const signedOld = eventBody({ timestamp: new Date(Date.now() - (DEFAULT_WEBHOOK_TOLERANCE_SECONDS + 60) * 1000).toISOString() });
  const notEvent = JSON.stringify({ hello: 'world' });
  const cases: [string, SignatureFailureReason, () => unknown][] = [
    ['no header', 'missing_header', () => client.webhooks.constructEvent(body, undefined)],
    ['empty header', 'missing_header', () => client.webhooks.constructEvent(body, '')],
    ['a header that is not hex SHA-512', 'malformed_header', () => client.webhooks.constructEvent(body, 'sha512=abc')],
    ['a SHA-256 length signature', 'malformed_header', () => client.webhooks.constructEvent(body, 'a'.repeat(64))],
    ['the wrong secret', 'no_match', () => client.webhooks.constructEvent(body, signWebhookPayload(body, 'whsec_wrong'))],
    ['a tampered body', 'no_match', () => client.webhooks.constructEvent(body.replace('6540', '6541'), signature)],
    ['a re-serialized body', 'no_match', () => client.webhooks.constructEvent(JSON.stringify(JSON.parse(body), null, 2), signature)],
    ['an already parsed body', 'parsed_body', () => client.webhooks.constructEvent(JSON.parse(body), signature)],
    ['no secret anywhere', 'no_secret', () => new PaymntClient({ apiKey: 'k' }).webhooks.constructEvent(body, signature)],
    ['an empty secret list', 'no_secret', () => client.webhooks.constructEvent(body, signature, [])],
    ['a signed body that is not JSON', 'malformed_payload', () => client.webhooks.constructEvent('not json', signWebhookPayload('not json', SECRET))],
    ['a signed JSON that is not an event', 'malformed_payload', () => client.webhooks.constructEvent(notEvent, signWebhookPayload(notEvent, SECRET))],
    ['an event older than the tolerance', 'timestamp_outside_tolerance', () => client.webhooks.constructEvent(signedOld, signWebhookPayload(signedOld, SECRET))],
  ];

  it.each(cases)('rejects %s with reason %s, without revealing the secret', (_name, reason, call) => {
    let error: unknown;
    try {
      call();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PaymntSignatureVerificationError);
    expect((error as PaymntSignatureVerificationError).reason).toBe(reason);
    expect((error as Error).message).not.toContain(SECRET);
    expect(JSON.stringify(error)).not.toContain(SECRET);
  });

  it('applies a custom tolerance, and 0 disables it', () => {
    const hourOld = eventBody({ timestamp: new Date(Date.now() - 3600_000).toISOString() });
    const sig = signWebhookPayload(hourOld, SECRET);
    expect(() => client.webhooks.constructEvent(hourOld, sig, undefined, { toleranceSeconds: 60 })).toThrow(PaymntSignatureVerificationError);
    expect(client.webhooks.constructEvent(hourOld, sig, undefined, { toleranceSeconds: 7200 }).event_id).toBeDefined();
    expect(client.webhooks.constructEvent(signedOld, signWebhookPayload(signedOld, SECRET), undefined, { toleranceSeconds: 0 }).event_id).toBeDefined();
    expect(() => client.webhooks.constructEvent(hourOld, sig, undefined, { toleranceSeconds: -1 })).toThrow(PaymntValidationError);
  });

  it('names the header it reads', () => {
    expect(WEBHOOK_SIGNATURE_HEADER).toBe('x-webhook-signature-512');
  });
});

// The one shape check and the one freshness check: the Nest module's processor and testing kit use these.
describe('isWebhookEvent / checkWebhookTimestamp', () => {
  const event = () => JSON.parse(eventBody()) as Record<string, any>;

  it('accepts API events, and other event types with the common fields only', () => {
    expect(isWebhookEvent(event())).toBe(true);
    expect(isWebhookEvent({ ...event(), event_type: 'refund_succeeded', content: { type: 'refund_details', object: refundFixture() } })).toBe(true);
    expect(isWebhookEvent({ ...event(), event_type: 'dispute_opened', content: { type: 'dispute_details', object: { dispute_id: 'dp_1', dispute_status: 'dispute_opened' } } })).toBe(true);
    // Dispute and mandate events need their object's id and status; types the SDK does not model need the common fields only.
    expect(isWebhookEvent({ ...event(), event_type: 'dispute_opened', content: { type: 'dispute_details', object: { dispute_id: 'dp_1' } } })).toBe(false);
    expect(isWebhookEvent({ ...event(), event_type: 'mandate_active', content: { type: 'mandate_details', object: { mandate_id: 'man_1' } } })).toBe(false);
    expect(isWebhookEvent({ ...event(), event_type: 'mandate_active', content: { type: 'mandate_details', object: { mandate_id: 'man_1', status: 'active' } } })).toBe(true);
    expect(isWebhookEvent({ ...event(), event_type: 'payout_success', content: { type: 'payout_details', object: { payout_id: 'po_1' } } })).toBe(true);
  });

  it.each<[string, (e: Record<string, any>) => unknown]>([
    ['an array', () => [event()]],
    ['an empty event_id', (e) => ({ ...e, event_id: '' })],
    ['no timestamp', (e) => ({ ...e, timestamp: undefined })],
    ['content.object not an object', (e) => ({ ...e, content: { type: 'payment_details', object: [] } })],
    ['a payment type with refund content', (e) => ({ ...e, content: { type: 'refund_details', object: refundFixture() } })],
    ['a payment without payment_id', (e) => ({ ...e, content: { type: 'payment_details', object: { status: 'succeeded' } } })],
    ['a refund type without refund_id', (e) => ({ ...e, event_type: 'refund_failed', content: { type: 'refund_details', object: { status: 'failed' } } })],
  ])('refuses %s', (_name, change) => {
    expect(isWebhookEvent(change(event()))).toBe(false);
  });

  it('the client refuses what the check refuses, with the shared message', () => {
    const body = JSON.stringify({ ...event(), content: { type: 'payment_details', object: { status: 'succeeded' } } });
    expect(() => constructWebhookEvent(body, signWebhookPayload(body, SECRET), SECRET)).toThrow(WebhookEventMessages.NOT_AN_EVENT);
  });

  it('checks freshness against the given clock: older than the tolerance, or no date, is refused', () => {
    const now = Date.parse('2026-01-02T00:00:00Z');
    expect(() => checkWebhookTimestamp({ timestamp: '2026-01-01T23:59:00Z' }, 60, now)).not.toThrow();
    const late = (() => {
      try {
        checkWebhookTimestamp({ timestamp: '2026-01-01T23:58:59Z' }, 60, now);
      } catch (error) {
        return error as PaymntSignatureVerificationError;
      }
      return undefined;
    })();
    expect(late?.reason).toBe('timestamp_outside_tolerance');
    expect(() => checkWebhookTimestamp({ timestamp: 'yesterday' }, 60, now)).toThrow(WebhookEventMessages.BAD_TIMESTAMP);
    expect(() => checkWebhookTimestamp({ timestamp: '1970-01-01T00:00:00Z' }, 0, now)).not.toThrow();
  });
});
