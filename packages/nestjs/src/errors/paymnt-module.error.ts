/** Base class of the errors thrown by `@paymnt/nestjs` itself (the client's errors extend `PaymntError`). */
export class PaymntModuleError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
