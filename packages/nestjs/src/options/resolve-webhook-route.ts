import type { Type } from '@nestjs/common';
import { PaymntConfigurationError } from '../errors/paymnt-configuration.error';
import { PaymntIntakeWebhookProcessor } from '../intake/paymnt-intake-webhook.processor';
import { PaymntWebhookProcessor } from '../webhook/paymnt-webhook.processor';
import { normalizeWebhookPath } from './resolve-paymnt-options';

/** What shapes the module's webhook route and processor provider, fixed at module creation. */
export interface PaymntWebhookRoute {
  /** The built-in controller's path; `undefined`: no built-in route. */
  readonly path: string | undefined;
  /** Applied to the built-in controller's class. */
  readonly decorators: readonly ClassDecorator[] | undefined;
  /** Provided under the `PaymntWebhookProcessor` token; `undefined`: the default one. */
  readonly processor: Type<PaymntWebhookProcessor> | undefined;
}

interface RouteSettings {
  path?: unknown;
  decorators?: unknown;
  processor?: unknown;
}

/** The extra (`webhookPath`...) or the option (`webhook.path`...): both may be given with `forRoot`, if they agree. */
function pick<T>(extra: T | undefined, fromOptions: T | undefined, extraName: string, optionName: string, same: (a: T, b: T) => boolean): T | undefined {
  if (extra !== undefined && fromOptions !== undefined && !same(extra, fromOptions)) {
    throw new PaymntConfigurationError(extraName, `differs from ${optionName}: give only one`);
  }
  return extra ?? fromOptions;
}

function checkDecorators(value: unknown, option: string): readonly ClassDecorator[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((decorator) => typeof decorator === 'function')) {
    throw new PaymntConfigurationError(option, 'must be an array of class decorators, e.g. [Public()] or [SkipThrottle()]');
  }
  return value as ClassDecorator[];
}

function checkProcessor(value: unknown, option: string): Type<PaymntWebhookProcessor> | undefined {
  if (value === undefined) return undefined;
  const isSubclass = typeof value === 'function' && (value === PaymntWebhookProcessor || value.prototype instanceof PaymntWebhookProcessor);
  if (!isSubclass) {
    throw new PaymntConfigurationError(option, 'must be a class extending PaymntWebhookProcessor (the class itself, not an instance)');
  }
  if (value === PaymntIntakeWebhookProcessor || value.prototype instanceof PaymntIntakeWebhookProcessor) {
    throw new PaymntConfigurationError(option, 'must extend PaymntWebhookProcessor, not PaymntIntakeWebhookProcessor: durable intake is turned on by webhook.intake');
  }
  return value as Type<PaymntWebhookProcessor>;
}

/**
 * Validates, at module creation, what shapes the webhook route: the extras of `forRoot` /
 * `forRootAsync` (`webhookPath`, `webhookDecorators`, `webhookProcessor`) and, with `forRoot`,
 * their counterparts in `webhook` (`path`, `decorators`, `processor`).
 */
export function resolveWebhookRoute(
  extras: { webhookPath?: unknown; webhookDecorators?: unknown; webhookProcessor?: unknown },
  fromOptions: RouteSettings | undefined,
): PaymntWebhookRoute {
  const extraPath = extras.webhookPath === undefined ? undefined : normalizeWebhookPath(extras.webhookPath, 'webhookPath');
  const optionPath = fromOptions?.path === undefined ? undefined : normalizeWebhookPath(fromOptions.path, 'webhook.path');
  if (extraPath !== undefined && optionPath !== undefined && extraPath !== optionPath) {
    throw new PaymntConfigurationError('webhookPath', `differs from webhook.path ("${extraPath}" vs "${optionPath}"): give only one`);
  }
  const path = extraPath ?? optionPath;
  const decorators = pick(
    checkDecorators(extras.webhookDecorators, 'webhookDecorators'),
    checkDecorators(fromOptions?.decorators, 'webhook.decorators'),
    'webhookDecorators',
    'webhook.decorators',
    (a, b) => a === b,
  );
  if (decorators !== undefined && decorators.length > 0 && path === undefined) {
    const option = extras.webhookDecorators === undefined ? 'webhook.decorators' : 'webhookDecorators';
    throw new PaymntConfigurationError(
      option,
      'applies to the built-in webhook route, and there is none: give webhookPath (or webhook.path) too, ' +
        'or put the decorators on your own controller guarded by PaymntWebhookGuard',
    );
  }
  const processor = pick(
    checkProcessor(extras.webhookProcessor, 'webhookProcessor'),
    checkProcessor(fromOptions?.processor, 'webhook.processor'),
    'webhookProcessor',
    'webhook.processor',
    (a, b) => a === b,
  );
  return { path, decorators, processor };
}
