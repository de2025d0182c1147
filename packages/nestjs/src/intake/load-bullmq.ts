import { PaymntConfigurationError } from '../errors/paymnt-configuration.error';

/** The `bullmq` module, required only when durable intake is configured (it is an optional peer dependency). */
export function loadBullMq(): typeof import('bullmq') {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('bullmq') as typeof import('bullmq');
  } catch {
    throw new PaymntConfigurationError('webhook.intake', 'needs the bullmq package: npm install bullmq');
  }
}
