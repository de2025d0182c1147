import type { INestApplication } from '@nestjs/common';
import { signWebhookPayload } from '@paymnt/client';
import { MemoryEventStore, PaymntWebhookMessages, RedisEventStore } from '@paymnt/nestjs';
import Redis from 'ioredis';
import { buildWebhookEvent, sendSignedWebhook } from '@paymnt/nestjs/testing';
import { ADAPTERS, startApp } from './support/apps';
import { disputeFixture, paymentFixture, refundFixture, WEBHOOK_SECRET } from './support/fixtures';
import { EventRecorder } from './support/recorder';
import { OwnWebhookController, webhookAppModule } from './support/webhook-app';

// Nothing here calls the API: the client points at a closed port.
const OPTIONS = { apiKey: 'snd_test_key', baseUrl: 'http://127.0.0.1:9', maxRetries: 0 };

describe.each(ADAPTERS)('webhook responses on %s', (adapter) => {
  let app: INestApplication;
  let url: string;
  let recorder: EventRecorder;
  let own: OwnWebhookController;

  beforeAll(async () => {
    const module = webhookAppModule({ ...OPTIONS, webhook: { secret: ['whsec_old_rotated', WEBHOOK_SECRET] } }, 'webhooks/builtin');
    ({ app, url } = await startApp(module, adapter));
    recorder = app.get(EventRecorder);
    own = app.get(OwnWebhookController);
  });

  afterAll(async () => {
    await app.close();
  });

  const ownRoute = (): string => `${url}/webhooks/own`;

  it('401 without the signature header, handlers not run', async () => {
    const event = buildWebhookEvent('payment_succeeded', paymentFixture());
    const response = await sendSignedWebhook(ownRoute(), event, WEBHOOK_SECRET, { headers: { 'x-webhook-signature-512': '' } });
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ statusCode: 401, code: 'missing_header', message: PaymntWebhookMessages.MISSING_SIGNATURE });
    expect(recorder.count({ objectId: event.content.object.payment_id })).toBe(0);
  });

  it('401 when signed with another secret', async () => {
    const event = buildWebhookEvent('payment_succeeded', paymentFixture());
    const response = await sendSignedWebhook(ownRoute(), event, 'whsec_wrong');
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('no_match');
    expect(response.body.message).toMatch(/does not match/);
    expect(recorder.count({ objectId: event.content.object.payment_id })).toBe(0);
  });

  it('401 for a malformed signature header', async () => {
    const response = await sendSignedWebhook(ownRoute(), buildWebhookEvent('payment_succeeded', paymentFixture()), WEBHOOK_SECRET, {
      signature: 'sha512=abc',
    });
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('malformed_header');
  });

  it('401 when the body was changed after signing', async () => {
    const body = JSON.stringify(buildWebhookEvent('payment_succeeded', paymentFixture()));
    const signature = signWebhookPayload(body, WEBHOOK_SECRET);
    const response = await sendSignedWebhook(ownRoute(), body.replace('6540', '1'), WEBHOOK_SECRET, { signature });
    expect(response.status).toBe(401);
  });

  it('401 for an event older than the tolerance (a replay)', async () => {
    const event = buildWebhookEvent('payment_succeeded', paymentFixture(), { timestamp: '2020-01-01T00:00:00.000Z' });
    const response = await sendSignedWebhook(ownRoute(), event, WEBHOOK_SECRET);
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('timestamp_outside_tolerance');
  });

  it('400 for a signed body that is not an event', async () => {
    const response = await sendSignedWebhook(ownRoute(), { hello: 'world' }, WEBHOOK_SECRET);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'malformed_payload', message: PaymntWebhookMessages.NOT_AN_EVENT });
  });

  it('400 for a signed payment event carrying a refund', async () => {
    const event = { ...buildWebhookEvent('refund_succeeded', refundFixture()), event_type: 'payment_succeeded' };
    const response = await sendSignedWebhook(ownRoute(), event, WEBHOOK_SECRET);
    expect(response.status).toBe(400);
  });

  it('400 for a signed body that is not JSON', async () => {
    const response = await sendSignedWebhook(ownRoute(), '{"event_id": ', WEBHOOK_SECRET);
    expect(response.status).toBe(400);
  });

  it('415 for a signed body that is not sent as JSON', async () => {
    const event = buildWebhookEvent('payment_succeeded', paymentFixture());
    const response = await sendSignedWebhook(ownRoute(), event, WEBHOOK_SECRET, { headers: { 'content-type': 'text/plain' } });
    expect(response.status).toBe(415);
  });

  it('2xx and dispatches once; a redelivery is 2xx without running the handlers again', async () => {
    const payment = paymentFixture();
    const event = buildWebhookEvent('payment_succeeded', payment);
    const body = JSON.stringify(event);

    const first = await sendSignedWebhook(ownRoute(), body, WEBHOOK_SECRET);
    expect(first.status).toBe(201);
    const again = await sendSignedWebhook(ownRoute(), body, WEBHOOK_SECRET);
    expect(again.status).toBe(201);

    expect(recorder.count({ handler: 'typed', objectId: payment.payment_id })).toBe(1);
    expect(recorder.count({ handler: 'wildcard', objectId: payment.payment_id })).toBe(1);
    const call = recorder.calls.find((c) => c.objectId === payment.payment_id && c.handler === 'typed');
    expect(call).toMatchObject({ type: 'payment_succeeded', source: 'webhook', eventId: event.event_id });
    expect(own.received.filter((r) => r.eventId === event.event_id).map((r) => r.outcome)).toEqual(['dispatched', 'duplicate']);
  });

  it('the built-in route answers 200 with the outcome, and shares de-duplication with the own route', async () => {
    const payment = paymentFixture();
    const event = buildWebhookEvent('payment_succeeded', payment);
    const first = await sendSignedWebhook(`${url}/webhooks/builtin`, event, WEBHOOK_SECRET);
    expect(first).toMatchObject({ status: 200, body: { received: true, outcome: 'dispatched' } });
    const again = await sendSignedWebhook(ownRoute(), event, WEBHOOK_SECRET);
    expect(again.status).toBe(201);
    expect(recorder.count({ handler: 'wildcard', objectId: payment.payment_id })).toBe(1);
  });

  it('acknowledges an event older than the state already applied, without dispatching it', async () => {
    const authorizedAt = new Date(Date.now() - 60_000).toISOString();
    const succeeded = paymentFixture({ status: 'succeeded' });
    const authorized = { ...succeeded, status: 'requires_capture', updated: authorizedAt, modified_at: authorizedAt };

    expect((await sendSignedWebhook(`${url}/webhooks/builtin`, buildWebhookEvent('payment_succeeded', succeeded), WEBHOOK_SECRET)).body.outcome).toBe(
      'dispatched',
    );
    const late = await sendSignedWebhook(`${url}/webhooks/builtin`, buildWebhookEvent('payment_authorized', authorized), WEBHOOK_SECRET);
    expect(late).toMatchObject({ status: 200, body: { outcome: 'stale' } });
    expect(recorder.count({ objectId: succeeded.payment_id, type: 'payment_authorized' })).toBe(0);
  });

  it('a throwing handler answers 500 (no details), and the redelivery runs it again', async () => {
    const payment = paymentFixture();
    const key = `${payment.payment_id}:payment_succeeded`;
    recorder.failures.set(key, 1);
    const body = JSON.stringify(buildWebhookEvent('payment_succeeded', payment));

    const failed = await sendSignedWebhook(ownRoute(), body, WEBHOOK_SECRET);
    expect(failed.status).toBe(500);
    expect(failed.body).toMatchObject({ code: 'handler_failed', message: PaymntWebhookMessages.HANDLER_FAILED });
    expect(JSON.stringify(failed.body)).not.toContain('planned failure');

    const redelivered = await sendSignedWebhook(ownRoute(), body, WEBHOOK_SECRET);
    expect(redelivered.status).toBe(201);
    expect(recorder.attempts.get(key)).toBe(2);
    expect(recorder.count({ handler: 'wildcard', objectId: payment.payment_id })).toBe(1);
  });

  it('409 for a concurrent delivery of an event still being handled, 2xx duplicate after', async () => {
    const payment = paymentFixture();
    const key = `${payment.payment_id}:payment_succeeded`;
    let open!: () => void;
    recorder.gates.set(key, new Promise<void>((resolve) => (open = resolve)));
    const body = JSON.stringify(buildWebhookEvent('payment_succeeded', payment));

    const first = sendSignedWebhook(ownRoute(), body, WEBHOOK_SECRET);
    await recorder.whenStarted(key);
    const concurrent = await sendSignedWebhook(ownRoute(), body, WEBHOOK_SECRET);
    expect(concurrent.status).toBe(409);
    expect(concurrent.body.code).toBe('event_in_progress');
    open();
    expect((await first).status).toBe(201);
    expect((await sendSignedWebhook(ownRoute(), body, WEBHOOK_SECRET)).status).toBe(201);
    expect(recorder.attempts.get(key)).toBe(1);
  });

  it('dispatches refund events to their typed handler', async () => {
    const refund = refundFixture();
    const response = await sendSignedWebhook(ownRoute(), buildWebhookEvent('refund_succeeded', refund), WEBHOOK_SECRET);
    expect(response.status).toBe(201);
    expect(recorder.count({ handler: 'typed-refund', objectId: refund.refund_id, source: 'webhook' })).toBe(1);
  });

  it('dispatches dispute events, de-duplicated; acknowledges unknown event types', async () => {
    const event = buildWebhookEvent('dispute_opened', disputeFixture());
    const body = JSON.stringify(event);
    expect((await sendSignedWebhook(`${url}/webhooks/builtin`, body, WEBHOOK_SECRET)).body.outcome).toBe('dispatched');
    expect((await sendSignedWebhook(`${url}/webhooks/builtin`, body, WEBHOOK_SECRET)).body.outcome).toBe('duplicate');
    expect(recorder.count({ handler: 'wildcard', type: 'dispute_opened' })).toBe(1);

    const future = { ...event, event_id: 'evt_future', event_type: 'payment_disputed_later' };
    expect(await sendSignedWebhook(`${url}/webhooks/builtin`, future, WEBHOOK_SECRET)).toMatchObject({ status: 200, body: { outcome: 'ignored' } });
  });

  it('acknowledges an unknown event type carrying a payment as ignored: no handler, and the next genuine event of the payment is not stale', async () => {
    const payment = paymentFixture({ status: 'requires_capture', updated: new Date(Date.now() - 5000).toISOString() });
    const newer = { ...payment, status: 'succeeded' as const, updated: new Date().toISOString() };
    const unknown = { ...buildWebhookEvent('payment_succeeded', newer), event_type: 'payment_reauthorized' };
    expect(await sendSignedWebhook(`${url}/webhooks/builtin`, unknown, WEBHOOK_SECRET)).toMatchObject({ status: 200, body: { outcome: 'ignored' } });
    expect(recorder.count({ objectId: payment.payment_id })).toBe(0);

    const genuine = buildWebhookEvent('payment_authorized', payment);
    expect(await sendSignedWebhook(`${url}/webhooks/builtin`, genuine, WEBHOOK_SECRET)).toMatchObject({ status: 200, body: { outcome: 'dispatched' } });
    expect(recorder.count({ handler: 'wildcard', objectId: payment.payment_id, type: 'payment_authorized' })).toBe(1);
  });

  it('400 for a signed event with an empty event_type', async () => {
    const event = { ...buildWebhookEvent('payment_succeeded', paymentFixture()), event_type: '' };
    const response = await sendSignedWebhook(`${url}/webhooks/builtin`, event, WEBHOOK_SECRET);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'malformed_payload', message: PaymntWebhookMessages.NOT_AN_EVENT });
  });
});

