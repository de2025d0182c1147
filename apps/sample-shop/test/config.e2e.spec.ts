import { randomBytes } from 'node:crypto';
import { createSandbox, type Sandbox } from '@paymnt/sandbox';
import { createShopApp } from '../src/create-shop-app';
import { CARDS, MUG } from './support/test-shop';

/** The shop's configuration: validated at startup, from the environment or from settings passed in. */
describe('sample shop: configuration', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await createSandbox({ port: 0 });
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  it('refuses to start with a missing or malformed setting, naming it and never echoing the key', async () => {
    const start = createShopApp({
      logger: false,
      settings: { PAYMNT_API_KEY: 'snd_do_not_echo_me', PAYMNT_BASE_URL: 'not a url', PAYMNT_ENVIRONMENT: 'staging' },
    });
    await expect(start).rejects.toThrow(/PAYMNT_WEBHOOK_SECRET/);
    const message = await start.catch((error: Error) => error.message);
    expect(message).toMatch(/PAYMNT_BASE_URL: PAYMNT_BASE_URL must be a URL address/);
    expect(message).toMatch(/PAYMNT_ENVIRONMENT/);
    expect(message).toMatch(/SHOP_ADMIN_TOKEN: .*must be at least 32 characters/);
    expect(message).not.toContain('snd_do_not_echo_me');
  });

  it('refuses an admin token shorter than 32 characters, without echoing it', async () => {
    const start = createShopApp({
      logger: false,
      settings: { PAYMNT_API_KEY: sandbox.apiKey, PAYMNT_WEBHOOK_SECRET: sandbox.webhookSecret, SHOP_ADMIN_TOKEN: 'short-admin-secret' },
    });
    const message = await start.then(
      async (app) => {
        await app.close();
        return 'started';
      },
      (error: Error) => error.message,
    );
    expect(message).toMatch(/SHOP_ADMIN_TOKEN: SHOP_ADMIN_TOKEN must be at least 32 characters/);
    expect(message).not.toContain('short-admin-secret');
  });

  it('reads process.env when no settings are passed (AppModule.forRoot())', async () => {
    const keys = ['PAYMNT_API_KEY', 'PAYMNT_BASE_URL', 'PAYMNT_WEBHOOK_SECRET', 'PAYMNT_PROFILE_ID', 'SHOP_ADMIN_TOKEN', 'SHOP_PUBLIC_URL', 'PAYMNT_ENVIRONMENT'];
    const adminToken = randomBytes(32).toString('base64url');
    const saved = Object.fromEntries(keys.map((key) => [key, process.env[key]]));
    for (const key of keys) delete process.env[key];
    Object.assign(process.env, {
      PAYMNT_API_KEY: sandbox.apiKey,
      PAYMNT_BASE_URL: sandbox.url,
      PAYMNT_WEBHOOK_SECRET: sandbox.webhookSecret,
      SHOP_ADMIN_TOKEN: adminToken,
    });
    const app = await createShopApp({ logger: false });
    try {
      await app.listen(0, '127.0.0.1');
      const url = await app.getUrl();
      const response = await fetch(`${url}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ amount: 1250, currency: 'USD', items: [MUG] }),
      });
      expect(response.status).toBe(201);
      const order = (await response.json()) as { id: string; accessToken: string };
      const paid = await fetch(`${url}/orders/${order.id}/pay`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${order.accessToken}` },
        body: JSON.stringify({ card: CARDS.success }),
      });
      const { order: view } = (await paid.json()) as { order: { paymentId: string } };
      expect(sandbox.state.getPayment(view.paymentId)?.amount).toBe(1250);
      // The admin token is the one read from process.env.
      expect((await fetch(`${url}/orders`, { headers: { authorization: `Bearer ${adminToken}` } })).status).toBe(200);
    } finally {
      await app.close();
      for (const key of keys) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
    }
  });
});
