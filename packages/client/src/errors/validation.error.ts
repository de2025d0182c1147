import { PaymntError } from './paymnt-error';

/** Found locally before any request was sent. `field` names the parameter, `rule` what it broke. */
export class PaymntValidationError extends PaymntError {
  readonly field: string;
  readonly rule: string;

  constructor(field: string, rule: string) {
    super({ message: `Invalid ${field}: ${rule}`, type: 'validation', code: 'parameter_invalid' });
    this.field = field;
    this.rule = rule;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), field: this.field, rule: this.rule };
  }
}
