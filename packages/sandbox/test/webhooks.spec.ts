import { createHmac } from 'node:crypto';
import { checkWebhookTimestamp, isWebhookEvent, verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER } from '@paymnt/client';
import { createSandbox, MAX_AUTOMATIC_RETRIES, RETRY_DELAYS_SECONDS, type Sandbox } from '../src';
import { authorize, card, createPayment, get, post, sleep, startReceiver, type Receiver } from './helpers';

/**
 * A URL nothing listens on. Port 1 (tcpmux) is privileged and unused: a port freed by the test could be
 * taken again at once by a parallel worker's listen(0) or an outgoing connection.
 */
function closedPortUrl(): string {
  return 'http://127.0.0.1:1/hooks';
}

describe('webhook delivery', () => {
  let sb: Sandbox;
  let receiver: Receiver;
  beforeEach(async () => {
    receiver = await startReceiver();
    sb = await createSandbox({ webhookUrl: receiver.url, webhookRetryTimeScale: 0.001 });
  });
  afterEach(async () => {
    await sb.close();
    await receiver.close();
  });

  it('sends HS’s body, headers and a verifiable signature', async () => {
    const p = await createPayment(sb);
    await sb.waitForWebhooks();
    expect(receiver.received).toHaveLength(1);
    const w = receiver.received[0]!;
    expect(w.headers['content-type']).toBe('application/json');
    expect(w.headers['user-agent']).toBe('Hyperswitch-Backend-Server');
    expect(w.headers.via).toBe('HyperSwitch');
    const signature = w.headers[WEBHOOK_SIGNATURE_HEADER] as string;
    expect(signature).toMatch(/^[0-9a-f]{128}$/);
    expect(() => verifyWebhookSignature(w.body, signature, sb.webhookSecret)).not.toThrow();
    expect(() => verifyWebhookSignature(w.body, signature, 'another-secret')).toThrow();
    // The client's event checks (the ones the Nest module runs) accept what the sandbox sends.
    expect(isWebhookEvent(w.json)).toBe(true);
    expect(() => checkWebhookTimestamp(w.json, 60)).not.toThrow();
    expect(Object.keys(w.json)).toEqual(['merchant_id', 'event_id', 'event_type', 'content', 'timestamp', 'processor_merchant_id']);
    expect(Object.keys(w.json.content)).toEqual(['type', 'object']);
    expect(w.json).toMatchObject({ merchant_id: sb.merchantId, event_type: 'payment_succeeded', processor_merchant_id: sb.merchantId });
    expect(w.json.event_id).toMatch(/^evt_[0-9a-f]{12}7[0-9a-f]{3}[89ab][0-9a-f]{15}$/);
    expect(w.json.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(w.json.content.type).toBe('payment_details');
    expect(w.json.content.object).toEqual((await get(sb, `/payments/${p.payment_id}`)).json);
  });

  it('maps statuses to events, one event per (object, event type)', async () => {
    const a = await authorize(sb, { capture_method: 'manual_multiple' });
    await post(sb, `/payments/${a.payment_id}/capture`, { amount_to_capture: 1000 });
    await post(sb, `/payments/${a.payment_id}/capture`, { amount_to_capture: 1000 });
    await post(sb, `/payments/${a.payment_id}/capture`, { amount_to_capture: 4540 });
    for (let i = 0; i < 3; i++) await get(sb, `/payments/${a.payment_id}?force_sync=true`);
    const refund = (await post(sb, '/refunds', { payment_id: a.payment_id, amount: 500 })).json;
    await post(sb, '/refunds', { payment_id: a.payment_id, amount: 100, refund_type: 'scheduled' });
    const declined = await createPayment(sb, {}, '4000000000009995');
    const toCancel = await authorize(sb);
    await post(sb, `/payments/${toCancel.payment_id}/cancel`, {});
    const pc = await createPayment(sb);
    await post(sb, `/payments/${pc.payment_id}/cancel_post_capture`, {});
    const threeDs = await createPayment(sb, { return_url: 'https://shop.example/r' }, '4000003800000446');
    const unconfirmed = (await post(sb, '/payments', { amount: 1, currency: 'USD', payment_method: 'card', payment_method_data: { card: card() } })).json;
    await sb.waitForWebhooks();

    const events = receiver.received.map((w) => {
      const o = w.json.content.object;
      return `${w.json.content.type === 'refund_details' ? o.refund_id : o.payment_id}:${w.json.event_type}`;
    });
    expect(events.sort()).toEqual(
      [
        `${a.payment_id}:payment_authorized`,
        `${a.payment_id}:payment_captured`,
        `${a.payment_id}:payment_succeeded`,
        `${refund.refund_id}:refund_succeeded`,
        `${declined.payment_id}:payment_failed`,
        `${toCancel.payment_id}:payment_authorized`,
        `${toCancel.payment_id}:payment_cancelled`,
        `${pc.payment_id}:payment_succeeded`,
        `${pc.payment_id}:payment_cancelled_post_capture`,
        `${threeDs.payment_id}:action_required`,
      ].sort(),
    );
    expect(events.some((e) => e.startsWith(unconfirmed.payment_id))).toBe(false);
    const refundEvent = receiver.received.find((w) => w.json.event_type === 'refund_succeeded')!;
    expect(refundEvent.json.content.type).toBe('refund_details');
    expect(receiver.received.every((w) => isWebhookEvent(w.json))).toBe(true);
    expect(refundEvent.json.content.object).toEqual((await get(sb, `/refunds/${refund.refund_id}`)).json);
  });

  it('waitForWebhooks resolves at once when nothing is in flight', async () => {
    await expect(sb.waitForWebhooks()).resolves.toBeUndefined();
  });

  it('routes each profile’s webhooks to its own URL with its own key', async () => {
    const other = await startReceiver();
    const multi = await createSandbox({
      webhookUrl: receiver.url,
      merchants: [{ apiKey: 'snd_second', profiles: [{ profileId: 'pro_second', webhookUrl: other.url, webhookSecret: 'second-secret' }] }],
    });
    try {
      await createPayment(multi);
      const res = await post(multi, '/payments', { amount: 10, currency: 'USD', confirm: true, payment_method: 'card', payment_method_data: { card: card() } }, { apiKey: 'snd_second' });
      await multi.waitForWebhooks();
      expect(other.received).toHaveLength(1);
      expect(other.received[0]!.json.content.object.payment_id).toBe(res.json.payment_id);
      expect(() => verifyWebhookSignature(other.received[0]!.body, other.received[0]!.headers[WEBHOOK_SIGNATURE_HEADER], 'second-secret')).not.toThrow();
    } finally {
      await multi.close();
      await other.close();
    }
  });
});

describe('webhook retries', () => {
  it('follows HS’s schedule (16 retries: +1 min, 2×5 min, 5×10 min, 5×1 h, 3×6 h)', () => {
    expect(MAX_AUTOMATIC_RETRIES).toBe(16);
    expect(RETRY_DELAYS_SECONDS).toEqual([60, 300, 300, 600, 600, 600, 600, 600, 3600, 3600, 3600, 3600, 3600, 21600, 21600, 21600]);
  });

  it('retries a failing receiver until it answers 2xx, resending byte-identical requests', async () => {
    const receiver = await startReceiver([500, 503, 200]);
    const sb = await createSandbox({ webhookUrl: receiver.url, webhookRetryTimeScale: 0.001 });
    try {
      const created = Date.now();
      await createPayment(sb);
      const got = await receiver.waitFor(3);
      await sleep(400);
      expect(receiver.received).toHaveLength(3);
      const [a, b, c] = got as [any, any, any];
      expect(b.body).toBe(a.body);
      expect(c.body).toBe(a.body);
      expect(b.headers[WEBHOOK_SIGNATURE_HEADER]).toBe(a.headers[WEBHOOK_SIGNATURE_HEADER]);
      expect(c.headers[WEBHOOK_SIGNATURE_HEADER]).toBe(a.headers[WEBHOOK_SIGNATURE_HEADER]);
      // +60 s from the event's creation (as HS schedules retry 1, however late the first attempt
      // was under load) and +5 min after that retry, scaled by 0.001.
      expect(b.at - created).toBeGreaterThanOrEqual(59);
      expect(c.at - b.at).toBeGreaterThanOrEqual(280);

      const [event] = sb.state.listEvents();
      expect(event!.isDeliverySuccessful).toBe(true);
      const attempts = sb.state.listDeliveryAttempts(event!.eventId);
      expect(attempts.map((x) => [x.deliveryAttempt, x.response.status_code, x.isDeliverySuccessful])).toEqual([
        ['initial_attempt', 500, false],
        ['automatic_retry', 503, false],
        ['automatic_retry', 200, true],
      ]);
      expect(attempts[0]!.eventId).toBe(event!.eventId);
      expect(attempts[1]!.eventId).not.toBe(event!.eventId);
      expect(attempts[1]!.initialAttemptId).toBe(event!.eventId);
      expect(attempts[2]!.response.body).toBe('status 200');
      expect(sb.state.counters).toMatchObject({ webhookEvents: 1, webhookAttempts: 3, webhookDeliveries: 1, webhookFailures: 2 });
    } finally {
      await sb.close();
      await receiver.close();
    }
  });

  it('treats 3xx and 4xx as failures', async () => {
    const receiver = await startReceiver([302, 404, 204]);
    const sb = await createSandbox({ webhookUrl: receiver.url, webhookRetryTimeScale: 0.001 });
    try {
      await createPayment(sb);
      await receiver.waitFor(3);
      await sb.waitForWebhooks();
      const attempts = sb.state.listDeliveryAttempts();
      expect(attempts.map((x) => x.isDeliverySuccessful)).toEqual([false, false, true]);
    } finally {
      await sb.close();
      await receiver.close();
    }
  });

  it('records network errors and timeouts, and retries them', async () => {
    const receiver = await startReceiver([200], 300);
    const sb = await createSandbox({ webhookUrl: closedPortUrl(), webhookRetryTimeScale: 0.001, webhookTimeoutMs: 100 });
    try {
      await createPayment(sb);
      await sb.waitForWebhooks();
      const first = sb.state.listDeliveryAttempts();
      expect(first).toHaveLength(1);
      expect(first[0]!.response.status_code).toBeNull();
      expect(first[0]!.response.error_message).toMatch(/ECONNREFUSED/);
      // The receiver answers after 300 ms: slower than the 100 ms timeout.
      sb.setWebhookUrl(receiver.url);
      await receiver.waitFor(1);
      await sleep(150);
      await sb.waitForWebhooks();
      const second = sb.state.listDeliveryAttempts();
      expect(second).toHaveLength(2);
      expect(second[1]!.deliveryAttempt).toBe('automatic_retry');
      expect(second[1]!.response.error_message).toMatch(/timed out/);
      expect(sb.state.listEvents()[0]!.isDeliverySuccessful).toBe(false);
    } finally {
      await sb.close();
      await receiver.close();
    }
  });

  it('stops after 16 automatic retries', async () => {
    const receiver = await startReceiver([500]);
    // 24 h of schedule in about 0.9 s.
    const sb = await createSandbox({ webhookUrl: receiver.url, webhookRetryTimeScale: 0.00001 });
    try {
      await createPayment(sb);
      await receiver.waitFor(17, undefined, 10_000);
      await sleep(400);
      await sb.waitForWebhooks();
      expect(receiver.received).toHaveLength(17);
      const [event] = sb.state.listEvents();
      expect(event).toMatchObject({ automaticRetries: 16, retriesExhausted: true, isDeliverySuccessful: false });
    } finally {
      await sb.close();
      await receiver.close();
    }
  }, 15_000);

  it('close() cancels scheduled retries', async () => {
    const receiver = await startReceiver([500]);
    const sb = await createSandbox({ webhookUrl: receiver.url, webhookRetryTimeScale: 0.001 });
    await createPayment(sb);
    await receiver.waitFor(1);
    await sb.close();
    await sleep(150);
    expect(receiver.received).toHaveLength(1);
    await receiver.close();
  });
});

describe('webhook switches and the events API', () => {
  let sb: Sandbox;
  let receiver: Receiver;
  beforeEach(async () => {
    receiver = await startReceiver([500, 200]);
    sb = await createSandbox({
      webhookUrl: receiver.url,
      merchants: [{ apiKey: 'snd_events_other', merchantId: 'merchant_events_other', profiles: [{ profileId: 'pro_events_other' }] }],
    });
  });
  afterEach(async () => {
    await sb.close();
    await receiver.close();
  });

  it('lists events, lists an event’s attempts and retries it manually (byte-identical)', async () => {
    const p = await createPayment(sb);
    await sb.waitForWebhooks();
    const list = await post(sb, `/events/${sb.merchantId}`, {});
    expect(list.status).toBe(200);
    expect(list.json.total_count).toBe(1);
    const item = list.json.events[0];
    expect(item).toEqual({
      event_id: receiver.received[0]!.json.event_id,
      merchant_id: sb.merchantId,
      profile_id: sb.profileId,
      object_id: p.payment_id,
      event_type: 'payment_succeeded',
      event_class: 'payments',
      is_delivery_successful: false,
      initial_attempt_id: receiver.received[0]!.json.event_id,
      processor_merchant_id: sb.merchantId,
      created: receiver.received[0]!.json.timestamp,
    });

    const retried = await post(sb, `/events/${sb.merchantId}/${item.event_id}/retry`, undefined, { noContentType: true });
    expect(retried.status).toBe(200);
    expect(retried.json).toMatchObject({
      initial_attempt_id: item.event_id,
      delivery_attempt: 'manual_retry',
      is_delivery_successful: true,
      response: { status_code: 200, body: 'status 200', error_message: null },
    });
    expect(retried.json.event_id).not.toBe(item.event_id);
    expect(retried.json.request.body).toBe(receiver.received[0]!.body);
    expect(receiver.received[1]!.body).toBe(receiver.received[0]!.body);
    expect(receiver.received[1]!.headers[WEBHOOK_SIGNATURE_HEADER]).toBe(receiver.received[0]!.headers[WEBHOOK_SIGNATURE_HEADER]);

    const attempts = await get(sb, `/events/${sb.merchantId}/${item.event_id}/attempts`);
    expect(attempts.status).toBe(200);
    expect(attempts.json.map((a: any) => [a.delivery_attempt, a.response.status_code])).toEqual([
      ['initial_attempt', 500],
      ['manual_retry', 200],
    ]);
    expect(attempts.json[0].request.headers).toEqual(
      expect.arrayContaining([
        ['Content-Type', 'application/json'],
        ['X-Webhook-Signature-512', receiver.received[0]!.headers[WEBHOOK_SIGNATURE_HEADER]],
      ]),
    );
    // The event is now delivered.
    expect((await post(sb, `/events/${sb.merchantId}`, { is_delivered: true })).json.total_count).toBe(1);
    // HS lists attempts by the initial attempt id only; a retry row's id can be retried, not listed.
    expect((await get(sb, `/events/${sb.merchantId}/${retried.json.event_id}/attempts`)).status).toBe(404);
    expect((await post(sb, `/events/${sb.merchantId}/${retried.json.event_id}/retry`, {})).json.initial_attempt_id).toBe(item.event_id);
  });

  it('filters the event list and pages it', async () => {
    const a = await authorize(sb);
    await post(sb, `/payments/${a.payment_id}/capture`, {});
    await post(sb, '/refunds', { payment_id: a.payment_id, amount: 10 });
    await sb.waitForWebhooks();
    const all = await post(sb, `/events/${sb.merchantId}`, {});
    expect(all.json.total_count).toBe(3);
    const created = all.json.events.map((e: any) => Date.parse(e.created));
    expect([...created].sort((x, y) => y - x)).toEqual(created);
    expect((await post(sb, `/events/${sb.merchantId}`, { event_classes: ['refunds'] })).json.total_count).toBe(1);
    expect((await post(sb, `/events/${sb.merchantId}`, { event_types: ['payment_authorized', 'payment_succeeded'] })).json.total_count).toBe(2);
    expect((await post(sb, `/events/${sb.merchantId}`, { object_id: a.payment_id })).json.total_count).toBe(2);
    const page = await post(sb, `/events/${sb.merchantId}`, { limit: 1, offset: 1 });
    expect(page.json.events).toHaveLength(1);
    expect(page.json.total_count).toBe(3);
    // HS takes a merchant id in the path (a profile id there is refused); `profile_id` filters.
    expect((await post(sb, `/events/${sb.profileId}`, {})).status).toBe(401);
    expect((await post(sb, `/events/${sb.merchantId}`, { profile_id: sb.profileId })).json.total_count).toBe(3);
    expect((await post(sb, `/events/${sb.merchantId}`, { profile_id: 'pro_events_other' })).json.error).toEqual({
      type: 'invalid_request',
      code: 'HE_02',
      message: "Business profile with the given id  'pro_events_other' does not exist in our records",
    });
    expect((await post(sb, `/events/${sb.merchantId}`, {}, { headers: { 'x-profile-id': sb.profileId } })).json.total_count).toBe(3);
    // Classes add their types unless a type of theirs is named; the types must stay within the classes.
    expect((await post(sb, `/events/${sb.merchantId}`, { event_classes: ['payments', 'refunds'], event_types: ['payment_authorized'] })).json.total_count).toBe(2);
    const outside = await post(sb, `/events/${sb.merchantId}`, { event_classes: ['refunds'], event_types: ['payment_succeeded'] });
    expect([outside.status, outside.json.error.message]).toEqual([422, '`event_types` must be a subset of `event_classes`']);
    // object_id / event_id are lookups of their own.
    const mixed = await post(sb, `/events/${sb.merchantId}`, { object_id: a.payment_id, limit: 5 });
    expect([mixed.status, mixed.json.error.code]).toEqual([400, 'IR_16']);
    const byId = await post(sb, `/events/${sb.merchantId}`, { event_id: all.json.events[2].event_id });
    expect(byId.json.events.map((e: any) => e.event_id)).toEqual([all.json.events[2].event_id]);
    const now = Date.now();
    const reversed = await post(sb, `/events/${sb.merchantId}`, { created_after: new Date(now).toISOString(), created_before: new Date(now - 1000).toISOString() });
    expect(reversed.json.error.message).toBe('The `created_after` timestamp must be an earlier timestamp compared to the `created_before` timestamp');
    const old = await post(sb, `/events/${sb.merchantId}`, { created_after: new Date(now - 100 * 86_400_000).toISOString() });
    expect(old.json.error.message).toBe('`created_after` must be a timestamp within the past 90 days.');
    expect((await post(sb, `/events/${sb.merchantId}`, { created_after: new Date(now + 60_000).toISOString() })).json.total_count).toBe(0);
    const tooMany = await post(sb, `/events/${sb.merchantId}`, { limit: 101 });
    expect(tooMany.status).toBe(422);
    expect(tooMany.json.error.message).toBe('`limit` must be a number less than 100');
  });

  it('another merchant cannot read or retry the events; unknown events are 404', async () => {
    await createPayment(sb);
    await sb.waitForWebhooks();
    const eventId = sb.state.listEvents()[0]!.eventId;
    const other = { apiKey: 'snd_events_other' };
    expect((await post(sb, `/events/${sb.merchantId}`, {}, other)).status).toBe(401);
    expect((await get(sb, `/events/merchant_events_other/${eventId}/attempts`, other)).json.error).toEqual({
      type: 'invalid_request',
      message: 'Event does not exist in our records',
      code: 'HE_02',
    });
    expect((await post(sb, `/events/merchant_events_other/${eventId}/retry`, {}, other)).status).toBe(404);
    expect((await post(sb, `/events/merchant_events_other`, {}, other)).json).toEqual({ events: [], total_count: 0 });
  });

  it('setWebhooksEnabled(false): events are recorded but not sent; a manual retry still sends', async () => {
    sb.setWebhooksEnabled(false);
    const p = await createPayment(sb);
    await sb.waitForWebhooks();
    await sleep(50);
    expect(receiver.received).toHaveLength(0);
    const [event] = sb.state.listEvents();
    expect(event).toMatchObject({ objectId: p.payment_id, isDeliverySuccessful: null });
    expect(sb.state.listDeliveryAttempts(event!.eventId)[0]!.response).toEqual({ body: null, headers: null, status_code: null, error_message: null });
    sb.setWebhooksEnabled(true);
    const retried = await post(sb, `/events/${sb.merchantId}/${event!.eventId}/retry`, {});
    expect(retried.json.response.status_code).toBe(500);
    expect(receiver.received).toHaveLength(1);
    // Enabled again: new events go out.
    await createPayment(sb);
    await receiver.waitFor(2);
  });

  it('with no webhook URL, events are recorded without attempts', async () => {
    sb.setWebhookUrl(null);
    await createPayment(sb);
    await sb.waitForWebhooks();
    expect(sb.state.listEvents()).toHaveLength(1);
    expect(sb.state.counters.webhookAttempts).toBe(0);
    expect(() => sb.setWebhookUrl('ftp://nope')).toThrow(TypeError);
    expect(() => sb.setWebhookUrl(receiver.url, 'pro_unknown')).toThrow(TypeError);
  });
});

describe('x-profile-id: a payment takes the settings of the profile it names', () => {
  it('sends the webhook to that profile’s URL, signed with its key; an unknown profile is 401 IR_01', async () => {
    const first = await startReceiver([200]);
    const second = await startReceiver([200]);
    const sb = await createSandbox({
      merchants: [
        {
          apiKey: 'snd_two_profiles',
          merchantId: 'merchant_two_profiles',
          profiles: [
            { profileId: 'pro_first', webhookUrl: first.url, webhookSecret: 'first-secret' },
            { profileId: 'pro_second', webhookUrl: second.url, webhookSecret: 'second-secret' },
          ],
        },
      ],
    });
    try {
      const auth = { apiKey: 'snd_two_profiles' };
      const body = { amount: 100, currency: 'USD', confirm: true, authentication_type: 'no_three_ds', payment_method: 'card', payment_method_data: { card: { card_number: '4242424242424242', card_exp_month: '12', card_exp_year: '40', card_cvc: '123' } } };
      const created = await post(sb, '/payments', body, { ...auth, headers: { 'x-profile-id': 'pro_second' } });
      expect(created.json.profile_id).toBe('pro_second');
      await second.waitFor(1);
      expect(first.received).toHaveLength(0);
      expect(second.received[0]!.json.content.object.payment_id).toBe(created.json.payment_id);
      expect(second.received[0]!.headers[WEBHOOK_SIGNATURE_HEADER]).toBe(createHmac('sha512', 'second-secret').update(second.received[0]!.body).digest('hex'));
      // Without the header, the merchant's default (first) profile.
      const byDefault = await post(sb, '/payments', body, auth);
      expect(byDefault.json.profile_id).toBe('pro_first');
      const unknown = await post(sb, '/payments', body, { ...auth, headers: { 'x-profile-id': 'pro_unknown' } });
      expect([unknown.status, unknown.json.error.code]).toEqual([401, 'IR_01']);
    } finally {
      await sb.close();
      await first.close();
      await second.close();
    }
  });
});