describe.each(ADAPTERS)('webhook setup on %s', (adapter) => {
  it('without { rawBody: true }, answers 500 saying exactly how to fix it', async () => {
    // The self-check would stop such an app at startup: turned off to see what webhooks get.
    const module = webhookAppModule({ ...OPTIONS, selfCheck: { rawBody: false }, webhook: { secret: WEBHOOK_SECRET } }, 'webhooks/builtin');
    const { app, url } = await startApp(module, adapter, { rawBody: false });
    try {
      const response = await sendSignedWebhook(`${url}/webhooks/builtin`, buildWebhookEvent('payment_succeeded', paymentFixture()), WEBHOOK_SECRET);
      expect(response.status).toBe(500);
      expect(response.body.code).toBe('raw_body_missing');
      expect(response.body.message).toContain('NestFactory.create(AppModule, { rawBody: true })');
    } finally {
      await app.close();
    }
  });

  it('the built-in route respects the global prefix', async () => {
    const module = webhookAppModule({ ...OPTIONS, webhook: { secret: WEBHOOK_SECRET, store: new MemoryEventStore() } }, '/paymnt/webhooks/');
    const { app, url } = await startApp(module, adapter, { globalPrefix: 'api' });
    try {
      expect(url).toMatch(/\/api$/);
      const event = buildWebhookEvent('payment_succeeded', paymentFixture());
      expect((await sendSignedWebhook(`${url}/paymnt/webhooks`, event, WEBHOOK_SECRET)).status).toBe(200);
      expect((await sendSignedWebhook(url.replace(/\/api$/, '/paymnt/webhooks'), event, WEBHOOK_SECRET)).status).toBe(404);
    } finally {
      await app.close();
    }
  });

  it('503 when the event store fails (Redis unreachable), so the API delivers it again', async () => {
    // Never connected, and no offline queue: every command fails at once, like a Redis that is down.
    const redis = new Redis({ host: '127.0.0.1', port: 9, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    const module = webhookAppModule({ ...OPTIONS, webhook: { secret: WEBHOOK_SECRET, store: new RedisEventStore(redis) } }, 'webhooks/builtin');
    const { app, url } = await startApp(module, adapter);
    try {
      const response = await sendSignedWebhook(`${url}/webhooks/builtin`, buildWebhookEvent('payment_succeeded', paymentFixture()), WEBHOOK_SECRET);
      expect(response.status).toBe(503);
      expect(response.body).toMatchObject({ code: 'store_unavailable', message: PaymntWebhookMessages.STORE_FAILED });
    } finally {
      await app.close();
      redis.disconnect();
    }
  });
});
