import { Body, Controller, Delete, Get, type INestApplication, Module, Param, Post, Query } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import type { Customer, CustomerCreateParams } from '@paymnt/client';
import { CustomersService, PaymntExceptionFilter, PaymntModule } from '@paymnt/nestjs';
import { createPaymntTestingSandbox, type PaymntTestingSandbox } from '@paymnt/nestjs/testing';
import { ADAPTERS, startApp } from './support/apps';

/** A shop's customer routes: a thin controller over CustomersService, client errors answered by PaymntExceptionFilter. */
@Controller('shop/customers')
class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Post()
  create(@Body() body: CustomerCreateParams): Promise<Customer> {
    return this.customers.create(body);
  }

  @Get()
  async list(@Query('limit') limit?: string): Promise<string[]> {
    const ids: string[] = [];
    for await (const customer of this.customers.list({ limit: limit === undefined ? undefined : Number(limit) })) ids.push(customer.customer_id);
    return ids;
  }

  @Get(':id')
  retrieve(@Param('id') id: string): Promise<Customer> {
    return this.customers.retrieve(id);
  }

  @Delete(':id')
  del(@Param('id') id: string): Promise<unknown> {
    return this.customers.del(id);
  }
}

describe.each(ADAPTERS)('CustomersService on %s, against the sandbox', (adapter) => {
  let paymnt: PaymntTestingSandbox;
  let app: INestApplication;
  let url: string;
  let customers: CustomersService;

  beforeAll(async () => {
    paymnt = await createPaymntTestingSandbox({ webhooksEnabled: false });
    @Module({
      imports: [EventEmitterModule.forRoot({ wildcard: true }), PaymntModule.forRoot(paymnt.moduleOptions())],
      controllers: [CustomersController],
      providers: [{ provide: APP_FILTER, useClass: PaymntExceptionFilter }],
    })
    class CustomersAppModule {}
    ({ app, url } = await startApp(CustomersAppModule, adapter));
    customers = app.get(CustomersService);
  });

  afterAll(async () => {
    await app?.close();
    await paymnt?.close();
  });

  const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('every operation through the injected service', async () => {
    const created = await customers.create({ customer_id: `cus_nest_${adapter}`, name: 'Jo Doe', email: 'jo@example.com' });
    expect(created).toMatchObject({ customer_id: `cus_nest_${adapter}`, name: 'Jo Doe', email: 'jo@example.com' });
    expect((await customers.retrieve(created.customer_id)).name).toBe('Jo Doe');
    expect((await customers.update(created.customer_id, { name: 'Jo D.' })).name).toBe('Jo D.');
    expect((await customers.listPaymentMethods(created.customer_id)).customer_payment_methods).toEqual([]);
    const page = await customers.list({ limit: 100 });
    expect(page.data.map((c) => c.customer_id)).toContain(created.customer_id);
    expect((await customers.del(created.customer_id)).customer_deleted).toBe(true);
    expect(JSON.stringify(customers)).not.toContain(paymnt.sandbox.apiKey);
  });

  it('an app route creates, lists (every page), retrieves and deletes customers', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${url}/shop/customers`, json({ name: `Buyer ${i}`, email: `buyer${i}@example.com` }));
      expect(res.status).toBe(201);
      ids.push(((await res.json()) as Customer).customer_id);
    }
    const listed = (await (await fetch(`${url}/shop/customers?limit=2`)).json()) as string[];
    expect(listed).toEqual(expect.arrayContaining(ids));
    expect(new Set(listed).size).toBe(listed.length);

    const got = await fetch(`${url}/shop/customers/${ids[0]}`);
    expect(got.status).toBe(200);
    expect(await got.json()).toMatchObject({ customer_id: ids[0], name: 'Buyer 0' });

    const deleted = await fetch(`${url}/shop/customers/${ids[0]}`, { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toEqual({ customer_id: ids[0], customer_deleted: true, address_deleted: true, payment_methods_deleted: true });
  });

  it('PaymntExceptionFilter maps the errors: 404 unknown, 400 IR_11 after delete, 400 IR_12 duplicate, 400 naming a bad field', async () => {
    const notFound = await fetch(`${url}/shop/customers/cus_nobody`);
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toMatchObject({ statusCode: 404, code: 'HE_02', message: 'Customer does not exist in our records' });

    const gone = (await customers.create({})).customer_id;
    await customers.del(gone);
    const redacted = await fetch(`${url}/shop/customers/${gone}`);
    expect(redacted.status).toBe(400);
    expect(await redacted.json()).toMatchObject({ statusCode: 400, code: 'IR_11' });

    await customers.create({ customer_id: `cus_twice_${adapter}` });
    const dup = await fetch(`${url}/shop/customers`, json({ customer_id: `cus_twice_${adapter}` }));
    expect(dup.status).toBe(400);
    expect(await dup.json()).toMatchObject({ statusCode: 400, code: 'IR_12' });

    const badEmail = await fetch(`${url}/shop/customers`, json({ email: 'not-an-email' }));
    expect(badEmail.status).toBe(400);
    expect(await badEmail.json()).toMatchObject({ statusCode: 400, field: 'email' });

    const badId = await fetch(`${url}/shop/customers/${encodeURIComponent('bad id!')}`);
    expect(badId.status).toBe(400);
    expect(await badId.json()).toMatchObject({ statusCode: 400, field: 'customer_id' });
  });
});
