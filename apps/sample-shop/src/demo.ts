import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { newToken } from './auth/tokens';
import { createShopApp } from './create-shop-app';
import { ExpectationError, MERCHANT_SCENARIOS, SCENARIOS, sandboxEvents, type DemoContext } from './demo/scenarios';
import { ShopApi } from './demo/shop-api';
import { Timeline } from './demo/timeline';
import { type LocalShop, startLocalShop } from './local/local-shop';
import type { OrderView } from './orders/order';

/**
 * `npm run demo`: the whole payment life cycle over HTTP against the shop, with the embedded
 * sandbox (no key, no network). With PAYMNT_API_KEY and PAYMNT_BASE_URL set, it runs against the
 * real Paymnt API instead, without the steps that need the embedded sandbox.
 * Exits 0 only if every step ended as expected.
 */

/** `money(6540, 'USD')` → `65.40 USD`, with the currency's own number of decimals. */
function money(minor: number, currency: string): string {
  const digits = new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  const format = new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return `${format.format(minor / 10 ** digits)} ${currency}`;
}

function printLedger(timeline: Timeline, orders: OrderView[], labels: Map<string, string>): void {
  const rows = [...orders].reverse().map((o) => [
    o.id,
    labels.get(o.id) ?? '',
    o.status,
    money(o.amount, o.currency),
    money(o.capturedAmount, o.currency),
    money(o.refundedAmount, o.currency),
    money(o.chargedBackAmount, o.currency),
    String(o.history.length),
  ]);
  const header = ['Order', 'Scenario', 'Status', 'Total', 'Captured', 'Refunded', 'Charged back', 'Events'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const format = (cells: string[]): string => cells.map((c, i) => (i >= 3 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  timeline.print();
  timeline.print('Ledger');
  timeline.print(format(header));
  timeline.print(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const row of rows) timeline.print(format(row));
  const currency = orders[0]?.currency ?? 'USD';
  const sum = (pick: (o: OrderView) => number): string => money(orders.reduce((s, o) => s + pick(o), 0), currency);
  timeline.print(
    `Captured ${sum((o) => o.capturedAmount)}, refunded ${sum((o) => o.refundedAmount)}, charged back ${sum((o) => o.chargedBackAmount)}, ` +
      `kept ${sum((o) => o.capturedAmount - o.refundedAmount - o.chargedBackAmount)}.`,
  );
}

async function startAgainstRealApi(timeline: Timeline): Promise<{ shopUrl: string; adminToken: string; close(): Promise<void> }> {
  const secret = process.env.PAYMNT_WEBHOOK_SECRET;
  // The demo acts as the merchant too; without SHOP_ADMIN_TOKEN it makes one up for this run (never printed).
  const adminToken = process.env.SHOP_ADMIN_TOKEN || newToken();
  const app: INestApplication = await createShopApp({
    logger: timeline,
    // Without the profile's key the shop still runs; webhooks (if any reach it) are then refused.
    settings: {
      PAYMNT_API_KEY: process.env.PAYMNT_API_KEY,
      PAYMNT_PUBLISHABLE_KEY: process.env.PAYMNT_PUBLISHABLE_KEY,
      PAYMNT_BASE_URL: process.env.PAYMNT_BASE_URL,
      PAYMNT_PROFILE_ID: process.env.PAYMNT_PROFILE_ID,
      PAYMNT_WEBHOOK_SECRET: secret || randomBytes(32).toString('hex'),
      SHOP_ADMIN_TOKEN: adminToken,
      SHOP_PUBLIC_URL: process.env.SHOP_PUBLIC_URL,
    },
  });
  await app.listen(0, '127.0.0.1');
  timeline.print(`Against the Paymnt API at ${process.env.PAYMNT_BASE_URL} (PAYMNT_API_KEY set).`);
  timeline.print(
    process.env.SHOP_PUBLIC_URL
      ? `Webhooks reach the shop only if your profile's webhook URL is ${process.env.SHOP_PUBLIC_URL}/webhooks/payments.`
      : 'Webhooks cannot reach this machine: order states come from the API answers (POST /orders/:id/sync pulls them).',
  );
  if (!secret) timeline.print('PAYMNT_WEBHOOK_SECRET is not set: the shop refuses webhooks (401).');
  timeline.print('The 3DS, duplicate-webhook and chargeback steps need the embedded sandbox and are skipped.');
  return { shopUrl: (await app.getUrl()).replace(/\/+$/, ''), adminToken, close: () => app.close() };
}

async function main(): Promise<number> {
  const timeline = new Timeline();
  const againstRealApi = Boolean(process.env.PAYMNT_API_KEY && process.env.PAYMNT_BASE_URL);
  timeline.print('Paymnt sample shop: the payment life cycle, saved cards, renewals and chargebacks, end to end.');
  let local: LocalShop | undefined;
  let stack: { shopUrl: string; adminToken: string; close(): Promise<void> };
  if (againstRealApi) {
    stack = await startAgainstRealApi(timeline);
  } else {
    local = await startLocalShop({ logger: timeline });
    stack = local;
    timeline.print(`Embedded sandbox ${local.sandbox.url}, shop ${local.shopUrl}, webhooks → ${local.shopUrl}/webhooks/payments`);
  }
  timeline.print('Lanes: shop = the demo calling the shop; api = the shop calling Paymnt; webhook = received and verified; event = order handler.');

  const ctx: DemoContext = { shop: new ShopApi(stack.shopUrl, timeline, stack.adminToken), timeline, sandbox: local?.sandbox, labels: new Map() };
  const results: { title: string; outcome: 'passed' | 'failed' | 'skipped'; detail?: string }[] = [];
  try {
    for (const scenario of [...SCENARIOS, ...MERCHANT_SCENARIOS]) {
      timeline.add('step', scenario.title);
      if (scenario.sandboxOnly && local === undefined) {
        timeline.add('note', 'skipped: needs the embedded sandbox');
        results.push({ title: scenario.title, outcome: 'skipped' });
        continue;
      }
      try {
        await scenario.run(ctx);
        results.push({ title: scenario.title, outcome: 'passed' });
      } catch (error) {
        const detail = error instanceof ExpectationError ? error.message : String((error as Error)?.stack ?? error);
        timeline.add('error', `NOT AS EXPECTED: ${detail}`);
        results.push({ title: scenario.title, outcome: 'failed', detail });
      }
    }

    let webhooksOk = true;
    if (local !== undefined) {
      await local.sandbox.waitForWebhooks();
      const events = await sandboxEvents(local.sandbox);
      const delivered = events.filter((e) => e.is_delivery_successful === true).length;
      const received = timeline.find('webhook', 'verified').length;
      webhooksOk = delivered === events.length && received >= events.length;
      timeline.print();
      timeline.print(
        `Webhooks: the sandbox sent ${events.length} events, ${delivered} delivered (2xx); the shop verified ${received} deliveries (resends included).`,
      );
    }

    printLedger(timeline, await ctx.shop.orders(), ctx.labels);
    timeline.print();
    for (const r of results) timeline.print(`${r.outcome === 'passed' ? '✓' : r.outcome === 'skipped' ? '-' : '✗'} ${r.title}${r.detail ? `: ${r.detail}` : ''}`);
    const failed = results.filter((r) => r.outcome === 'failed').length;
    if (!webhooksOk) timeline.print('✗ Some webhooks were not delivered or not verified.');
    const ok = failed === 0 && webhooksOk;
    timeline.print(ok ? `\nEvery step ended as expected (${(performance.now() / 1000).toFixed(1)} s).` : `\n${failed} scenario(s) did not end as expected.`);
    return ok ? 0 : 1;
  } finally {
    await stack.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
