import { PaymntClient, PaymntInvalidRequestError, PaymntNotFoundError, PaymntValidationError, type Customer } from '@paymnt/client';
import { rejection, useSandboxClient } from './support/sandbox-client';
import { createSandbox } from '@paymnt/sandbox';

describe('client.customers against the real @paymnt/sandbox', () => {
  const t = useSandboxClient();

  it('create → retrieve → update → listPaymentMethods → del', async () => {
    const created = await t.client.customers.create({
      name: 'Jo Doe',
      email: 'jo@example.com',
      phone: '9123456789',
      phone_country_code: '+65',
      address: { line1: '1 Main St', city: 'Paris', country: 'FR' },
      metadata: { crm: 'C-1' },
    });
    expect(created.customer_id).toMatch(/^cus_[A-Za-z0-9]{20}$/);
    expect(created.lastResponse.statusCode).toBe(200);
    expect(created.lastResponse.idempotencyKey).toEqual(expect.any(String));
    expect(created.address).toMatchObject({ line1: '1 Main St', city: 'Paris', country: 'FR' });

    const got = await t.client.customers.retrieve(created.customer_id);
    expect({ ...got }).toEqual({ ...created });

    const updated = await t.client.customers.update(created.customer_id, { email: 'jo.doe@example.com', metadata: { crm: 'C-2' } });
    expect(updated).toMatchObject({ customer_id: created.customer_id, name: 'Jo Doe', email: 'jo.doe@example.com', metadata: { crm: 'C-2' } });

    const methods = await t.client.customers.listPaymentMethods(created.customer_id);
    expect(methods.customer_payment_methods).toEqual([]);

    const deleted = await t.client.customers.del(created.customer_id);
    expect({ ...deleted }).toEqual({ customer_id: created.customer_id, customer_deleted: true, address_deleted: true, payment_methods_deleted: true });
    const after = await rejection(t.client.customers.retrieve(created.customer_id));
    expect(after).toBeInstanceOf(PaymntInvalidRequestError);
    expect(after).toMatchObject({ statusCode: 400, code: 'IR_11', message: 'Customer has already been redacted' });
  });

  it('API errors: a taken customer_id (IR_12) and an unknown one (HE_02)', async () => {
    await t.client.customers.create({ customer_id: 'cus_client_dup' });
    const dup = await rejection(t.client.customers.create({ customer_id: 'cus_client_dup' }));
    expect(dup).toBeInstanceOf(PaymntInvalidRequestError);
    expect(dup).toMatchObject({ statusCode: 400, code: 'IR_12' });
    for (const call of [
      () => t.client.customers.retrieve('cus_nobody'),
      () => t.client.customers.update('cus_nobody', { name: 'x' }),
      () => t.client.customers.del('cus_nobody'),
      () => t.client.customers.listPaymentMethods('cus_nobody'),
    ]) {
      const error = await rejection(call());
      expect(error).toBeInstanceOf(PaymntNotFoundError);
      expect(error).toMatchObject({ statusCode: 404, code: 'HE_02', message: 'Customer does not exist in our records' });
    }
  });

  it('an Idempotency-Key replays the create', async () => {
    const a = await t.client.customers.create({ name: 'Once' }, { idempotencyKey: 'customer-once' });
    const b = await t.client.customers.create({ name: 'Once' }, { idempotencyKey: 'customer-once' });
    expect(b.customer_id).toBe(a.customer_id);
    expect(b.lastResponse.idempotentReplayed).toBe(true);
  });

  it('list: pages by offset over several pages, every customer once, oldest first', async () => {
    const own = await createSandbox({ webhooksEnabled: false });
    const c = new PaymntClient({ apiKey: own.apiKey, baseUrl: own.url });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) ids.push((await c.customers.create({ customer_id: `cus_page_${i}` })).customer_id);

      const first = await c.customers.list({ limit: 3 });
      expect(first.data.map((x) => x.customer_id)).toEqual(ids.slice(0, 3));
      expect(first.hasMore).toBe(true);
      expect(first.lastResponse.statusCode).toBe(200);

      const pages: string[][] = [];
      for await (const page of c.customers.list({ limit: 3 }).pages()) pages.push(page.data.map((x) => x.customer_id));
      expect(pages).toEqual([ids.slice(0, 3), ids.slice(3, 6), ids.slice(6)]);

      const all: Customer[] = [];
      for await (const customer of c.customers.list({ limit: 2, offset: 1 })) all.push(customer);
      expect(all.map((x) => x.customer_id)).toEqual(ids.slice(1));

      expect((await c.customers.list().toArray({ limit: 100 })).map((x) => x.customer_id)).toEqual(ids);
    } finally {
      await c.close();
      await own.close();
    }
  });

  describe('local validation: thrown before any request', () => {
    const cases: [string, string, () => Promise<unknown>][] = [
      ['create: params not an object', 'params', () => t.client.customers.create('x' as never)],
      ['create: customer_id with a slash', 'customer_id', () => t.client.customers.create({ customer_id: '../x' })],
      ['create: customer_id too long', 'customer_id', () => t.client.customers.create({ customer_id: 'c'.repeat(65) })],
      ['create: email without domain', 'email', () => t.client.customers.create({ email: 'jo@' })],
      ['create: email without a dot in the domain', 'email', () => t.client.customers.create({ email: 'jo@example' })],
      ['create: name too long', 'name', () => t.client.customers.create({ name: 'n'.repeat(256) })],
      ['create: description not a string', 'description', () => t.client.customers.create({ description: 5 as never })],
      ['create: address not an object', 'address', () => t.client.customers.create({ address: 'Paris' as never })],
      ['create: address line too long', 'address.line1', () => t.client.customers.create({ address: { line1: 'l'.repeat(256) } })],
      ['create: metadata an array', 'metadata', () => t.client.customers.create({ metadata: [] as never })],
      ['retrieve: id with a slash', 'customer_id', () => t.client.customers.retrieve('a/b')],
      ['retrieve: empty id', 'customer_id', () => t.client.customers.retrieve('')],
      ['update: missing params', 'params', () => t.client.customers.update('cus_x', undefined as never)],
      ['update: customer_id in the body', 'customer_id', () => t.client.customers.update('cus_x', { customer_id: 'cus_y' } as never)],
      ['update: bad email', 'email', () => t.client.customers.update('cus_x', { email: 'nope' })],
      ['del: id with a query', 'customer_id', () => t.client.customers.del('x?y=1')],
      ['listPaymentMethods: id with a space', 'customer_id', () => t.client.customers.listPaymentMethods('a b')],
      ['list: limit 0', 'limit', async () => t.client.customers.list({ limit: 0 })],
      ['list: limit above u16', 'limit', async () => t.client.customers.list({ limit: 65_536 })],
      ['list: negative offset', 'offset', async () => t.client.customers.list({ offset: -1 })],
      ['list: fractional offset', 'offset', async () => t.client.customers.list({ offset: 1.5 })],
    ];

    it.each(cases)('%s', async (_name, field, call) => {
      const before = t.requests;
      const error = await rejection(call());
      expect(error).toBeInstanceOf(PaymntValidationError);
      expect((error as PaymntValidationError).field).toBe(field);
      expect((error as Error).message).toContain(field);
      expect(t.requests).toBe(before);
    });

    it('accepts what the API accepts: null fields, an empty create, a plus-addressed email', async () => {
      await expect(t.client.customers.create({ name: null, email: null, address: null })).resolves.toMatchObject({ name: null });
      await expect(t.client.customers.create()).resolves.toMatchObject({ email: null });
      await expect(t.client.customers.create({ email: 'first.last+tag@sub.example.co.uk' })).resolves.toMatchObject({ email: 'first.last+tag@sub.example.co.uk' });
    });
  });
});
