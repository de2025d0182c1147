import type { INestApplication, LoggerService, LogLevel } from '@nestjs/common';
import { createSandbox, type Sandbox } from '@paymnt/sandbox';
import { newToken } from '../auth/tokens';
import { createShopApp } from '../create-shop-app';

export interface LocalShopOptions {
  /** The shop's port; 0 (default) picks a free one. */
  port?: number;
  /** The shop's Nest logger option. */
  logger?: LoggerService | LogLevel[] | false;
  /**
   * Scales the sandbox's webhook retry schedule (1 = Paymnt's: first retry after a minute).
   * @default 0.01 (a minute becomes 600 ms)
   */
  webhookRetryTimeScale?: number;
  /** The shop's admin token; a new random one when omitted. */
  adminToken?: string;
  /** The shop's HTTP platform. @default 'express' */
  adapter?: 'express' | 'fastify';
}

/** The embedded sandbox and the shop wired to it, both on 127.0.0.1. */
export interface LocalShop {
  app: INestApplication;
  sandbox: Sandbox;
  /** e.g. `http://127.0.0.1:41234`. */
  shopUrl: string;
  /** The shop's `SHOP_ADMIN_TOKEN`. */
  adminToken: string;
  close(): Promise<void>;
}

/**
 * Starts the embedded Paymnt sandbox, then the shop configured with the sandbox's keys (secret and
 * publishable), URL and webhook secret, and points the sandbox's webhooks at the shop's `/webhooks/payments`.
 * Nothing goes to the network. Used by `npm run demo`, `npm start` and the e2e tests.
 */
export async function startLocalShop(options: LocalShopOptions = {}): Promise<LocalShop> {
  const sandbox = await createSandbox({ port: 0, webhookRetryTimeScale: options.webhookRetryTimeScale ?? 0.01 });
  const adminToken = options.adminToken ?? newToken();
  let app: INestApplication | undefined;
  try {
    app = await createShopApp({
      logger: options.logger,
      adapter: options.adapter,
      settings: {
        PAYMNT_API_KEY: sandbox.apiKey,
        PAYMNT_PUBLISHABLE_KEY: sandbox.publishableKey,
        PAYMNT_BASE_URL: sandbox.url,
        PAYMNT_PROFILE_ID: sandbox.profileId,
        PAYMNT_WEBHOOK_SECRET: sandbox.webhookSecret,
        SHOP_ADMIN_TOKEN: adminToken,
      },
    });
    await app.listen(options.port ?? 0, '127.0.0.1');
    const shopUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1').replace(/\/+$/, '');
    sandbox.setWebhookUrl(`${shopUrl}/webhooks/payments`);
    const shop = app;
    return {
      app: shop,
      sandbox,
      shopUrl,
      adminToken,
      // The sandbox first: no webhook is sent to a shop that is closing.
      close: async () => {
        await sandbox.close();
        await shop.close();
      },
    };
  } catch (error) {
    await app?.close();
    await sandbox.close();
    throw error;
  }
}
