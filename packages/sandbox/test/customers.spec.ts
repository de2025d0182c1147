import { createSandbox, type Sandbox } from '../src';
import { call, createPayment, get, post } from './helpers';

const del = (sb: Sandbox, path: string, apiKey?: string) => call(sb, 'DELETE', path, undefined, apiKey ? { apiKey } : {});

describe('customers', () => {
  let sb: Sandbox;
  let otherKey = '';
  beforeAll(async () => {
    sb = await createSandbox({ merchants: [{ apiKey: 'snd_customers_main' }, { apiKey: 'snd_customers_other' }] });
    otherKey = sb.merchants[1]?.apiKey as string;
  });
  afterAll(() => sb.close());

  it('create: a generated cus_ id, every field echoed in CustomerResponse order', async () => {
    const res = await post(sb, '/customers', {
      name: 'Jo Doe',
      email: 'jo@example.com',
      phone: '9123456789',
      phone_country_code: '+65',
      description: 'First customer',
      address: { line1: '1 Main St', city: 'Paris', zip: '75001', country: 'FR', first_name: 'Jo' },
      metadata: { tier: 'gold' },
    });
    expect(res.status).toBe(200);
    const c = res.json;
    expect(c.customer_id).toMatch(/^cus_[A-Za-z0-9]{20}$/);
    expect(Object.keys(c)).toEqual([
      'customer_id',
      'name',
      'email',
      'phone',
      'phone_country_code',
      'description',
      'address',
      'created_at',
      'metadata',
      'default_payment_method_id',
      'tax_registration_id',
      'document_details',
    ]);
    expect(c).toMatchObject({ name: 'Jo Doe', email: 'jo@example.com', phone: '9123456789', phone_country_code: '+65', description: 'First customer' });
    expect(c.address).toEqual({
      city: 'Paris',
      country: 'FR',
      line1: '1 Main St',
      line2: null,
      line3: null,
      zip: '75001',
      state: null,
      first_name: 'Jo',
      last_name: null,
      origin_zip: null,
    });
    expect(c.metadata).toEqual({ tier: 'gold' });
    expect(c.default_payment_method_id).toBeNull();
    expect(c.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

    const bare = await post(sb, '/customers', {});
    expect(bare.status).toBe(200);
    expect(bare.json).toMatchObject({ name: null, email: null, phone: null, description: null, address: null, metadata: null });
  });

  it('create with a merchant id; a taken id is refused with IR_12, and another merchant may use it', async () => {
    const first = await post(sb, '/customers', { customer_id: 'cus_dup', name: 'A' });
    expect(first.status).toBe(200);
    expect(first.json.customer_id).toBe('cus_dup');
    const dup = await post(sb, '/customers', { customer_id: 'cus_dup', name: 'B' });
    expect(dup.status).toBe(400);
    expect(dup.json.error).toEqual({ type: 'invalid_request', message: 'Customer with the given `customer_id` already exists', code: 'IR_12' });
    const other = await post(sb, '/customers', { customer_id: 'cus_dup', name: 'Other merchant' }, { apiKey: otherKey });
    expect(other.status).toBe(200);
    expect((await get(sb, '/customers/cus_dup')).json.name).toBe('A');
  });

  it('retrieve, and 404 HE_02 for an unknown id or another merchant\'s customer', async () => {
    const c = (await post(sb, '/customers', { customer_id: 'cus_mine', email: 'me@example.com' })).json;
    const got = await get(sb, '/customers/cus_mine');
    expect(got.status).toBe(200);
    expect(got.json).toEqual(c);
    const notFound = { type: 'invalid_request', message: 'Customer does not exist in our records', code: 'HE_02' };
    const missing = await get(sb, '/customers/cus_missing');
    expect(missing.status).toBe(404);
    expect(missing.json.error).toEqual(notFound);
    for (const res of [
      await get(sb, '/customers/cus_mine', { apiKey: otherKey }),
      await post(sb, '/customers/cus_mine', { name: 'x' }, { apiKey: otherKey }),
      await del(sb, '/customers/cus_mine', otherKey),
      await get(sb, '/customers/cus_mine/payment_methods', { apiKey: otherKey }),
    ]) {
      expect(res.status).toBe(404);
      expect(res.json.error).toEqual(notFound);
    }
    expect((await post(sb, '/customers/cus_missing', { name: 'x' })).status).toBe(404);
    expect((await del(sb, '/customers/cus_missing')).status).toBe(404);
  });

  it('update changes only the fields given (null keeps the value), address fields merge', async () => {
    await post(sb, '/customers', {
      customer_id: 'cus_upd',
      name: 'Before',
      email: 'before@example.com',
      phone: '111',
      address: { line1: 'Old St', city: 'Lyon' },
      metadata: { a: 1 },
    });
    const res = await post(sb, '/customers/cus_upd', { name: 'After', phone: null, address: { line1: 'New St' }, metadata: { b: 2 } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ customer_id: 'cus_upd', name: 'After', email: 'before@example.com', phone: '111', metadata: { b: 2 } });
    expect(res.json.address).toMatchObject({ line1: 'New St', city: 'Lyon' });
    expect((await get(sb, '/customers/cus_upd')).json).toEqual(res.json);
  });

  it('delete redacts the customer: IR_11 afterwards, the id stays taken, the list shows "Redacted"', async () => {
    await post(sb, '/customers', { customer_id: 'cus_gone', name: 'Jo', email: 'jo@example.com', phone: '1', description: 'd', metadata: { k: 'v' } });
    const res = await del(sb, '/customers/cus_gone');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ customer_id: 'cus_gone', customer_deleted: true, address_deleted: true, payment_methods_deleted: true });
    const redacted = { type: 'invalid_request', message: 'Customer has already been redacted', code: 'IR_11' };
    for (const again of [
      await get(sb, '/customers/cus_gone'),
      await post(sb, '/customers/cus_gone', { name: 'x' }),
      await del(sb, '/customers/cus_gone'),
      await post(sb, '/customers', { customer_id: 'cus_gone' }),
    ]) {
      expect(again.status).toBe(400);
      expect(again.json.error).toEqual(redacted);
    }
    const listed = (await get(sb, '/customers/list?customer_id=cus_gone')).json;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      customer_id: 'cus_gone',
      name: 'Redacted',
      email: 'Redacted',
      phone: 'Redacted',
      phone_country_code: 'Redacted',
      description: 'Redacted',
      metadata: { k: 'v' },
    });
    expect((await get(sb, '/customers/cus_gone/payment_methods')).status).toBe(404);
  });

  it('payment methods of a customer: an empty list until cards are saved', async () => {
    await post(sb, '/customers', { customer_id: 'cus_pm' });
    const res = await get(sb, '/customers/cus_pm/payment_methods');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ customer_payment_methods: [], is_guest_customer: null });
    expect((await get(sb, '/customers/cus_nobody/payment_methods')).status).toBe(404);
  });

  it('a payment may name an existing customer', async () => {
    await post(sb, '/customers', { customer_id: 'cus_payer' });
    const p = await createPayment(sb, { customer_id: 'cus_payer' });
    expect(p.customer_id).toBe('cus_payer');
  });

  it('validation: serde messages for bad ids, emails, types and unknown fields', async () => {
    const cases: Array<[unknown, string]> = [
      [{ email: 'not-an-email' }, 'Json deserialize error: Invalid email address format at line 1 column 23'],
      [{ email: 'a@b' }, 'Json deserialize error: Invalid email address format at line 1 column 14'],
      [{ customer_id: 'a/b' }, 'Json deserialize error: value `a/b` contains invalid character `/` at line 1 column 20'],
      [{ customer_id: 'x'.repeat(65) }, `Json deserialize error: the maximum allowed length for this field is 64 at line 1 column 82`],
      [{ name: 42 }, 'Json deserialize error: invalid type: integer `42`, expected a string at line 1 column 10'],
      [{ address: { country: 'XX' } }, expect.stringContaining('Json deserialize error: unknown variant `XX`') as unknown as string],
      [{ nickname: 'Jo' }, expect.stringMatching(/^Json deserialize error: unknown field `nickname`, expected one of `customer_id`, `name`, .* at line 1 column 11$/) as unknown as string],
    ];
    for (const [body, message] of cases) {
      const res = await post(sb, '/customers', body);
      expect(res.status).toBe(400);
      expect(res.json.error).toEqual({ error_type: 'invalid_request', message, code: 'IR_06' });
    }
    await post(sb, '/customers', { customer_id: 'cus_val' });
    const unknownOnUpdate = await post(sb, '/customers/cus_val', { customer_id: 'cus_other' });
    expect(unknownOnUpdate.status).toBe(400);
    expect(unknownOnUpdate.json.error.message).toMatch(/^Json deserialize error: unknown field `customer_id`, expected one of `name`, /);
    const badEmail = await post(sb, '/customers/cus_val', { email: 'nope' });
    expect(badEmail.status).toBe(400);
    expect(badEmail.json.error.message).toBe('Json deserialize error: Invalid email address format at line 1 column 15');
    const noContentType = await call(sb, 'POST', '/customers', undefined, { raw: '{}', noContentType: true });
    expect(noContentType.status).toBe(400);
    expect(noContentType.json.error).toEqual({ error_type: 'invalid_request', message: 'Content type error', code: 'IR_06' });
  });

  it('auth: 401 without a key or with the publishable key', async () => {
    expect((await get(sb, '/customers/list', { apiKey: null })).status).toBe(401);
    const pk = await post(sb, '/customers', {}, { apiKey: sb.publishableKey });
    expect(pk.status).toBe(401);
    expect(pk.json.error.code).toBe('IR_01');
  });

  it('the Idempotency-Key replays a create', async () => {
    const headers = { 'idempotency-key': 'create-cus-idem' };
    const a = await post(sb, '/customers', { name: 'Idem' }, { headers });
    const b = await post(sb, '/customers', { name: 'Idem' }, { headers });
    expect(b.json).toEqual(a.json);
    expect(b.headers['idempotent-replayed']).toBe('true');
  });
});

