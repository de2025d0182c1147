/**
 * Webhook attacks over real HTTP against a real Nest app (Express and Fastify), with the bytes and
 * signatures of real sandbox events. Every forged, altered, replayed or malformed delivery gets its
 * documented status and reaches NO handler (every call is counted by a 'paymnt.*' listener);
 * duplicates and out-of-order events run handlers once / not at all. Logs (Nest logger and raw
 * stdout/stderr) and every answer are searched for the API key and the webhook secret.
 */
import { Controller, Get, Injectable, type INestApplication, Module, Param } from '@nestjs/common';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { PaymntClient, signWebhookPayload, WEBHOOK_SIGNATURE_HEADER } from '@paymnt/client';
import { OnPaymntEvent, type AnyPaymntEvent, PaymentsService, PaymntExceptionFilter, PaymntModule } from '@paymnt/nestjs';
import { createSandbox, type Sandbox, type SandboxWebhookEvent } from '@paymnt/sandbox';
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'undici';
import { objectIdOf, transitionKey } from './support/ledger';
import { CapturingLogger, leakedIn, secretNeedles, StdioCapture } from './support/log-capture';
import { sleep } from './support/prng';

const WEBHOOK_PATH = 'webhooks/paymnt';
const TOLERANCE_SECONDS = 300;
const OTHER_SECRET = 'wrong_secret_'.padEnd(64, 'x');
const SUCCESS_CARD = { card_number: '4242424242424242', card_exp_month: '10', card_exp_year: '35', card_cvc: '123' };

/** Counts every handler call (wildcard) and can make the handler of one payment fail. */
@Injectable()
class HandlerProbe {
  readonly calls: Array<{ key: string; source: string; eventId: string }> = [];
  readonly attempts = new Map<string, number>();
  /** Transition keys whose next N handler runs throw. */
  readonly failures = new Map<string, number>();

  @OnPaymntEvent('paymnt.*')
  onAny(event: AnyPaymntEvent): void {
    const key = transitionKey(objectIdOf(event), event.type);
    this.attempts.set(key, (this.attempts.get(key) ?? 0) + 1);
    const failures = this.failures.get(key) ?? 0;
    if (failures > 0) {
      this.failures.set(key, failures - 1);
      throw new Error(`ledger write failed for ${key}`);
    }
    this.calls.push({ key, source: event.source, eventId: event.eventId });
  }

  count(key?: string): number {
    return key === undefined ? this.calls.length : this.calls.filter((c) => c.key === key).length;
  }
}

/** A route that calls the API through PaymentsService, so API errors and their mapping are exercised too. */
@Controller('orders')
class OrdersController {
  constructor(private readonly payments: PaymentsService) {}

  @Get(':id')
  async get(@Param('id') id: string): Promise<unknown> {
    return this.payments.retrieve(id);
  }

  @Get(':id/capture')
  async capture(@Param('id') id: string): Promise<unknown> {
    return this.payments.capture(id);
  }
}

interface Answer {
  status: number;
  text: string;
  json: any;
}

