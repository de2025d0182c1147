import { PaymntModuleError } from './paymnt-module.error';

/**
 * Redis did not answer a command of the module within its deadline (Redis down, frozen or
 * overloaded). On the webhook path it is answered 503 `store_unavailable`, so the API delivers the
 * event again. The command may still run later, when Redis answers again.
 */
export class PaymntRedisTimeoutError extends PaymntModuleError {
  constructor(
    /** What was asked of Redis, e.g. `claim`, `complete`, `enqueue`. */
    readonly operation: string,
    /** The deadline that passed, in milliseconds. */
    readonly timeoutMs: number,
    /** The option that sets it, e.g. `RedisEventStore commandTimeoutMs`, `webhook.intake.enqueueTimeoutMs`. */
    readonly option: string,
  ) {
    super(`Redis did not answer ${operation} within ${timeoutMs} ms (${option})`);
  }
}
