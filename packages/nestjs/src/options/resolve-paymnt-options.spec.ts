import { PaymntConfigurationError } from '../errors/paymnt-configuration.error';
import { MemoryEventStore } from '../stores/memory-event.store';
import type { PaymntModuleOptions } from './paymnt-module-options.interface';
import { resolvePaymntOptions } from './resolve-paymnt-options';

const SECRET = 'whsec_do_not_print_me';

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
    [{ apiKey: 'k', publishServiceEvents: 'yes' }, 'publishServiceEvents'],
  ])('rejects %j naming %s', (options, option) => {
    const error = errorOf(options);
    expect(error.option).toBe(option);
    expect(error.message).toContain(`"${option}"`);
    expect(error.message).not.toContain(SECRET);
  });

  it('requires a secret when a webhook route is registered', () => {
    expect(errorOf({ apiKey: 'k' }, 'webhooks/paymnt').option).toBe('webhook.secret');
  });

  it('refuses a webhook.path from a factory that differs from the registered route', () => {
    expect(errorOf({ apiKey: 'k', webhook: { secret: SECRET, path: '/hooks' } }, undefined).option).toBe('webhook.path');
    expect(resolvePaymntOptions({ apiKey: 'k', webhook: { secret: SECRET, path: '/hooks/' } }, 'hooks').webhook?.path).toBe('hooks');
  });
});