describe.each(['express', 'fastify'] as const)('webhook attacks (%s)', (adapter) => {
  let sb: Sandbox;
  let api: PaymntClient;
  let app: INestApplication;
  let probe: HandlerProbe;
  let url: string;
  let origin: string;
  let agent: Agent;
  const logger = new CapturingLogger();
  const stdio = new StdioCapture();
  const answers: string[] = [];
  /** Real events recorded by the sandbox, by `${payment}:${type}`. */
  const eventsByKey = new Map<string, SandboxWebhookEvent>();

  async function post(body: string | Buffer, headers: Record<string, string | string[]>, path = `/${WEBHOOK_PATH}`): Promise<Answer> {
    const res = await request(`${origin}${path}`, { method: 'POST', headers, body, dispatcher: agent });
    const text = await res.body.text();
    answers.push(`${res.statusCode} ${JSON.stringify(res.headers)} ${text}`);
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.statusCode, text, json };
  }

  async function get(path: string): Promise<Answer> {
    const res = await request(`${origin}${path}`, { method: 'GET', dispatcher: agent });
    const text = await res.body.text();
    answers.push(`${res.statusCode} ${JSON.stringify(res.headers)} ${text}`);
    return { status: res.statusCode, text, json: text.startsWith('{') ? JSON.parse(text) : undefined };
  }

  const signed = (body: string | Buffer, secret = sb.webhookSecret, extra: Record<string, string> = {}) => ({
    'content-type': 'application/json',
    [WEBHOOK_SIGNATURE_HEADER]: signWebhookPayload(body, secret),
    ...extra,
  });

  /** The exact bytes and headers the sandbox recorded for a real event. */
  function realDelivery(event: SandboxWebhookEvent): { body: string; headers: Record<string, string> } {
    return { body: event.body, headers: Object.fromEntries(event.headers.map(([k, v]) => [k.toLowerCase(), v])) };
  }

  /** A payment authorised then captured: two real events (older payment_authorized, newer payment_succeeded). */
  async function authorizedThenCaptured(amount = 2_500): Promise<{ authorized: SandboxWebhookEvent; succeeded: SandboxWebhookEvent; paymentId: string }> {
    const p = await api.payments.create({
      amount,
      currency: 'EUR',
      confirm: true,
      capture_method: 'manual',
      authentication_type: 'no_three_ds',
      payment_method: 'card',
      payment_method_type: 'credit',
      payment_method_data: { card: SUCCESS_CARD },
    });
    await sleep(5); // the capture's `updated` is strictly later than the authorisation's
    await api.payments.capture(p.payment_id);
    const find = (type: string) => {
      const event = sb.state.listEvents().find((e) => e.objectId === p.payment_id && e.eventType === type);
      if (!event) throw new Error(`no ${type} event recorded for ${p.payment_id}`);
      eventsByKey.set(`${p.payment_id}:${type}`, event);
      return event;
    };
    return { authorized: find('payment_authorized'), succeeded: find('payment_succeeded'), paymentId: p.payment_id };
  }

  /** Sends again while the answer is not 2xx, as the API does (bounded). */
  async function deliverUntilAcknowledged(body: string, headers: Record<string, string>): Promise<Answer> {
    for (let i = 0; i < 50; i++) {
      const answer = await post(body, headers);
      if (answer.status >= 200 && answer.status < 300) return answer;
      await sleep(20);
    }
    throw new Error('never acknowledged');
  }

  beforeAll(async () => {
    // Webhook delivery off: the test delivers the sandbox's recorded bytes itself, in the order it wants.
    sb = await createSandbox({ port: 0, webhooksEnabled: false });
    api = new PaymntClient({ apiKey: sb.apiKey, baseUrl: sb.url, maxRetries: 0 });
    agent = new Agent({ connections: 64 });

    @Module({
      imports: [
        EventEmitterModule.forRoot({ wildcard: true }),
        PaymntModule.forRoot({
          apiKey: sb.apiKey,
          baseUrl: sb.url,
          maxRetries: 0,
          // The app's calls publish nothing: every handler call in this suite comes from a webhook.
          publishServiceEvents: false,
          webhook: { secret: sb.webhookSecret, path: WEBHOOK_PATH, toleranceSeconds: TOLERANCE_SECONDS },
        }),
      ],
      controllers: [OrdersController],
      providers: [HandlerProbe, { provide: APP_FILTER, useClass: PaymntExceptionFilter }],
    })
    class AttackAppModule {}

    stdio.install();
    const options = { rawBody: true, logger, abortOnError: false };
    // The README's Fastify settings: time limits for slow clients, prototype keys removed rather than refused.
    const fastify = new FastifyAdapter({
      connectionTimeout: 60_000,
      requestTimeout: 30_000,
      http: { headersTimeout: 30_000 },
      onProtoPoisoning: 'remove',
      onConstructorPoisoning: 'remove',
    });
    app = adapter === 'express' ? await NestFactory.create(AttackAppModule, options) : await NestFactory.create(AttackAppModule, fastify, options);
    await app.listen(0, '127.0.0.1');
    origin = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    url = `${origin}/${WEBHOOK_PATH}`;
    probe = app.get(HandlerProbe);
  });

  afterAll(async () => {
    stdio.uninstall();
    await app?.close();
    await agent?.close();
    await api?.close();
    await sb?.close();
  });

  it('serves the webhook route (sanity: a genuine delivery is accepted and dispatched once)', async () => {
    const { succeeded, paymentId } = await authorizedThenCaptured();
    const { body, headers } = realDelivery(succeeded);
    const answer = await post(body, headers);
    expect(answer).toMatchObject({ status: 200, json: { received: true, outcome: 'dispatched' } });
    expect(probe.count(`${paymentId}:payment_succeeded`)).toBe(1);
    expect(url.endsWith(WEBHOOK_PATH)).toBe(true);
  });

  describe('forged or altered deliveries: 401, no handler', () => {
    let target: SandboxWebhookEvent;
    let before: number;

    beforeAll(async () => {
      target = (await authorizedThenCaptured()).succeeded;
    });
    beforeEach(() => {
      before = probe.count();
    });
    afterEach(() => {
      expect(probe.count()).toBe(before);
    });

    it('missing signature header', async () => {
      const { body } = realDelivery(target);
      const answer = await post(body, { 'content-type': 'application/json' });
      expect(answer).toMatchObject({ status: 401, json: { code: 'missing_header' } });
    });

    it('empty signature header', async () => {
      const { body } = realDelivery(target);
      const answer = await post(body, { 'content-type': 'application/json', [WEBHOOK_SIGNATURE_HEADER]: '' });
      expect(answer).toMatchObject({ status: 401, json: { code: 'missing_header' } });
    });

    it('signed with the wrong secret', async () => {
      const { body } = realDelivery(target);
      const answer = await post(body, signed(body, OTHER_SECRET));
      expect(answer).toMatchObject({ status: 401, json: { code: 'no_match' } });
    });

    it('one changed byte in the body (amount, status, event id, timestamp, payment id), original signature', async () => {
      const { body, headers } = realDelivery(target);
      // Each change keeps the body valid JSON, so it is the signature check that must refuse it.
      const spots = [/"amount":\d/, /"status":"s/, /"event_id":"evt_[0-9a-f]/, /"timestamp":"\d/, /"payment_id":"pay_./];
      for (const spot of spots) {
        const match = spot.exec(body);
        if (!match) throw new Error(`no ${spot} in the event body`);
        const at = match.index + match[0].length - 1;
        const bytes = Buffer.from(body, 'utf8');
        bytes[at] = bytes[at] === 0x31 ? 0x32 : 0x31; // one byte: '1', or '2' where it was '1'
        expect(bytes.toString('utf8')).not.toBe(body);
        const answer = await post(bytes, headers);
        expect({ spot: String(spot), status: answer.status, code: answer.json?.code }).toEqual({ spot: String(spot), status: 401, code: 'no_match' });
      }
    });

    it('re-serialized JSON (same object: other whitespace, other key order), original signature', async () => {
      const { body, headers } = realDelivery(target);
      const object = JSON.parse(body) as Record<string, unknown>;
      const variants = [
        JSON.stringify(object, null, 2),
        JSON.stringify(object) + '\n',
        ` ${body}`,
        JSON.stringify(Object.fromEntries(Object.entries(object).reverse())),
      ];
      for (const variant of variants) {
        expect(JSON.parse(variant)).toEqual(object);
        const answer = await post(variant, headers);
        expect(answer).toMatchObject({ status: 401, json: { code: 'no_match' } });
      }
    });

    it('truncated signatures', async () => {
      const { body, headers } = realDelivery(target);
      const signature = headers[WEBHOOK_SIGNATURE_HEADER] as string;
      expect(signature).toMatch(/^[0-9a-f]{128}$/);
      for (const cut of [127, 64, 1]) {
        const answer = await post(body, { ...headers, [WEBHOOK_SIGNATURE_HEADER]: signature.slice(0, cut) });
        expect({ cut, status: answer.status }).toEqual({ cut, status: 401 });
        expect(['malformed_header', 'no_match']).toContain(answer.json.code);
      }
    });

    it('non-hex and prefixed signatures', async () => {
      const { body, headers } = realDelivery(target);
      const signature = headers[WEBHOOK_SIGNATURE_HEADER] as string;
      // (Surrounding spaces are not an attack: HTTP strips them from header values before the app sees them.)
      const forged = ['z'.repeat(128), `${signature.slice(0, 126)}zz`, `sha512=${signature}`, `${signature},${signature}`, signature.toUpperCase().replace(/[0-9]/g, 'G')];
      for (const value of forged) {
        const answer = await post(body, { ...headers, [WEBHOOK_SIGNATURE_HEADER]: value });
        expect({ value: value.length, status: answer.status }).toEqual({ value: value.length, status: 401 });
      }
    });

    it('the signature header sent twice (a right one and a wrong one)', async () => {
      const { body, headers } = realDelivery(target);
      const signature = headers[WEBHOOK_SIGNATURE_HEADER] as string;
      const answer = await post(body, { 'content-type': 'application/json', [WEBHOOK_SIGNATURE_HEADER]: [signWebhookPayload(body, OTHER_SECRET), signature] });
      expect(answer.status).toBe(401);
    });

    it('a replay of a genuinely signed event older than the tolerance', async () => {
      const object = JSON.parse(realDelivery(target).body) as Record<string, unknown>;
      const old = JSON.stringify({ ...object, event_id: `evt_${randomBytes(16).toString('hex')}`, timestamp: new Date(Date.now() - (TOLERANCE_SECONDS + 60) * 1000).toISOString() });
      const answer = await post(old, signed(old));
      expect(answer).toMatchObject({ status: 401, json: { code: 'timestamp_outside_tolerance' } });
    });

    it('a signed event with an unreadable timestamp', async () => {
      const object = JSON.parse(realDelivery(target).body) as Record<string, unknown>;
      const body = JSON.stringify({ ...object, event_id: `evt_${randomBytes(16).toString('hex')}`, timestamp: 'yesterday' });
      const answer = await post(body, signed(body));
      expect(answer).toMatchObject({ status: 400, json: { code: 'malformed_payload' } });
    });
  });

  describe('malformed or oversized bodies: 4xx, no handler', () => {
    let before: number;
    beforeEach(() => {
      before = probe.count();
    });
    afterEach(() => {
      expect(probe.count()).toBe(before);
    });

    it('an oversized body (2 MiB, validly signed) is refused with 413', async () => {
      const object = JSON.parse(realDelivery((await authorizedThenCaptured()).succeeded).body) as { content: { object: Record<string, unknown> } };
      object.content.object.metadata = { padding: 'x'.repeat(2 * 1024 * 1024) };
      const body = JSON.stringify(object);
      const answer = await post(body, signed(body));
      expect(answer.status).toBe(413);
    });

    it('a 512 KiB forged body is refused by the adapter\'s own limit (Express 100 KB: 413) or by the signature (Fastify 1 MiB: 401)', async () => {
      // The module sets no size limit of its own: the cap is whatever the app's body parser has.
      const body = JSON.stringify({ event_id: 'evt_big', event_type: 'payment_succeeded', padding: 'x'.repeat(512 * 1024) });
      const answer = await post(body, { 'content-type': 'application/json', [WEBHOOK_SIGNATURE_HEADER]: signWebhookPayload(body, OTHER_SECRET) });
      expect(answer.status).toBe(adapter === 'express' ? 413 : 401);
    });

    it('malformed JSON with a valid signature is a 400', async () => {
      for (const body of ['{"event_id": "evt_1", "event_type": ', '{not json}', '[1, 2', '{"a":1}}']) {
        const answer = await post(body, signed(body));
        expect({ body, status: answer.status }).toEqual({ body, status: 400 });
      }
    });

    it('valid JSON, validly signed, that is not an event is a 400', async () => {
      const bodies = [
        '{}',
        '[]',
        '"payment_succeeded"',
        JSON.stringify({ event_id: 'evt_x', event_type: 'payment_succeeded', timestamp: new Date().toISOString(), content: { type: 'payment_details', object: { nope: true } } }),
        JSON.stringify({ event_id: 'evt_x', event_type: 'refund_succeeded', timestamp: new Date().toISOString(), content: { type: 'payment_details', object: { payment_id: 'pay_x', status: 'succeeded' } } }),
        JSON.stringify({ event_id: 42, event_type: 'payment_succeeded', timestamp: new Date().toISOString(), content: {} }),
      ];
      for (const body of bodies) {
        const answer = await post(body, signed(body));
        expect({ body: body.slice(0, 40), status: answer.status }).toEqual({ body: body.slice(0, 40), status: 400 });
      }
    });

    it('an empty body with a valid signature (of nothing) is a 4xx', async () => {
      const answer = await post('', signed(''));
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
    });

    it('a validly signed event sent as text/plain is a 415', async () => {
      const { body } = realDelivery((await authorizedThenCaptured()).authorized);
      const answer = await post(body, { 'content-type': 'text/plain', [WEBHOOK_SIGNATURE_HEADER]: signWebhookPayload(body, sb.webhookSecret) });
      expect(answer.status).toBe(415);
    });
  });

  // KNOWN BUG (packages/nestjs/src/events/paymnt-event.publisher.ts, reported): publishWebhookEvent()
  // picks payment events with the client's isPaymentEvent(), which looks at content.type only, so an
  // unknown event_type carrying a payment is dispatched as 'paymnt.<unknown>' (to 'paymnt.*'
  // handlers) instead of 'ignored'. `it.failing` until fixed: once it passes, remove `.failing`.
  it('KNOWN BUG: an unknown event type (validly signed) is acknowledged 2xx and dispatched to no handler', async () => {
    const object = JSON.parse(realDelivery((await authorizedThenCaptured()).authorized).body) as Record<string, unknown>;
    const before = probe.count();
    for (const type of ['payment_teleported', 'dispute_escalated_to_the_moon', '']) {
      const body = JSON.stringify({ ...object, event_id: `evt_${randomBytes(16).toString('hex')}`, event_type: type });
      const answer = await post(body, signed(body));
      if (type === '') {
        expect(answer.status).toBe(400);
      } else {
        expect(answer).toMatchObject({ status: 200, json: { received: true, outcome: 'ignored' } });
      }
    }
    expect(probe.count()).toBe(before);
  });

  // KNOWN BUG, same cause: the unknown event also records the payment's version, so the genuine
  // older event that follows is 'stale' and never reaches a handler. `it.failing` until fixed.
  it('KNOWN BUG: an unknown event type does not make the next genuine event of the object stale (no event lost)', async () => {
    const { authorized, succeeded, paymentId } = await authorizedThenCaptured();
    // An event type the app does not know yet, carrying the newer payment (as a future API version could send).
    const unknown = JSON.stringify({ ...JSON.parse(succeeded.body), event_id: `evt_${randomBytes(16).toString('hex')}`, event_type: 'payment_reauthorized' });
    expect((await post(unknown, signed(unknown))).status).toBe(200);
    const genuine = realDelivery(authorized);
    expect(await post(genuine.body, genuine.headers)).toMatchObject({ status: 200, json: { outcome: 'dispatched' } });
    expect(probe.count(`${paymentId}:payment_authorized`)).toBe(1);
  });

  it('a prototype-pollution payload, validly signed, is verified and acknowledged, and pollutes nothing', async () => {
    const { authorized, paymentId } = await authorizedThenCaptured();
    const body = authorized.body.replace(/^\{/, '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},');
    const answer = await post(body, signed(body));
    // A genuine event either way: refusing it (Fastify's default 'error') would have it redelivered for a day, then lost.
    expect(answer).toMatchObject({ status: 200, json: { outcome: 'dispatched' } });
    expect(probe.count(`${paymentId}:payment_authorized`)).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a duplicate delivery (same bytes twice) runs the handler once', async () => {
    const { succeeded, paymentId } = await authorizedThenCaptured();
    const { body, headers } = realDelivery(succeeded);
    expect(await post(body, headers)).toMatchObject({ status: 200, json: { outcome: 'dispatched' } });
    expect(await post(body, headers)).toMatchObject({ status: 200, json: { outcome: 'duplicate' } });
    expect(probe.count(`${paymentId}:payment_succeeded`)).toBe(1);
  });

  it('20 concurrent duplicate deliveries run the handler once; the unacknowledged ones, redelivered, are duplicates', async () => {
    const { succeeded, paymentId } = await authorizedThenCaptured();
    const { body, headers } = realDelivery(succeeded);
    const key = `${paymentId}:payment_succeeded`;
    const answers = await Promise.all(Array.from({ length: 20 }, () => post(body, headers)));
    const statuses = answers.map((a) => a.status);
    // 200 (dispatched once, duplicate after), 409 while another delivery holds the event: never anything else.
    expect(statuses.filter((s) => s !== 200 && s !== 409)).toEqual([]);
    expect(answers.filter((a) => a.json?.outcome === 'dispatched')).toHaveLength(1);
    for (const answer of answers.filter((a) => a.status === 409)) {
      expect(await deliverUntilAcknowledged(body, headers)).toMatchObject({ json: { outcome: 'duplicate' } });
      expect(answer.json.statusCode).toBe(409);
    }
    expect(probe.count(key)).toBe(1);
    expect(probe.attempts.get(key)).toBe(1);
  });

  it('out of order: payment_succeeded first, then the older payment_authorized is recorded but not dispatched', async () => {
    const { authorized, succeeded, paymentId } = await authorizedThenCaptured();
    expect(Date.parse(JSON.parse(authorized.body).content.object.updated)).toBeLessThan(Date.parse(JSON.parse(succeeded.body).content.object.updated));
    const newer = realDelivery(succeeded);
    const older = realDelivery(authorized);
    expect(await post(newer.body, newer.headers)).toMatchObject({ status: 200, json: { outcome: 'dispatched' } });
    expect(await post(older.body, older.headers)).toMatchObject({ status: 200, json: { outcome: 'stale' } });
    // ...and stays so when redelivered.
    expect(await post(older.body, older.headers)).toMatchObject({ status: 200, json: { outcome: 'duplicate' } });
    expect(probe.count(`${paymentId}:payment_succeeded`)).toBe(1);
    expect(probe.count(`${paymentId}:payment_authorized`)).toBe(0);
  });

  it('a handler that fails answers 500 (so the API retries), and the redelivery runs it to success once', async () => {
    const { succeeded, paymentId } = await authorizedThenCaptured();
    const key = `${paymentId}:payment_succeeded`;
    probe.failures.set(key, 1);
    const { body, headers } = realDelivery(succeeded);
    const failed = await post(body, headers);
    expect(failed.status).toBe(500);
    expect(await post(body, headers)).toMatchObject({ status: 200, json: { outcome: 'dispatched' } });
    expect(probe.attempts.get(key)).toBe(2);
    expect(probe.count(key)).toBe(1);
  });

  it('API errors through the app are mapped without echoing the key (404, 400)', async () => {
    const missing = await get('/orders/pay_does_not_exist_123');
    expect(missing.status).toBe(404);
    const p = await api.payments.create({ amount: 100, currency: 'USD' });
    const notCapturable = await get(`/orders/${p.payment_id}/capture`);
    expect(notCapturable.status).toBe(400);
    expect(notCapturable.json.code).toBe('IR_14');
  });

  it('the API key and the webhook secret appear in no log line, no stdout/stderr write and no answer', () => {
    expect(answers.length).toBeGreaterThan(30);
    expect(logger.lines.some((line) => line.includes('ledger write failed'))).toBe(true);
    const needles = secretNeedles({ apiKey: sb.apiKey, webhookSecret: sb.webhookSecret });
    expect(leakedIn(logger.lines.join('\n'), needles)).toEqual([]);
    expect(leakedIn(stdio.text(), needles)).toEqual([]);
    expect(leakedIn(answers.join('\n'), needles)).toEqual([]);
  });
});
