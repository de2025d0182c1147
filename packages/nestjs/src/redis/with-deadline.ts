/**
 * `promise`, or a rejection with `timeout()` once `ms` passed, whichever comes first. The promise is
 * not cancelled (Redis may still run the command later); its late rejection is not left unhandled.
 */
export function withDeadline<T>(promise: PromiseLike<T>, ms: number, timeout: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(timeout()), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
