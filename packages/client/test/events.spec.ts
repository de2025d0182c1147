import { createSandbox, type Sandbox } from '@paymnt/sandbox';
import {
  PaymntAuthenticationError,
  PaymntClient,
  PaymntNotFoundError,
  PaymntValidationError,
  WEBHOOK_SIGNATURE_HEADER,
  type EventListItem,
  type PaymentCreateParams,
} from '@paymnt/client';
import { TestServer, sendJson } from './support/test-server';

const cardPayment = (extra: Partial<PaymentCreateParams> = {}): PaymentCreateParams => ({
  amount: 6540,
  currency: 'USD',
  confirm: true,
  authentication_type: 'no_three_ds',
  payment_method: 'card',
  payment_method_type: 'credit',
  payment_method_data: { card: { card_number: '4242424242424242', card_exp_month: '10', card_exp_year: '35', card_cvc: '123' } },
  ...extra,
});

const rejection = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('client.events against the real @paymnt/sandbox', () => {
  let sandbox: Sandbox;
  let receiver: TestServer;
  let client: PaymntClient;
  /** The status the webhook endpoint answers: 503 while "down". */
  let endpointStatus = 503;
  let requests = 0;

  beforeAll(async () => {
    receiver = await TestServer.start((_req, res) => sendJson(res, endpointStatus, {}));
    sandbox = await createSandbox({ webhookUrl: `${receiver.url}/webhooks` });
    client = new PaymntClient({ apiKey: sandbox.apiKey, baseUrl: sandbox.url, merchantId: sandbox.merchantId, initialRetryDelayMs: 1, maxRetryDelayMs: 20 });
    client.on('request', () => requests++);
  });

  afterAll(async () => {
    await client.close();
    await sandbox.close();
    await receiver.close();
  });

  it('lists with filters and pages; lists attempts; retries a missed event', async () => {
    const payments = [];
    for (let i = 0; i < 3; i++) payments.push(await client.payments.create(cardPayment()));
    await sandbox.waitForWebhooks();

    const first = await client.events.list({ limit: 2 });
    expect(first.data).toHaveLength(2);
    expect(first.totalCount).toBe(3);
    expect(first.hasMore).toBe(true);
    expect(first.lastResponse.statusCode).toBe(200);

    const all: EventListItem[] = [];
    for await (const event of client.events.list({ limit: 1 })) all.push(event);
    expect(all.map((e) => e.object_id).sort()).toEqual(payments.map((p) => p.payment_id).sort());
    expect(all[0]).toMatchObject({ merchant_id: sandbox.merchantId, profile_id: sandbox.profileId, event_type: 'payment_succeeded', event_class: 'payments' });

    const missed = await client.events.list({ is_delivered: false }).toArray({ limit: 100 });
    expect(missed).toHaveLength(3);
    expect((await client.events.list({ object_id: payments[0]!.payment_id })).data.map((e) => e.object_id)).toEqual([payments[0]!.payment_id]);
    expect((await client.events.list({ event_classes: ['refunds'] })).data).toHaveLength(0);
    expect((await client.events.list({ event_types: ['payment_succeeded'], profile_id: sandbox.profileId })).totalCount).toBe(3);
    expect((await client.events.list({ created_after: new Date(Date.now() + 60_000).toISOString() })).data).toHaveLength(0);

    const target = missed[0]!;
    const attempts = await client.events.listAttempts(target.event_id);
    expect(attempts.map((a) => [a.delivery_attempt, a.response.status_code])).toEqual([['initial_attempt', 503]]);
    expect(attempts.lastResponse.statusCode).toBe(200);

    endpointStatus = 200;
    const retried = await client.events.retry(target.event_id);
    expect(retried).toMatchObject({ initial_attempt_id: target.event_id, delivery_attempt: 'manual_retry', is_delivery_successful: true });
    expect(retried.response.status_code).toBe(200);
    // Byte-identical redelivery: same body and signature as the initial attempt.
    expect(retried.request.body).toBe(attempts[0]!.request.body);
    const sent = receiver.requests.filter((r) => r.body === retried.request.body);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.headers[WEBHOOK_SIGNATURE_HEADER.toLowerCase()]).toBe(sent[0]!.headers[WEBHOOK_SIGNATURE_HEADER.toLowerCase()]);

    expect((await client.events.list({ is_delivered: false })).totalCount).toBe(2);
    expect(await client.events.listAttempts(target.event_id)).toHaveLength(2);
    expect(await rejection(client.events.listAttempts('evt_unknown'))).toBeInstanceOf(PaymntNotFoundError);
    endpointStatus = 503;
  });

  it('validates locally before any request', async () => {
    const before = requests;
    const bad: Array<[string, () => Promise<unknown>]> = [
      ['limit', () => client.events.list({ limit: 101 })],
      ['offset', () => client.events.list({ offset: -1 })],
      ['created_after', () => client.events.list({ created_after: 'yesterday' })],
      ['event_classes[0]', () => client.events.list({ event_classes: ['charges' as never] })],
      ['event_types[1]', () => client.events.list({ event_types: ['payment_succeeded', 'nope' as never] })],
      ['is_delivered', () => client.events.list({ is_delivered: 'no' as never })],
      ['profile_id', () => client.events.list({ profile_id: 'pro/1' })],
      ['object_id', () => client.events.list({ object_id: 'pay_1', limit: 5 })],
      ['params', () => client.events.list('x' as never)],
      ['event_id', () => client.events.listAttempts('../evt')],
      ['event_id', () => client.events.retry('')],
      ['options.profileId', () => client.events.retry('evt_1', { profileId: 'pro 1' })],
    ];
    for (const [field, call] of bad) {
      const error = await rejection(call());
      expect(error).toBeInstanceOf(PaymntValidationError);
      expect((error as PaymntValidationError).field).toBe(field);
    }
    const noMerchant = new PaymntClient({ apiKey: sandbox.apiKey, baseUrl: sandbox.url });
    expect(((await rejection(noMerchant.events.list())) as PaymntValidationError).field).toBe('merchantId');
    expect(((await rejection(noMerchant.events.retry('evt_1'))) as PaymntValidationError).field).toBe('merchantId');
    await noMerchant.close();
    expect(() => new PaymntClient({ apiKey: 'k', merchantId: 'merchant/1' })).toThrow(PaymntValidationError);
    expect(requests).toBe(before);
  });
});

