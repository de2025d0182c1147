import { Readable } from 'node:stream';
import { request } from 'undici';
import { createSandbox, type Sandbox } from '../src';
import { call, card, createPayment, get, paymentBody, post } from './helpers';

const jsonError = (message: string) => ({ error: { error_type: 'invalid_request', message, code: 'IR_06' } });

describe('auth, routing and isolation', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await createSandbox({
      merchants: [{ apiKey: 'snd_other_merchant_key', merchantId: 'merchant_other', profiles: [{ profileId: 'pro_other' }] }],
    });
  });
  afterAll(() => sb.close());

  it('generates snd_ keys, merchant_ and pro_ ids and a 64-char secret by default', () => {
    expect(sb.apiKey).toMatch(/^snd_/);
    expect(sb.merchantId).toMatch(/^merchant_/);
    expect(sb.profileId).toMatch(/^pro_/);
    expect(sb.webhookSecret).toHaveLength(64);
    expect(sb.publishableKey).toMatch(/^pk_snd_[0-9a-f-]{36}$/);
    expect(sb.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('401 IR_01 without or with a wrong api-key', async () => {
    const expected = { error: { type: 'invalid_request', message: 'API key not provided or invalid API key used', code: 'IR_01' } };
    const none = await post(sb, '/payments', { amount: 1, currency: 'USD' }, { apiKey: null });
    expect(none.status).toBe(401);
    expect(none.json).toEqual(expected);
    const wrong = await get(sb, '/payments/list', { apiKey: 'snd_wrong' });
    expect(wrong.status).toBe(401);
    expect(wrong.json).toEqual(expected);
  });

  it('x-profile-id: unknown or malformed → 401; a known one scopes reads', async () => {
    expect((await get(sb, '/payments/list', { headers: { 'x-profile-id': 'pro_unknown' } })).status).toBe(401);
    expect((await get(sb, '/payments/list', { headers: { 'x-profile-id': 'not a profile' } })).status).toBe(401);
    // A profile of another merchant is unknown to this one.
    expect((await get(sb, '/payments/list', { headers: { 'x-profile-id': 'pro_other' } })).status).toBe(401);
    const p = await createPayment(sb, {});
    const ok = await get(sb, `/payments/${p.payment_id}`, { headers: { 'x-profile-id': sb.profileId } });
    expect(ok.status).toBe(200);
  });

  it('one merchant never sees another merchant’s payments or refunds (404 HE_02)', async () => {
    const p = await createPayment(sb);
    const refund = (await post(sb, '/refunds', { payment_id: p.payment_id, amount: 100 })).json;
    const other = { apiKey: 'snd_other_merchant_key' };
    expect((await get(sb, `/payments/${p.payment_id}`, other)).json.error.code).toBe('HE_02');
    expect((await post(sb, `/payments/${p.payment_id}/cancel`, {}, other)).status).toBe(404);
    expect((await get(sb, `/refunds/${refund.refund_id}`, other)).json).toEqual({
      error: { type: 'invalid_request', message: 'Refund does not exist in our records.', code: 'HE_02' },
    });
    expect((await post(sb, '/refunds', { payment_id: p.payment_id }, other)).status).toBe(404);
    const list = await get(sb, '/payments/list', other);
    expect(list.json.data.find((x: any) => x.payment_id === p.payment_id)).toBeUndefined();
    // The same merchant-supplied payment_id may exist for both merchants.
    expect((await post(sb, '/payments', { amount: 1, currency: 'USD', payment_id: 'shared_id' })).status).toBe(200);
    expect((await post(sb, '/payments', { amount: 1, currency: 'USD', payment_id: 'shared_id' }, other)).status).toBe(200);
  });

  it('404 IR_02 on unknown routes, 405 IR_03 on a wrong method', async () => {
    const nf = await get(sb, '/nope');
    expect(nf.status).toBe(404);
    expect(nf.json).toEqual({ error: { type: 'invalid_request', message: 'Unrecognized request URL', code: 'IR_02' } });
    const na = await call(sb, 'DELETE', '/payments/pay_123');
    expect(na.status).toBe(405);
    expect(na.json).toEqual({ error: { type: 'invalid_request', message: 'The HTTP method is not applicable for this API', code: 'IR_03' } });
    expect((await call(sb, 'PUT', '/refunds')).status).toBe(405);
    expect((await call(sb, 'DELETE', '/payments/list')).status).toBe(405);
  });

  it('POST /payments/list is for dashboard (JWT) users only', async () => {
    const res = await post(sb, '/payments/list', {});
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe('IR_17');
  });
});

describe('bad input never yields a 500', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await createSandbox({ maxBodyBytes: 64 * 1024 });
  });
  afterAll(async () => {
    expect(sb.state.counters.internalErrors).toBe(0);
    await sb.close();
  });

  it('Content-Type is required on POST (400 IR_06, error_type envelope)', async () => {
    const res = await post(sb, '/payments', { amount: 1, currency: 'USD' }, { noContentType: true });
    expect(res.status).toBe(400);
    expect(res.json).toEqual(jsonError('Content type error'));
    const textPlain = await post(sb, '/payments', undefined, { raw: '{}', headers: { 'content-type': 'text/plain' } });
    expect(textPlain.status).toBe(400);
    const p = await createPayment(sb, { capture_method: 'manual' });
    const capture = await call(sb, 'POST', `/payments/${p.payment_id}/capture`, undefined, { raw: '', noContentType: true });
    expect(capture.status).toBe(400);
    expect(capture.json).toEqual(jsonError('Content type error'));
    // application/json with a charset, and +json types, are fine.
    const charset = await post(sb, '/payments', { amount: 1, currency: 'USD' }, { headers: { 'content-type': 'application/json; charset=utf-8' } });
    expect(charset.status).toBe(200);
  });

  it('body errors come before auth, as actix extracts the body first', async () => {
    const res = await post(sb, '/payments', undefined, { raw: '{', apiKey: null });
    expect(res.status).toBe(400);
    expect(res.json.error.error_type).toBe('invalid_request');
  });

  it('malformed JSON: serde_json messages with line and column', async () => {
    const cases: Array<[string, string]> = [
      ['', 'Json deserialize error: EOF while parsing a value at line 1 column 0'],
      ['{', 'Json deserialize error: EOF while parsing an object at line 1 column 1'],
      ['{"amount": }', 'Json deserialize error: expected value at line 1 column 12'],
      ['{"amount": 1,}', 'Json deserialize error: trailing comma at line 1 column 14'],
      ['{"amount" 1}', 'Json deserialize error: expected `:` at line 1 column 11'],
      ['{amount: 1}', 'Json deserialize error: key must be a string at line 1 column 2'],
      ['{"amount": 1} x', 'Json deserialize error: trailing characters at line 1 column 15'],
      ['{\n  "amount": trux\n}', 'Json deserialize error: expected ident at line 2 column 16'],
      ['{"amount": tru\n}', 'Json deserialize error: expected ident at line 2 column 0'],
      ['nul', 'Json deserialize error: EOF while parsing a value at line 1 column 3'],
    ];
    for (const [raw, message] of cases) {
      const res = await post(sb, '/payments', undefined, { raw });
      expect({ raw, status: res.status, body: res.json }).toEqual({ raw, status: 400, body: jsonError(message) });
    }
  });

  it('unknown fields are rejected on PaymentsRequest, RefundRequest and RefundUpdateRequest', async () => {
    const res = await post(sb, '/payments', undefined, { raw: '{"amount":100,"currency":"USD","amountt":5}' });
    expect(res.status).toBe(400);
    expect(res.json.error.error_type).toBe('invalid_request');
    expect(res.json.error.code).toBe('IR_06');
    expect(res.json.error.message).toMatch(/^Json deserialize error: unknown field `amountt`, expected one of `amount`, `order_tax_amount`, .* at line 1 column 40$/);
    const refund = await post(sb, '/refunds', { payment_id: 'pay_x', foo: 1 });
    expect(refund.json.error.message).toMatch(/^Json deserialize error: unknown field `foo`, expected one of `payment_id`, `refund_id`, /);
    const update = await post(sb, '/refunds/ref_x', { reason: 'x', amount: 5 });
    expect(update.json.error.message).toBe('Json deserialize error: unknown field `amount`, expected `reason` or `metadata` at line 1 column 22');
  });

  it('wrong types, negative and fractional amounts, unknown enum values', async () => {
    const cases: Array<[unknown, string]> = [
      [{ amount: '100', currency: 'USD' }, 'invalid type: string "100", expected amount as integer at line 1 column 15'],
      [{ amount: 10.5, currency: 'USD' }, 'invalid type: floating point `10.5`, expected amount as integer at line 1 column 14'],
      [{ amount: -5, currency: 'USD' }, 'invalid value `-5`, expected a positive integer at line 1 column 12'],
      [{ amount: 100, currency: 'usd' }, 'unknown variant `usd`, expected one of `AED`, '],
      [{ amount: 100, currency: 'USD', capture_method: 'auto' }, 'unknown variant `auto`, expected one of `automatic`, `manual`, `manual_multiple`, `scheduled`, `sequential_automatic` at line 1 column 54'],
      [{ amount: 100, currency: 'USD', confirm: 'yes' }, 'invalid type: string "yes", expected a boolean at line 1 column 46'],
      [{ amount: 100, currency: 'USD', metadata: 'x' }, 'invalid type: string "x", expected a map at line 1 column 45'],
      [{ amount: 100, currency: 'USD', description: 5 }, 'invalid type: integer `5`, expected a string at line 1 column 46'],
      [{ amount: 100, currency: 'USD', shipping_cost: 1.25 }, 'invalid type: floating point `1.25`, expected i64 at line 1 column 51'],
      [{ amount: 100, currency: 5 }, 'expected value at line 1 column 26'],
      [{ amount: 100, currency: 'USD', payment_id: 'bad id!' }, 'value `bad id!` contains invalid character ` `'],
    ];
    for (const [body, message] of cases) {
      const res = await post(sb, '/payments', body);
      expect(res.status).toBe(400);
      expect(res.json.error.code).toBe('IR_06');
      expect(res.json.error.message.slice(0, message.length + 24)).toBe(`Json deserialize error: ${message}`);
    }
    const refundNegative = await post(sb, '/refunds', { payment_id: 'pay_x', amount: 1.5 });
    expect(refundNegative.status).toBe(400);
    expect(refundNegative.json.error.message).toMatch(/floating point `1.5`, expected i64/);
  });

  it('a huge integer and a number out of range', async () => {
    const huge = await post(sb, '/payments', undefined, { raw: '{"amount":99999999999999999999,"currency":"USD"}' });
    expect(huge.status).toBe(400);
    expect(huge.json.error.message).toBe(
      'Json deserialize error: invalid type: floating point `100000000000000000000.0`, expected amount as integer at line 1 column 30',
    );
    const tooBig = await post(sb, '/payments', undefined, { raw: '{"amount":1e400,"currency":"USD"}' });
    expect(tooBig.status).toBe(400);
    expect(tooBig.json.error.message).toMatch(/^Json deserialize error: number out of range/);
  });

  it('card validation: number length / Luhn (400 IR_06), CVC and expiry (400 IR_16)', async () => {
    const withCard = (c: Record<string, unknown>) => post(sb, '/payments', paymentBody({ payment_method_data: { card: c } }));
    const short = await withCard(card('123456'));
    expect(short.status).toBe(400);
    expect(short.json.error.message).toMatch(/^Json deserialize error: invalid card number length at line 1 column \d+$/);
    const luhn = await withCard(card('4242424242424241'));
    expect(luhn.json.error.message).toMatch(/^Json deserialize error: card number invalid/);
    const letters = await withCard(card('4242abcd42424242'));
    expect(letters.json.error.message).toMatch(/^Json deserialize error: invalid character found in card number/);
    const missingCvc = await withCard({ card_number: '4242424242424242', card_exp_month: '10', card_exp_year: '35' });
    expect(missingCvc.json.error.message).toMatch(/^Json deserialize error: missing field `card_cvc`/);

    const precondition = (message: string) => ({ error: { type: 'invalid_request', message, code: 'IR_16' } });
    expect((await withCard(card(undefined, { card_cvc: '123456', card_exp_year: '2023' }))).json).toEqual(precondition('Invalid card_cvc length'));
    expect((await withCard(card(undefined, { card_exp_month: '00', card_exp_year: '2023' }))).json).toEqual(precondition('Invalid Expiry Month'));
    expect((await withCard(card(undefined, { card_exp_month: '13' }))).json).toEqual(precondition('Invalid Expiry Month'));
    const pastYear = await withCard(card(undefined, { card_exp_month: '01', card_exp_year: '2023' }));
    expect(pastYear.status).toBe(400);
    expect(pastYear.json).toEqual(precondition('Invalid Expiry Year'));
    expect((await withCard(card(undefined, { card_exp_year: '23' }))).json).toEqual(precondition('Invalid Expiry Year'));
  });

  it('huge bodies: 413 with an API error body', async () => {
    const big = JSON.stringify({ amount: 1, currency: 'USD', description: 'x'.repeat(70 * 1024) });
    const res = await post(sb, '/payments', undefined, { raw: big });
    expect(res.status).toBe(413);
    expect(res.json).toEqual(jsonError(`JSON payload (${Buffer.byteLength(big)} bytes) is larger than allowed (limit: ${64 * 1024} bytes).`));
    // Chunked (no Content-Length): cut off while streaming.
    const chunks = Readable.from(
      (function* () {
        for (let i = 0; i < 100; i++) yield Buffer.alloc(1024, 0x20);
      })(),
    );
    const streamed = await request(`${sb.url}/payments`, {
      method: 'POST',
      headers: { 'api-key': sb.apiKey, 'content-type': 'application/json' },
      body: chunks,
    });
    expect(streamed.statusCode).toBe(413);
    expect(await streamed.body.json()).toEqual(jsonError(`JSON payload has exceeded limit (${64 * 1024} bytes).`));
  });

  it('bad query strings: actix plain-text 400; limit out of range: 422 IR_06', async () => {
    const unknown = await get(sb, '/payments/list?created_lt=2024-01-01T00:00:00Z');
    expect(unknown.status).toBe(400);
    expect(unknown.headers['content-type']).toMatch(/^text\/plain/);
    expect(unknown.text).toMatch(/^Query deserialize error: unknown field `created_lt`, expected one of `customer_id`, `starting_after`/);
    const notNumber = await get(sb, '/payments/list?limit=ten');
    expect(notNumber.status).toBe(400);
    expect(notNumber.text).toBe('Query deserialize error: invalid digit found in string');
    for (const limit of [0, 101]) {
      const res = await get(sb, `/payments/list?limit=${limit}`);
      expect(res.status).toBe(422);
      expect(res.json.error).toEqual({ type: 'invalid_request', message: 'limit should be in between 1 and 100', code: 'IR_06' });
    }
    const badBool = await get(sb, '/payments/pay_x?force_sync=yes');
    expect(badBool.status).toBe(400);
    expect(badBool.text).toBe('Query deserialize error: provided string was not `true` or `false`');
    const badDate = await get(sb, '/payments/list?created.gte=yesterday');
    expect(badDate.status).toBe(400);
    const duplicate = await get(sb, '/payments/list?limit=1&limit=2');
    expect(duplicate.text).toBe('Query deserialize error: duplicate field `limit`');
  });

  it('odd but valid input: prototype keys, unicode, nesting', async () => {
    const proto = await post(sb, '/payments', undefined, {
      raw: '{"amount":100,"currency":"USD","metadata":{"__proto__":{"polluted":true},"note":"héllo \\u00e9"}}',
    });
    expect(proto.status).toBe(200);
    expect(proto.json.metadata.note).toBe('héllo é');
    expect(({} as any).polluted).toBeUndefined();
    const deep = '{"amount":100,"currency":"USD","metadata":' + '{"a":'.repeat(200) + '1' + '}'.repeat(200) + '}';
    const res = await post(sb, '/payments', undefined, { raw: deep });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toMatch(/recursion limit exceeded/);
  });
});