describe('GET /customers/list', () => {
  let sb: Sandbox;
  const ids: string[] = [];
  beforeAll(async () => {
    sb = await createSandbox({ merchants: [{ apiKey: 'snd_customer_list' }, { apiKey: 'snd_customer_list_other' }] });
    for (let i = 1; i <= 5; i++) ids.push((await post(sb, '/customers', { customer_id: `cus_list_${i}`, name: `C${i}` })).json.customer_id);
    await post(sb, '/customers', { customer_id: 'cus_elsewhere' }, { apiKey: sb.merchants[1]?.apiKey as string });
  });
  afterAll(() => sb.close());

  it('oldest first, offset paging, only the merchant\'s customers, address always null', async () => {
    const all = await get(sb, '/customers/list');
    expect(all.status).toBe(200);
    expect(all.json.map((c: any) => c.customer_id)).toEqual(ids);
    expect(all.json.every((c: any) => c.address === null)).toBe(true);
    const page2 = await get(sb, '/customers/list?limit=2&offset=2');
    expect(page2.json.map((c: any) => c.customer_id)).toEqual(ids.slice(2, 4));
    expect((await get(sb, '/customers/list?limit=2&offset=4')).json.map((c: any) => c.customer_id)).toEqual(ids.slice(4));
    expect((await get(sb, '/customers/list?offset=10')).json).toEqual([]);
    expect((await get(sb, '/customers/list?limit=0')).json).toEqual([]);
    expect((await get(sb, '/customers/list?customer_id=cus_list_3')).json.map((c: any) => c.customer_id)).toEqual(['cus_list_3']);
  });

  it('refuses query values that are not u16 / u32 with actix\'s plain-text 400', async () => {
    const cases: Array<[string, string]> = [
      ['limit=-1', 'Query deserialize error: invalid digit found in string'],
      ['limit=abc', 'Query deserialize error: invalid digit found in string'],
      ['limit=65536', 'Query deserialize error: number too large to fit in target type'],
      ['offset=4294967296', 'Query deserialize error: number too large to fit in target type'],
    ];
    for (const [query, message] of cases) {
      const res = await get(sb, `/customers/list?${query}`);
      expect(res.status).toBe(400);
      expect(res.text).toBe(message);
    }
  });
});
