import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { ConsoleLogger, type INestApplication, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import {
  CustomersService,
  PAYMNT_CLIENT,
  PAYMNT_OPTIONS,
  PaymentsService,
  PaymntEventPublisher,
  PaymntIntakeService,
  PaymntModule,
  PaymntReconciliationService,
  PaymntWebhookProcessor,
  RefundsService,
  type ResolvedPaymntOptions,
} from '@paymnt/nestjs';
import { ADAPTERS, startApp } from './support/apps';

const API_KEY = 'snd_SecretKey_never_printed_0123456789';
const SECRETS = ['whsec_current_never_printed_abcdef', 'whsec_previous_never_printed_fedcba'];
const REDIS_PASSWORD = 'redis_password_never_printed';

/** What Nest's ConsoleLogger writes for `value`, in text and JSON mode, at every level used for objects. */
function loggedBy(value: unknown): string {
  const written: string[] = [];
  const original = process.stdout.write;
  const originalErr = process.stderr.write;
  const capture = (chunk: unknown): boolean => {
    written.push(String(chunk));
    return true;
  };
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
  try {
    for (const json of [false, true]) {
      const logger = new ConsoleLogger('SecretsTest', { json, colors: false });
      logger.log(value);
      logger.warn(value);
      logger.error(value);
    }
  } finally {
    process.stdout.write = original;
    process.stderr.write = originalErr;
  }
  return written.join('');
}

/** Every way a value is commonly printed: util.inspect (shallow and deep, hidden properties too), JSON.stringify, String, Nest's logger. */
function renderings(value: unknown): string[] {
  return [
    inspect(value),
    inspect(value, { depth: 10, showHidden: true }),
    inspect(value, { depth: Infinity }),
    JSON.stringify(value) ?? '',
    String(value),
    value instanceof Error ? (value.stack ?? '') : '',
    loggedBy(value),
  ];
}

function expectNoSecret(name: string, value: unknown): void {
  for (const text of renderings(value)) {
    for (const secret of [API_KEY, ...SECRETS, REDIS_PASSWORD]) {
      if (text.includes(secret)) throw new Error(`${name} printed a secret: ${text.slice(0, 300)}`);
    }
  }
}

describe.each(ADAPTERS)('secrets never printed, on %s', (adapter) => {
  let app: INestApplication;
  let echo: Server;
  let echoUrl: string;

  beforeAll(async () => {
    // An API that echoes the request's key back, in a header and JSON-escaped in the error body.
    echo = createServer((req, res) => {
      const key = String(req.headers['api-key']);
      res.writeHead(401, { 'content-type': 'application/json', 'x-echo': key });
      res.end(JSON.stringify({ error: { type: 'invalid_request', code: 'IR_01', message: `Invalid key KEY` } }).replace('KEY', key.replace(/_/g, '\\u005f')));
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
    @Module({
      imports: [
        EventEmitterModule.forRoot(),
        PaymntModule.forRoot({
          apiKey: API_KEY,
          baseUrl: echoUrl,
          maxRetries: 0,
          webhook: {
            secret: SECRETS,
            path: 'webhooks/paymnt',
            // Configured but never connected (no worker, nothing enqueued): only printed here.
            intake: { connection: { host: '127.0.0.1', port: 9, password: REDIS_PASSWORD, lazyConnect: true }, worker: false },
          },
          reconciliation: { pendingAfterMs: 60_000 },
        }),
      ],
    })
    class SecretsAppModule {}
    ({ app } = await startApp(SecretsAppModule, adapter));
  });

  afterAll(async () => {
    await app?.close();
    await new Promise((resolve) => echo?.close(resolve));
  });

  it('the resolved options (PAYMNT_OPTIONS, its client and webhook parts) print [REDACTED]', () => {
    const options = app.get<ResolvedPaymntOptions>(PAYMNT_OPTIONS);
    // The real values are still there for the module to use.
    expect(options.client.apiKey).toBe(API_KEY);
    expect(options.webhook?.secrets).toEqual(SECRETS);
    for (const [name, value] of [
      ['PAYMNT_OPTIONS', options],
      ['options.client', options.client],
      ['options.webhook', options.webhook],
      ['options.intake', options.intake],
    ] as const) {
      expectNoSecret(name, value);
    }
    expect(inspect(options)).toContain('[REDACTED]');
    expect(JSON.parse(JSON.stringify(options))).toMatchObject({
      client: { apiKey: '[REDACTED]', webhookSecret: '[REDACTED]', baseUrl: echoUrl },
      webhook: { secrets: ['[REDACTED]', '[REDACTED]'], path: 'webhooks/paymnt' },
      intake: { connection: '[REDACTED]' },
      store: 'MemoryEventStore',
    });
  });

  it('the services, the processor, the publisher and the client print no secret', () => {
    for (const [name, token] of [
      ['PaymentsService', PaymentsService],
      ['RefundsService', RefundsService],
      ['CustomersService', CustomersService],
      ['PaymntWebhookProcessor', PaymntWebhookProcessor],
      ['PaymntEventPublisher', PaymntEventPublisher],
      ['PaymntIntakeService', PaymntIntakeService],
      ['PaymntReconciliationService', PaymntReconciliationService],
      ['PAYMNT_CLIENT', PAYMNT_CLIENT],
    ] as const) {
      expectNoSecret(name, app.get(token as never));
    }
    expect(inspect(app.get(PaymntWebhookProcessor))).toMatch(/^PaymntIntakeWebhookProcessor \{ secrets: \[ '\[REDACTED\]', '\[REDACTED\]' \]/);
  });

  it('an API error that echoes the key, thrown by PaymentsService, prints no secret', async () => {
    const error = await app
      .get(PaymentsService)
      .retrieve('pay_123')
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ statusCode: 401, message: 'Invalid key [REDACTED]' });
    expectNoSecret('the API error', error);
  });
});
