import { PaymntModuleError } from './paymnt-module.error';

/**
 * The module is set up wrongly (a bad or missing option, no `EventEmitter2`...). Thrown at
 * bootstrap so the app does not start. `option` names what to fix; the message never contains
 * a secret or an API key.
 */
export class PaymntConfigurationError extends PaymntModuleError {
  constructor(
    /** The option (or missing dependency) to fix, e.g. `apiKey`, `webhook.secret`, `EventEmitter2`. */
    readonly option: string,
    /** What is wrong and how to fix it. */
    readonly rule: string,
    message = `PaymntModule: invalid option "${option}": ${rule}`,
  ) {
    super(message);
  }
}
