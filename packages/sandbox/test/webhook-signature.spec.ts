import { createHmac } from 'node:crypto';
import { createSandbox, type Sandbox } from '../src';
import { webhookHeaders } from '../src/webhooks/webhook-dispatcher';
import { createPayment, startReceiver, type Receiver } from './helpers';

/**
 * Signatures are checked against values computed outside our signing code (the sandbox signs with
 * the client's `signWebhookPayload`, so comparing with it would let a shared bug pass).
 */

/**
 * A fixed vector. `hex` was computed with (bash, UTF-8 locale; python3's hmac module agrees):
 *   printf '%s' "$BODY" | openssl dgst -sha512 -hmac "$SECRET"
 */
const VECTOR = {
  body: '{"merchant_id":"merchant_1","event_id":"evt_1","event_type":"payment_succeeded","content":{"type":"payment_details","object":{"payment_id":"pay_1","description":"Café – 5 €"}}}',
  secret: 'clé_secrète_ü',
  hex: '589fde93b6823346b22ce2c2ca54d96dc37a90f341f615a73afd53409a04441fec96c1a721127e6635dd30ff2b457d94d307a3f18ae769d30ed6858459af9373',
};

/** HS's scheme (API notes, section 6), written out with node:crypto, not with our signer. */
const independentSignature = (rawBody: Buffer, secret: string): string =>
  createHmac('sha512', Buffer.from(secret, 'utf8')).update(rawBody).digest('hex');

describe('webhook signature, against independent computations', () => {
  it('the sandbox signing path gives the fixed vector, and no signature header without a secret', () => {
    expect(webhookHeaders(VECTOR.body, VECTOR.secret)).toContainEqual(['X-Webhook-Signature-512', VECTOR.hex]);
    expect(webhookHeaders(VECTOR.body, undefined).map(([name]) => name)).toEqual(['Content-Type', 'User-Agent', 'Via']);
  });

  describe('delivered webhooks', () => {
    let sb: Sandbox;
    let receiver: Receiver;
    beforeEach(async () => {
      // The first delivery fails, so the retry's signature is checked too.
      receiver = await startReceiver([500, 200]);
      sb = await createSandbox({ webhookUrl: receiver.url, webhookSecret: VECTOR.secret, webhookRetryTimeScale: 0.001 });
    });
    afterEach(async () => {
      await sb.close();
      await receiver.close();
    });

    it('carry x-webhook-signature-512 = hex HMAC-SHA512 of the exact raw body, keyed by the secret’s UTF-8 bytes', async () => {
      await createPayment(sb, { description: 'Café – 5 €' });
      const [first, retry] = await receiver.waitFor(2);
      for (const w of [first!, retry!]) {
        // Non-ASCII in the body: the signature covers UTF-8 bytes, not JavaScript characters.
        expect(w.rawBody.length).toBeGreaterThan(w.body.length);
        expect(w.headers['x-webhook-signature-512']).toBe(independentSignature(w.rawBody, VECTOR.secret));
      }
      expect(retry!.rawBody.equals(first!.rawBody)).toBe(true);
    });
  });
});