describe('CORS', () => {
  it('answers preflights and allows any origin', async () => {
    const sb = await createSandbox();
    try {
      const pre = await request(`${sb.url}/payments/pay_x/confirm`, {
        method: 'OPTIONS',
        headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST', 'access-control-request-headers': 'api-key,content-type' },
      });
      expect(pre.statusCode).toBe(204);
      expect(pre.headers['access-control-allow-origin']).toBe('*');
      expect(pre.headers['access-control-allow-headers']).toBe('api-key,content-type');
      await pre.body.dump();
      const res = await get(sb, '/payments/list');
      expect(res.headers['access-control-allow-origin']).toBe('*');
    } finally {
      await sb.close();
    }
  });
});

describe('createSandbox', () => {
  it('rejects a port in use and invalid options', async () => {
    const sb = await createSandbox();
    try {
      await expect(createSandbox({ port: sb.port })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await sb.close();
    }
    await expect(createSandbox({ webhookRetryTimeScale: -1 })).rejects.toThrow(TypeError);
    await expect(createSandbox({ apiKey: 'snd_same', merchants: [{ apiKey: 'snd_same' }] })).rejects.toThrow(/unique/);
    await expect(createSandbox({ profileId: 'not a profile id' })).rejects.toThrow(/invalid profileId/);
  });

  it('close() is idempotent', async () => {
    const sb = await createSandbox();
    await Promise.all([sb.close(), sb.close()]);
    await sb.close();
  });
});
