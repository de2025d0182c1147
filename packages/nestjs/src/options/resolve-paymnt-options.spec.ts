import { PaymntConfigurationError } from '../errors/paymnt-configuration.error';
import { MemoryPaymentTracker } from '../reconciliation/memory-payment.tracker';
import { MemoryEventStore } from '../stores/memory-event.store';
import type { PaymntModuleOptions } from './paymnt-module-options.interface';
import { resolvePaymntOptions } from './resolve-paymnt-options';
import { resolveWebhookRoute } from './resolve-webhook-route';

const SECRET = 'whsec_do_not_print_me';
const API_KEY = 'snd_do_not_print_me';

function errorOf(options: unknown, path?: string): PaymntConfigurationError {
  try {
    resolvePaymntOptions(options as PaymntModuleOptions, path);
  } catch (error) {
    expect(error).toBeInstanceOf(PaymntConfigurationError);
    return error as PaymntConfigurationError;
  }
  throw new Error('expected a PaymntConfigurationError');
}

describe('resolvePaymntOptions', () => {
  it('applies the defaults and passes the client options and secrets to the client', () => {
    const resolved = resolvePaymntOptions({ apiKey: 'snd_key', baseUrl: 'http://127.0.0.1:1', webhook: { secret: SECRET } }, undefined);
    expect(resolved.client).toEqual({ apiKey: 'snd_key', baseUrl: 'http://127.0.0.1:1', webhookSecret: [SECRET] });
    expect(resolved.webhook).toEqual({ secrets: [SECRET], path: undefined, toleranceSeconds: 259200 });
    expect(resolved.store).toBeInstanceOf(MemoryEventStore);
    expect(resolved).toMatchObject({ leaseMs: 60_000, dedupeTtlMs: 90_000_000, publishServiceEvents: true });
  });

  it.each([
    [undefined, 'options'],
    [{}, 'apiKey'],
    [{ apiKey: '' }, 'apiKey'],
    [{ apiKey: 'k', webhook: 'x' }, 'webhook'],
    [{ apiKey: 'k', webhook: {} }, 'webhook.secret'],
    [{ apiKey: 'k', webhook: { secret: [] } }, 'webhook.secret'],
    [{ apiKey: 'k', webhook: { secret: [SECRET, ''] } }, 'webhook.secret'],
    [{ apiKey: 'k', webhook: { secret: SECRET, toleranceSeconds: -1 } }, 'webhook.toleranceSeconds'],
    [{ apiKey: 'k', webhook: { secret: SECRET, leaseMs: 0 } }, 'webhook.leaseMs'],
    [{ apiKey: 'k', webhook: { secret: SECRET, dedupeTtlMs: 1.5 } }, 'webhook.dedupeTtlMs'],
    [{ apiKey: 'k', webhook: { secret: SECRET, store: {} } }, 'webhook.store'],
    [{ apiKey: 'k', webhook: { secret: SECRET, secrets: SECRET } }, 'webhook.secrets'],
    [{ apiKey: 'k', webhook: { secrets: SECRET } }, 'webhook.secrets'],
    [{ apiKey: 'k', webhook: { secret: SECRET, toleranceSeconds: -1, tolerance: 5 } }, 'webhook.tolerance'],
    [{ apiKey: 'k', publishServiceEvents: 'yes' }, 'publishServiceEvents'],
    [{ apiKey: 'k', webhook: { secret: SECRET, intake: true } }, 'webhook.intake'],
    [{ apiKey: 'k', webhook: { secret: SECRET, intake: {} } }, 'webhook.intake.connection'],
    [{ apiKey: 'k', webhook: { secret: SECRET, intake: { connection: {}, attempts: 0 } } }, 'webhook.intake.attempts'],
    [{ apiKey: 'k', webhook: { secret: SECRET, intake: { connection: {}, queueName: 'a:b' } } }, 'webhook.intake.queueName'],
    [{ apiKey: 'k', webhook: { secret: SECRET, intake: { connection: {}, deadLetterQueueName: 'paymnt-webhooks' } } }, 'webhook.intake.deadLetterQueueName'],
    [{ apiKey: 'k', webhook: { secret: SECRET, intake: { connection: {}, retries: 3 } } }, 'webhook.intake.retries'],
    [{ apiKey: 'k', webhook: { secret: SECRET, intake: { connection: {}, enqueueTimeoutMs: 0 } } }, 'webhook.intake.enqueueTimeoutMs'],
    [{ apiKey: 'k', webhook: { secret: SECRET, intake: { connection: {}, enqueueTimeoutMs: '2s' } } }, 'webhook.intake.enqueueTimeoutMs'],
    [{ apiKey: 'k', webhook: { secret: SECRET, intake: { connection: {}, closeTimeoutMs: -1 } } }, 'webhook.intake.closeTimeoutMs'],
    [{ apiKey: 'k', reconciliation: {} }, 'reconciliation.pendingAfterMs'],
    [{ apiKey: 'k', reconciliation: { pendingAfterMs: -1 } }, 'reconciliation.pendingAfterMs'],
    [{ apiKey: 'k', reconciliation: { pendingAfterMs: 0, statuses: [] } }, 'reconciliation.statuses'],
    [{ apiKey: 'k', reconciliation: { pendingAfterMs: 0, tracker: {} } }, 'reconciliation.tracker'],
    [{ apiKey: 'k', publishServiceEvents: false, reconciliation: { pendingAfterMs: 0 } }, 'reconciliation'],
    [{ apiKey: 'k', store: { claim: 1 } }, 'store'],
    [{ apiKey: 'k', leaseMs: -5 }, 'leaseMs'],
    [{ apiKey: 'k', dedupeTtlMs: '1h' }, 'dedupeTtlMs'],
    [{ apiKey: 'k', store: new MemoryEventStore(), webhook: { secret: SECRET, store: new MemoryEventStore() } }, 'store'],
    [{ apiKey: 'k', leaseMs: 1000, webhook: { secret: SECRET, leaseMs: 1000 } }, 'leaseMs'],
  ])('rejects %j naming %s', (options, option) => {
    const error = errorOf(options);
    expect(error.option).toBe(option);
    expect(error.message).toContain(`"${option}"`);
    expect(error.message).not.toContain(SECRET);
  });

  it.each([
    [{ apiKey: 42 }, 'apiKey'],
    [{ apiKey: [API_KEY] }, 'apiKey'],
    [{ apiKey: API_KEY, webhook: { secret: { value: SECRET } } }, 'webhook.secret'],
    [{ apiKey: API_KEY, webhook: { secret: [SECRET, 7] } }, 'webhook.secret'],
    [{ apiKey: API_KEY, webhook: { secret: SECRET, secert: SECRET } }, 'webhook.secert'],
    [{ apiKey: API_KEY, webhook: { secret: SECRET, toleranceSeconds: SECRET } }, 'webhook.toleranceSeconds'],
    [{ apiKey: API_KEY, webhook: SECRET }, 'webhook'],
    [{ apiKey: API_KEY, store: SECRET }, 'store'],
    [{ apiKey: API_KEY, webhook: { secret: SECRET, path: 42 } }, 'webhook.path'],
    [{ apiKey: API_KEY, webhook: { secret: SECRET, intake: { connection: SECRET } } }, 'webhook.intake.connection'],
    [{ apiKey: API_KEY, webhook: { secret: SECRET, intake: { connection: {}, queueName: `${API_KEY}:` } } }, 'webhook.intake.queueName'],
    [{ apiKey: API_KEY, reconciliation: { pendingAfterMs: SECRET } }, 'reconciliation.pendingAfterMs'],
    [{ apiKey: API_KEY, reconciliation: { pendingAfterMs: 0, statuses: ['processing', SECRET, 5] } }, 'reconciliation.statuses'],
    [{ apiKey: API_KEY, publishableKey: API_KEY }, 'publishableKey'],
    [{ apiKey: API_KEY, publishableKey: 42 }, 'publishableKey'],
  ])('never echoes a secret or the API key, wherever it is given: %j names %s', (options, option) => {
    const error = errorOf(options);
    expect(error.option).toBe(option);
    expect(error.message).not.toContain(SECRET);
    expect(error.message).not.toContain(API_KEY);
    // Every rule has its own message: no generic one from the schema library.
    expect(error.rule).not.toMatch(/invalid input|expected .* received|is not valid/i);
  });

  it('keeps the publishable key out of the client and prints it [REDACTED]', () => {
    const publishableKey = 'pk_snd_do_not_print_me';
    const resolved = resolvePaymntOptions({ apiKey: API_KEY, publishableKey }, undefined);
    expect(resolved.publishableKey).toBe(publishableKey);
    expect(resolved.client).toEqual({ apiKey: API_KEY });
    expect(JSON.stringify(resolved)).not.toContain(publishableKey);
    expect(JSON.parse(JSON.stringify(resolved))).toMatchObject({ publishableKey: '[REDACTED]' });
    expect(resolvePaymntOptions({ apiKey: API_KEY }, undefined).publishableKey).toBeUndefined();
  });

  it.each(['', 'snd_secret_key', 'pk_', ' pk_snd_x'])('refuses the publishable key %j, naming it and the rule', (publishableKey) => {
    const error = errorOf({ apiKey: API_KEY, publishableKey });
    expect(error.option).toBe('publishableKey');
    expect(error.rule).toContain('must be the publishable key (pk_snd_..., pk_prd_...)');
  });

  it('names every unknown option, at any level', () => {
    expect(errorOf({ apiKey: 'k', webhook: { secret: SECRET, intake: { connection: {}, retries: 3, delay: 1 } } })).toMatchObject({
      option: 'webhook.intake.retries',
      rule: 'is not a known option (nor "delay")',
    });
    expect(errorOf({ apiKey: 'k', reconciliation: { pendingAfterMs: 0, interval: 5 } }).option).toBe('reconciliation.interval');
  });

  it('passes class instances through as they are (stores, trackers, Redis clients, the transport)', () => {
    class RedisLike {
      status = 'ready';
      async get(): Promise<null> {
        return null;
      }
    }
    const connection = new RedisLike();
    const store = new MemoryEventStore();
    const tracker = new MemoryPaymentTracker();
    const transport = { request: async () => ({ status: 200, headers: {}, body: '' }) };
    const decorators = [(() => undefined) as ClassDecorator];
    const resolved = resolvePaymntOptions(
      {
        apiKey: 'k',
        transport: transport as never,
        store,
        webhook: { secret: SECRET, decorators, intake: { connection } },
        reconciliation: { pendingAfterMs: 1, tracker },
      },
      undefined,
      { decorators },
    );
    expect(resolved.intake?.connection).toBe(connection);
    expect(resolved.store).toBe(store);
    expect(resolved.reconciliation?.tracker).toBe(tracker);
    expect(resolved.client.transport).toBe(transport);
  });

  it('checks the webhook route settings with the same rules at module creation', () => {
    expect(resolveWebhookRoute({ webhookPath: '/hooks/in/' }, undefined).path).toBe('hooks/in');
    expect(() => resolveWebhookRoute({ webhookPath: ' / ' }, undefined)).toThrow(/"webhookPath": must be a non-empty route path/);
    expect(() => resolveWebhookRoute({}, { decorators: 'Public' })).toThrow(/"webhook.decorators": must be an array of class decorators/);
    expect(() => resolveWebhookRoute({ webhookProcessor: {} }, undefined)).toThrow(/"webhookProcessor": must be a class extending PaymntWebhookProcessor/);
  });

  it('configures the event store without webhooks (top-level store, leaseMs, dedupeTtlMs); webhook.store keeps working', () => {
    const store = new MemoryEventStore();
    const resolved = resolvePaymntOptions({ apiKey: 'k', store, leaseMs: 5_000, dedupeTtlMs: 10_000 }, undefined);
    expect(resolved).toMatchObject({ webhook: undefined, leaseMs: 5_000, dedupeTtlMs: 10_000 });
    expect(resolved.store).toBe(store);
    expect(resolved.client).toEqual({ apiKey: 'k' });
    const nested = resolvePaymntOptions({ apiKey: 'k', webhook: { secret: SECRET, store, leaseMs: 7_000 } }, undefined);
    expect(nested.store).toBe(store);
    expect(nested.leaseMs).toBe(7_000);
  });

  it('refuses a store written for the 0.1 PaymntEventStore (getVersion / setVersion), saying what changed', () => {
    const method = async (): Promise<undefined> => undefined;
    const old = { claim: method, complete: method, release: method, getVersion: method, setVersion: method };
    const error = errorOf({ apiKey: 'k', store: old });
    expect(error.option).toBe('store');
    expect(error.message).toContain('claim() now takes the objectKey');
  });

  it('points a webhook.store without a secret to the top-level options', () => {
    const error = errorOf({ apiKey: 'k', webhook: { store: new MemoryEventStore() } });
    expect(error.option).toBe('webhook.secret');
    expect(error.message).toContain('use the top-level store, leaseMs and dedupeTtlMs options');
  });

  it('requires a secret when a webhook route is registered', () => {
    expect(errorOf({ apiKey: 'k' }, 'webhooks/paymnt').option).toBe('webhook.secret');
  });

  it('refuses a webhook.path from a factory that differs from the registered route', () => {
    expect(errorOf({ apiKey: 'k', webhook: { secret: SECRET, path: '/hooks' } }, undefined).option).toBe('webhook.path');
    expect(resolvePaymntOptions({ apiKey: 'k', webhook: { secret: SECRET, path: '/hooks/' } }, 'hooks').webhook?.path).toBe('hooks');
  });

  it('resolves webhook.intake and reconciliation with their defaults (both off when absent)', () => {
    expect(resolvePaymntOptions({ apiKey: 'k' }, undefined)).toMatchObject({ intake: undefined, reconciliation: undefined });
    const connection = { host: '127.0.0.1', port: 6379 };
    const resolved = resolvePaymntOptions({ apiKey: 'k', webhook: { secret: SECRET, intake: { connection } }, reconciliation: { pendingAfterMs: 60_000 } }, undefined);
    expect(resolved.intake).toEqual({
      connection,
      queueName: 'paymnt-webhooks',
      deadLetterQueueName: 'paymnt-webhooks-dead-letters',
      prefix: 'bull',
      attempts: 8,
      backoffMs: 1000,
      concurrency: 5,
      worker: true,
      enqueueTimeoutMs: 2000,
      closeTimeoutMs: 10_000,
    });
    expect(resolved.reconciliation).toMatchObject({
      pendingAfterMs: 60_000,
      intervalMs: undefined,
      statuses: ['requires_customer_action', 'requires_merchant_action', 'processing', 'partially_captured_and_processing'],
      maxAgeMs: 86_400_000,
      batchSize: 100,
    });
    expect(resolved.reconciliation?.tracker).toBeInstanceOf(MemoryPaymentTracker);
  });
  it("names the instance ('default' without a name) and gives a named one its own intake queues", () => {
    const connection = { host: '127.0.0.1', port: 6379 };
    expect(resolvePaymntOptions({ apiKey: 'k' }, undefined).name).toBe('default');
    const named = resolvePaymntOptions({ apiKey: 'k', webhook: { secret: SECRET, intake: { connection } } }, undefined, {}, 'eu');
    expect(named.name).toBe('eu');
    expect(named.intake).toMatchObject({ queueName: 'paymnt-webhooks-eu', deadLetterQueueName: 'paymnt-webhooks-eu-dead-letters' });
    const given = resolvePaymntOptions({ apiKey: 'k', webhook: { secret: SECRET, intake: { connection, queueName: 'eu-hooks' } } }, undefined, {}, 'eu');
    expect(given.intake).toMatchObject({ queueName: 'eu-hooks', deadLetterQueueName: 'eu-hooks-dead-letters' });
    const deadLetters = resolvePaymntOptions({ apiKey: 'k', webhook: { secret: SECRET, intake: { connection, deadLetterQueueName: 'eu-dead' } } }, undefined, {}, 'eu');
    expect(deadLetters.intake).toMatchObject({ queueName: 'paymnt-webhooks-eu', deadLetterQueueName: 'eu-dead' });
    expect(errorOf({ apiKey: 'k', name: 'eu' }).option).toBe('name');
  });
});
