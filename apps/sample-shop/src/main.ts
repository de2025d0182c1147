import { Logger } from '@nestjs/common';
import { createShopApp } from './create-shop-app';

/**
 * The shop on its own, configured by the environment (see README: "Against the real Paymnt
 * sandbox"):
 * `PAYMNT_API_KEY=… PAYMNT_WEBHOOK_SECRET=… SHOP_ADMIN_TOKEN=… PORT=3000 node apps/sample-shop/dist/main.js`.
 */
async function main(): Promise<void> {
  const app = await createShopApp();
  app.enableShutdownHooks();
  await app.listen(Number(process.env.PORT ?? 3000));
  Logger.log(`Shop listening on ${await app.getUrl()}`, 'Shop');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
