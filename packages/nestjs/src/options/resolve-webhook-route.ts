import type { Type } from '@nestjs/common';
import type { z } from 'zod';
import { PaymntConfigurationError } from '../errors/paymnt-configuration.error';
import type { PaymntWebhookProcessor } from '../webhook/paymnt-webhook.processor';
import { parseOption } from './parse-option';
import { webhookDecoratorsSchema, webhookPathSchema, webhookProcessorSchema } from './paymnt-options.schema';

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

/** A route setting checked by its rule in the options schema; `undefined` when not given. */
function check<S extends z.ZodType>(schema: S, value: unknown, option: string): z.output<S> | undefined {
  return value === undefined ? undefined : parseOption(schema, value, option);
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
  const extraPath = check(webhookPathSchema, extras.webhookPath, 'webhookPath');
  const optionPath = check(webhookPathSchema, fromOptions?.path, 'webhook.path');
  if (extraPath !== undefined && optionPath !== undefined && extraPath !== optionPath) {
    throw new PaymntConfigurationError('webhookPath', `differs from webhook.path ("${extraPath}" vs "${optionPath}"): give only one`);
  }
  const path = extraPath ?? optionPath;
  const decorators = pick(
    check(webhookDecoratorsSchema, extras.webhookDecorators, 'webhookDecorators'),
    check(webhookDecoratorsSchema, fromOptions?.decorators, 'webhook.decorators'),
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
    check(webhookProcessorSchema, extras.webhookProcessor, 'webhookProcessor'),
    check(webhookProcessorSchema, fromOptions?.processor, 'webhook.processor'),
    'webhookProcessor',
    'webhook.processor',
    (a, b) => a === b,
  );
  return { path, decorators, processor };
}
