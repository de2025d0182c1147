import { inspect, type InspectOptions } from 'node:util';
import type { ResolvedPaymntOptions } from './paymnt-module-options.interface';

/** What a secret (the API key, a webhook secret, a Redis connection) is shown as. */
export const PAYMNT_REDACTED = '[REDACTED]';

function nameOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return (value as object).constructor?.name ?? typeof value;
}

/**
 * The resolved options as a plain object that is safe to log: the API key, the publishable key,
 * the webhook secrets and the intake's Redis connection (it may hold a password) replaced by
 * `[REDACTED]`, stores and trackers by their class names.
 */
export function redactPaymntOptions(options: ResolvedPaymntOptions): Record<string, unknown> {
  // `settings`: the plain values (leaseMs, publishServiceEvents...), shown as they are.
  const { client: clientOptions, webhook, store, intake, reconciliation, publishableKey, ...settings } = options;
  const { apiKey: _apiKey, webhookSecret, transport, ...client } = clientOptions;
  return {
    client: {
      ...client,
      apiKey: PAYMNT_REDACTED,
      ...(webhookSecret === undefined ? {} : { webhookSecret: PAYMNT_REDACTED }),
      ...(transport === undefined ? {} : { transport: nameOf(transport) }),
    },
    webhook: webhook === undefined ? undefined : { ...webhook, secrets: webhook.secrets.map(() => PAYMNT_REDACTED) },
    store: nameOf(store),
    ...settings,
    publishableKey: publishableKey === undefined ? undefined : PAYMNT_REDACTED,
    intake: intake === undefined ? undefined : { ...intake, connection: PAYMNT_REDACTED },
    reconciliation: reconciliation === undefined ? undefined : { ...reconciliation, tracker: nameOf(reconciliation.tracker) },
  };
}

/**
 * Gives `target` a `toJSON()` and a `util.inspect` rendering (what Nest's logger uses) made by
 * `render`, as non-enumerable properties: the object is used as before, but never printed or
 * serialized with its secrets.
 */
export function renderWithoutSecrets<T extends object>(target: T, label: string, render: () => unknown): T {
  Object.defineProperties(target, {
    toJSON: { value: render, enumerable: false, configurable: true, writable: true },
    [inspect.custom]: {
      value: (_depth: number, options: InspectOptions) => `${label} ${inspect(render(), options)}`,
      enumerable: false,
      configurable: true,
      writable: true,
    },
  });
  return target;
}

/** Makes resolved options, and the `client`, `webhook` and `intake` objects in them, safe to log and serialize. */
export function withoutSecretsWhenPrinted(options: ResolvedPaymntOptions): ResolvedPaymntOptions {
  const safe = (): Record<string, unknown> => redactPaymntOptions(options);
  renderWithoutSecrets(options.client, 'PaymntClientOptions', () => safe().client);
  if (options.webhook !== undefined) renderWithoutSecrets(options.webhook, 'PaymntWebhookOptions', () => safe().webhook);
  if (options.intake !== undefined) renderWithoutSecrets(options.intake, 'PaymntIntakeOptions', () => safe().intake);
  return renderWithoutSecrets(options, 'ResolvedPaymntOptions', safe);
}

/** The `util.inspect` rendering of a service: its class name and what its `toJSON()` shows. */
export function inspectWithoutSecrets(label: string, safe: unknown, options: InspectOptions): string {
  return `${label} ${inspect(safe, options)}`;
}
