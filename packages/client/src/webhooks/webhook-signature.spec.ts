import { PaymntSignatureVerificationError } from '../errors/signature-verification.error';
import { signWebhookPayload, verifyWebhookSignature } from './webhook-signature';

describe('webhook signature', () => {
  const body = Buffer.from('{"event_id":"evt_1","event_type":"payment_succeeded"}');

  it('accepts the signature of the exact body, for any of the rotated secrets', () => {
    const sig = signWebhookPayload(body, 'whsec_new');
    expect(sig).toMatch(/^[0-9a-f]{128}$/);
    expect(() => verifyWebhookSignature(body, sig, ['whsec_old', 'whsec_new'])).not.toThrow();
    expect(() => verifyWebhookSignature(body.toString(), sig.toUpperCase(), 'whsec_new')).not.toThrow();
  });

  it.each([
    ['missing_header', undefined, body],
    ['malformed_header', 'abc', body],
    ['no_match', signWebhookPayload(body, 'other'), body],
    ['no_match', signWebhookPayload(body, 'whsec'), Buffer.from(body.toString().replace('1', '2'))],
    ['parsed_body', signWebhookPayload(body, 'whsec'), JSON.parse(body.toString())],
  ])('rejects with reason %s', (reason, sig, payload) => {
    try {
      verifyWebhookSignature(payload as Buffer, sig, 'whsec');
      throw new Error('expected a rejection');
    } catch (e) {
      expect(e).toBeInstanceOf(PaymntSignatureVerificationError);
      expect((e as PaymntSignatureVerificationError).reason).toBe(reason);
      expect((e as Error).message).not.toContain('whsec');
    }
  });
});
