import { request } from 'undici';
import { createSandbox, type FaultRule, type Sandbox } from '../src';
import { authorize, call, createPayment, get, paymentBody, post, sleep, startReceiver } from './helpers';

describe('fault injection', () => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await createSandbox();
  });
  afterEach(() => sb.close());

  it('is off by default', async () => {
    expect(sb.faults.list()).toEqual([]);
    expect((await createPayment(sb)).status).toBe('succeeded');
    expect(sb.faults.stats().injected).toBe(0);
  });

  it('500 / 503 before the operation: HS error body, nothing applied', async () => {
    sb.faults.add({ route: 'POST /payments', sequence: [{ status: 500 }, { status: 503 }] });
    const a = await post(sb, '/payments', paymentBody());
    expect(a.status).toBe(500);
    expect(a.json).toEqual({ error: { type: 'api', message: 'Something went wrong', code: 'HE_00' } });
    const b = await post(sb, '/payments', paymentBody());
    expect(b.status).toBe(503);
    expect(b.json.error.code).toBe('HE_00');
    expect(sb.state.listPayments()).toHaveLength(0);
    // The sequence is used up: requests go through again.
    expect((await post(sb, '/payments', paymentBody())).status).toBe(200);
    expect(sb.faults.stats()).toMatchObject({ injected: 2, byKind: { status_500: 1, status_503: 1 } });
  });

  it('after: the operation is applied and stored (idempotency record and webhook included), then the 500 replaces the answer', async () => {
    const receiver = await startReceiver();
    sb.setWebhookUrl(receiver.url);
    const p = await authorize(sb);
    sb.faults.add({ route: 'POST /payments/:id/capture', when: 'after', sequence: [{ status: 500 }] });
    const first = await post(sb, `/payments/${p.payment_id}/capture`, {}, { headers: { 'Idempotency-Key': 'cap-1' } });
    expect(first.status).toBe(500);
    // The capture happened.
    expect((await get(sb, `/payments/${p.payment_id}`)).json.status).toBe('succeeded');
    // A naive retry without the key is refused by the state machine; with the key it gets the real answer.
    expect((await post(sb, `/payments/${p.payment_id}/capture`, {})).json.error.code).toBe('IR_14');
    const retried = await post(sb, `/payments/${p.payment_id}/capture`, {}, { headers: { 'Idempotency-Key': 'cap-1' } });
    expect(retried.status).toBe(200);
    expect(retried.headers['idempotent-replayed']).toBe('true');
    expect(retried.json.status).toBe('succeeded');
    await sb.waitForWebhooks();
    expect(receiver.received.map((w) => w.json.event_type)).toEqual(['payment_authorized', 'payment_succeeded']);
    await receiver.close();
  });

  it('after on create: the double-charge case a client avoids with an Idempotency-Key', async () => {
    sb.faults.add({ route: 'POST /payments', when: 'after', sequence: [{ status: 503 }] });
    const headers = { headers: { 'Idempotency-Key': 'order-7' } };
    const failed = await post(sb, '/payments', paymentBody(), headers);
    expect(failed.status).toBe(503);
    const retried = await post(sb, '/payments', paymentBody(), headers);
    expect(retried.status).toBe(200);
    expect(sb.state.listPayments()).toHaveLength(1);
    // Without a key, the same retry would have charged twice.
    sb.faults.add({ route: 'POST /payments', when: 'after', sequence: [{ status: 500 }] });
    await post(sb, '/payments', paymentBody());
    await post(sb, '/payments', paymentBody());
    expect(sb.state.listPayments()).toHaveLength(3);
  });

  it('429 with Retry-After', async () => {
    sb.faults.add({ route: 'GET /payments/:id', sequence: [{ status: 429, retryAfterSeconds: 7 }] });
    const p = await createPayment(sb);
    const res = await get(sb, `/payments/${p.payment_id}`);
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('7');
    expect(res.json.error).toMatchObject({ code: 'rate_limit_exceeded' });
    expect((await get(sb, `/payments/${p.payment_id}`)).status).toBe(200);
    expect(sb.faults.stats().byKind.status_429).toBe(1);
  });

  it('latency before and after', async () => {
    sb.faults.add([
      { route: 'GET /payments/list', sequence: [{ latencyMs: 150 }] },
      { route: 'GET /payments/list', when: 'after', sequence: [{ latencyMs: 100 }] },
    ]);
    const started = Date.now();
    const res = await get(sb, '/payments/list');
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    expect(sb.faults.stats().byKind.latency).toBe(2);
  });

  it('timeout: never answers until the client gives up, and does not keep close() waiting', async () => {
    sb.faults.add({ route: 'POST /payments', sequence: [{ timeout: true }] });
    const started = Date.now();
    await expect(
      request(`${sb.url}/payments`, {
        method: 'POST',
        headers: { 'api-key': sb.apiKey, 'content-type': 'application/json' },
        body: JSON.stringify(paymentBody()),
        headersTimeout: 300,
      }),
    ).rejects.toThrow(/timeout/i);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(sb.state.listPayments()).toHaveLength(0);

    // A request left hanging while the sandbox closes is dropped, and close() returns promptly.
    sb.faults.add({ route: 'POST /payments', when: 'after', sequence: [{ timeout: true }] });
    const hanging = request(`${sb.url}/payments`, {
      method: 'POST',
      headers: { 'api-key': sb.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify(paymentBody()),
    }).catch((err: Error) => err);
    await sleep(100);
    // `after`: the payment was created before the request hung.
    expect(sb.state.listPayments()).toHaveLength(1);
    const closing = Date.now();
    await sb.close();
    expect(Date.now() - closing).toBeLessThan(1000);
    expect(await hanging).toHaveProperty('message');
    expect(sb.faults.stats().byKind.timeout).toBe(2);
  });

  it('reset: the connection is destroyed', async () => {
    sb.faults.add({ route: 'POST /refunds', sequence: [{ reset: true }] });
    const p = await createPayment(sb);
    const err = await request(`${sb.url}/refunds`, {
      method: 'POST',
      headers: { 'api-key': sb.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ payment_id: p.payment_id }),
    }).catch((e: Error & { code?: string }) => e);
    expect((err as { code?: string }).code).toMatch(/UND_ERR_SOCKET|ECONNRESET/);
    expect((await get(sb, `/payments/${p.payment_id}`)).json.refunds).toBeNull();
    expect(sb.faults.stats().byKind.reset).toBe(1);
  });

  it('reset after: the refund is stored although the client saw the connection drop', async () => {
    sb.faults.add({ route: 'POST /refunds', when: 'after', sequence: [{ reset: true }] });
    const p = await createPayment(sb);
    await request(`${sb.url}/refunds`, {
      method: 'POST',
      headers: { 'api-key': sb.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ payment_id: p.payment_id, amount: 100 }),
    }).catch((e: Error) => e);
    expect((await get(sb, `/payments/${p.payment_id}`)).json.refunds).toHaveLength(1);
  });

  it('seeded probabilities are reproducible', async () => {
    const run = async (seed: number) => {
      const s = await createSandbox({ faults: [{ route: 'GET /payments/list', probability: 0.5, seed, fault: { status: 503 } }] });
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 20; i++) statuses.push((await get(s, '/payments/list')).status);
        return statuses;
      } finally {
        await s.close();
      }
    };
    const a = await run(42);
    const b = await run(42);
    expect(a).toEqual(b);
    expect(a.filter((s) => s === 503).length).toBeGreaterThan(3);
    expect(a.filter((s) => s === 200).length).toBeGreaterThan(3);
    expect(await run(7)).not.toEqual(a);
  });

  it('probability 1 with times, null steps in sequences, route patterns and methods', async () => {
    sb.faults.add({ route: '/payments/*', method: 'GET', probability: 1, times: 2, fault: { status: 500 } });
    const p = await createPayment(sb);
    expect((await get(sb, `/payments/${p.payment_id}`)).status).toBe(500);
    expect((await post(sb, `/payments/${p.payment_id}/cancel`, {})).status).toBe(400); // POST does not match
    expect((await get(sb, `/payments/${p.payment_id}`)).status).toBe(500);
    expect((await get(sb, `/payments/${p.payment_id}`)).status).toBe(200); // times: 2
    sb.faults.clear();
    const a = await authorize(sb);
    // `**` matches the rest of the path (zero or more segments).
    sb.faults.add({ route: 'POST /payments/**', sequence: [null, { status: 500 }] });
    expect((await post(sb, `/payments/${a.payment_id}/capture`, { amount_to_capture: 10 })).status).toBe(200);
    expect((await post(sb, `/payments/${a.payment_id}/capture`, {})).status).toBe(500);
    // Control routes, the 3DS pages and /health are never faulted.
    sb.faults.add({ route: '*', probability: 1, fault: { status: 503 } });
    expect((await call(sb, 'GET', '/__sandbox/faults')).status).toBe(200);
    expect((await call(sb, 'GET', '/health')).status).toBe(200);
    expect((await get(sb, '/payments/list')).status).toBe(503);
  });

  it('rejects invalid rules', () => {
    const bad: unknown[] = [
      { route: 'POST /payments' },
      { route: 'POST /payments', fault: { status: 418 } },
      { route: 'POST /payments', fault: { status: 500 }, probability: 2 },
      { route: 'payments', fault: { status: 500 } },
      { route: 'FETCH /payments', fault: { status: 500 } },
      { route: '/payments', fault: { latencyMs: -1 } },
      { route: '/payments', sequence: [{ status: 500, reset: true }] },
      { route: '/payments', fault: { status: 500 }, when: 'during' },
      { route: '/payments', fault: { status: 500 }, extra: 1 },
    ];
    for (const rule of bad) expect(() => sb.faults.add(rule as FaultRule)).toThrow(TypeError);
    expect(sb.faults.list()).toEqual([]);
  });

  it('the control route: add, list with stats, delete one, clear', async () => {
    const unauth = await call(sb, 'GET', '/__sandbox/faults', undefined, { apiKey: null });
    expect(unauth.status).toBe(401);
    const added = await post(sb, '/__sandbox/faults', { rules: [{ id: 'slow-list', route: 'GET /payments/list', probability: 1, fault: { latencyMs: 1 } }, { route: 'POST /refunds', sequence: [{ status: 503 }] }] });
    expect(added.status).toBe(201);
    expect(added.json.rules.map((r: FaultRule) => r.id)).toEqual(['slow-list', expect.stringMatching(/^fault_/)]);
    await get(sb, '/payments/list');
    const listed = await get(sb, '/__sandbox/faults');
    expect(listed.json.rules).toHaveLength(2);
    expect(listed.json.stats).toMatchObject({ injected: 1, byKind: { latency: 1 }, byRule: { 'slow-list': 1 } });
    expect((await call(sb, 'DELETE', '/__sandbox/faults/slow-list')).json.rules).toHaveLength(1);
    expect((await call(sb, 'DELETE', '/__sandbox/faults/unknown')).status).toBe(404);
    const invalid = await post(sb, '/__sandbox/faults', { route: 'POST /payments', fault: { status: 404 } });
    expect(invalid.status).toBe(400);
    expect(invalid.json.error.message).toMatch(/status must be 500, 503 or 429/);
    const cleared = await call(sb, 'DELETE', '/__sandbox/faults?stats=true');
    expect(cleared.json).toEqual({ rules: [], stats: { injected: 0, byKind: { status_500: 0, status_503: 0, status_429: 0, latency: 0, timeout: 0, reset: 0 }, byRule: {} } });
    // The webhook control route.
    const hooks = await post(sb, '/__sandbox/webhooks', { enabled: false, webhook_url: 'http://127.0.0.1:9/hooks' });
    expect(hooks.json).toEqual({ enabled: false, profiles: [{ profile_id: sb.profileId, webhook_url: 'http://127.0.0.1:9/hooks' }] });
    expect(sb.state.counters.faultsInjected).toBe(1);
  });

  it('faults given at creation apply from the first request', async () => {
    const s = await createSandbox({ faults: [{ route: 'POST /payments', sequence: [{ status: 500 }] }] });
    try {
      expect((await post(s, '/payments', paymentBody())).status).toBe(500);
      expect((await post(s, '/payments', paymentBody())).status).toBe(200);
    } finally {
      await s.close();
    }
    await expect(createSandbox({ faults: [{ route: 'POST /payments' }] })).rejects.toThrow(TypeError);
  });
});