describe('per-call profileId against the real @paymnt/sandbox', () => {
  it('a payment created with another profile of the merchant uses that profile; an unknown one is refused', async () => {
    const hooks: Record<string, string[]> = { first: [], second: [] };
    const receiver = await TestServer.start((req, res) => {
      hooks[req.path.slice(1)]?.push(req.body);
      sendJson(res, 200, {});
    });
    const sandbox = await createSandbox({
      merchants: [
        {
          apiKey: 'snd_two_profiles',
          merchantId: 'merchant_two',
          profiles: [
            { profileId: 'pro_first', webhookUrl: `${receiver.url}/first` },
            { profileId: 'pro_second', webhookUrl: `${receiver.url}/second` },
          ],
        },
      ],
    });
    const client = new PaymntClient({ apiKey: 'snd_two_profiles', baseUrl: sandbox.url, merchantId: 'merchant_two', maxRetries: 0 });
    try {
      const second = await client.payments.create(cardPayment(), { profileId: 'pro_second' });
      expect(second.profile_id).toBe('pro_second');
      const byDefault = await client.payments.create(cardPayment());
      expect(byDefault.profile_id).toBe('pro_first');
      await sandbox.waitForWebhooks();
      expect(hooks.second!.map((b) => JSON.parse(b).content.object.payment_id)).toEqual([second.payment_id]);
      expect(hooks.first!.map((b) => JSON.parse(b).content.object.payment_id)).toEqual([byDefault.payment_id]);
      // The header scopes reads too: the other profile's payment is not found, its events not listed.
      expect(await rejection(client.payments.retrieve(byDefault.payment_id, undefined, { profileId: 'pro_second' }))).toBeInstanceOf(PaymntNotFoundError);
      expect((await client.events.list({}, { profileId: 'pro_second' })).data.map((e) => e.object_id)).toEqual([second.payment_id]);
      // HS: an unknown X-Profile-Id is 401 IR_01.
      const unknown = await rejection(client.payments.create(cardPayment(), { profileId: 'pro_unknown' }));
      expect(unknown).toBeInstanceOf(PaymntAuthenticationError);
      expect((unknown as PaymntAuthenticationError).code).toBe('IR_01');
    } finally {
      await client.close();
      await sandbox.close();
      await receiver.close();
    }
  });
});
