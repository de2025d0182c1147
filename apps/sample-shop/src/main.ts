import { Logger } from '@nestjs/common';
import { createShopApp } from './create-shop-app';
import { shopTelemetryFromEnvironment } from './telemetry/shop-telemetry';

/**
 * The shop on its own, configured by the environment (see README: "Against the real Paymnt
 * sandbox"):
 * `PAYMNT_API_KEY=… PAYMNT_PUBLISHABLE_KEY=… PAYMNT_WEBHOOK_SECRET=… SHOP_ADMIN_TOKEN=… PORT=3000 node apps/sample-shop/dist/main.js`.
 * `PAYMNT_SHOP_OTEL=console` prints the module's spans and metrics.
 */
async function main(): Promise<void> {
  // Before the app: the module creates its instruments on the SDK registered when it starts.
  const telemetry = shopTelemetryFromEnvironment(process.env.PAYMNT_SHOP_OTEL);
  const app = await createShopApp();
  // On SIGINT / SIGTERM: the app's shutdown hooks, then the last metrics flushed.
  const stop = (): void => {
    app
      .close()
      .then(() => telemetry?.shutdown())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await app.listen(Number(process.env.PORT ?? 3000));
  Logger.log(`Shop listening on ${await app.getUrl()}`, 'Shop');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
