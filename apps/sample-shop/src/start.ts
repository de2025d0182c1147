import { TEST_CARDS } from './checkout/checkout.page';
import { Timeline } from './demo/timeline';
import { type LocalShop, startLocalShop } from './local/local-shop';
import { shopTelemetryFromEnvironment } from './telemetry/shop-telemetry';

/**
 * `npm start`: the embedded sandbox and the shop, up until Ctrl-C, for a person to click through
 * the checkout page. `PORT` picks the shop's port (default 3000, or a free one if it is taken);
 * `PAYMNT_SHOP_OTEL=console` prints the module's spans and metrics.
 */
async function start(timeline: Timeline): Promise<LocalShop> {
  const port = Number(process.env.PORT ?? 3000);
  const adminToken = process.env.SHOP_ADMIN_TOKEN || undefined;
  try {
    return await startLocalShop({ port, logger: timeline, adminToken });
  } catch (error) {
    if ((error as NodeJS.ErrnoException)?.code !== 'EADDRINUSE') throw error;
    timeline.print(`Port ${port} is taken; using a free one (set PORT to choose).`);
    return startLocalShop({ port: 0, logger: timeline, adminToken });
  }
}

async function main(): Promise<void> {
  const timeline = new Timeline();
  // Before the shop: the module creates its instruments on the SDK registered when it starts.
  const telemetry = shopTelemetryFromEnvironment(process.env.PAYMNT_SHOP_OTEL);
  const local = await start(timeline);
  timeline.print('Paymnt sample shop, on the embedded sandbox (nothing leaves this machine).');
  timeline.print();
  timeline.print(`  Checkout:    ${local.shopUrl}/`);
  timeline.print(`  Orders API:  ${local.shopUrl}/orders`);
  timeline.print(`  Sandbox:     ${local.sandbox.url} (webhooks → ${local.shopUrl}/webhooks/payments)`);
  // A person needs it for the order page's merchant actions; it only exists on this machine, for this run.
  timeline.print(
    process.env.SHOP_ADMIN_TOKEN
      ? '  Admin token: SHOP_ADMIN_TOKEN (for ship / cancel / refund on the order page)'
      : `  Admin token: ${local.adminToken} (made up for this run; set SHOP_ADMIN_TOKEN to choose it)`,
  );
  timeline.print();
  timeline.print('Test cards (any future expiry, any CVC):');
  for (const card of TEST_CARDS) timeline.print(`  ${card.number}  ${card.outcome}`);
  timeline.print();
  timeline.print('Press Ctrl-C to stop. What the shop does:');

  let stopping = false;
  const stop = (): void => {
    if (stopping) process.exit(1); // a second Ctrl-C does not wait
    stopping = true;
    timeline.print('\nStopping…');
    local
      .close()
      .then(() => telemetry?.shutdown())
      .then(
        () => timeline.print('Stopped.'),
        (error: unknown) => {
          console.error(error);
          process.exitCode = 1;
        },
      );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
