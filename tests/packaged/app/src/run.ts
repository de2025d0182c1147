// Boots the shop on one adapter against an in-process sandbox (the testing entry), pays an order, sends
// a signed webhook to the guarded route, and prints what happened as one JSON line. Exit 0 = it all held.
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { PaymntClient } from '@paymnt/client';
import { buildWebhookEvent, createPaymntTestingSandbox, sendSignedWebhook } from '@paymnt/nestjs/testing';
import { AppModule } from './app.module';
import { OrderEventsListener } from './order-events.listener';

async function post(url: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function main(adapter: string): Promise<void> {
  const paymnt = await createPaymntTestingSandbox();
  const env = paymnt.moduleOptions();
  process.env.PAYMNT_API_KEY = env.apiKey;
  process.env.PAYMNT_BASE_URL = env.baseUrl;
  process.env.PAYMNT_PROFILE_ID = env.profileId;
  process.env.PAYMNT_WEBHOOK_SECRET = paymnt.sandbox.webhookSecret;
  const options = { rawBody: true, logger: false as const, abortOnError: false };
  const app: INestApplication =
    adapter === 'fastify' ? await NestFactory.create(AppModule, new FastifyAdapter(), options) : await NestFactory.create(AppModule, options);
  try {
    await app.listen(0, '127.0.0.1');
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    paymnt.pointWebhooksAt(`${url}/webhooks/paymnt`);

    const paid = await post(`${url}/orders/pay`, { amount: 6540, card: '4242424242424242' });
    await paymnt.waitForWebhooksAcknowledged();
    const badRefund = await post(`${url}/orders/bad-refund`, {});

    const client = new PaymntClient({ apiKey: paymnt.sandbox.apiKey, baseUrl: paymnt.sandbox.url });
    const payment = await client.payments.retrieve(String(paid.json.payment_id));
    const event = buildWebhookEvent('payment_succeeded', payment);
    const guarded = await sendSignedWebhook(`${url}/own-webhooks/payments`, event, paymnt.sandbox.webhookSecret);
    const unsigned = await post(`${url}/own-webhooks/payments`, event);

    const nest = JSON.parse(readFileSync(require.resolve('@nestjs/common/package.json'), 'utf8')) as { version: string };
    console.log(
      JSON.stringify({
        adapter,
        nest: nest.version,
        paid: paid.json,
        handled: app.get(OrderEventsListener).succeeded,
        badRefund: badRefund.json,
        guardedStatus: guarded.status,
        unsignedStatus: unsigned.status,
      }),
    );
  } finally {
    await app.close();
    await paymnt.close();
  }
}

main(process.argv[2] ?? 'express').catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
