import { assertInteger } from '../validation/validators';
import { PaymntValidationError } from '../errors/validation.error';
import type { Page, PageCursor } from './page';

/** Options of `PagePromise.toArray`. */
export interface ToArrayOptions {
  /** The most items to collect (required, like stripe-node's `autoPagingToArray`): 1..100000. */
  limit: number;
}

/**
 * What a `list()` call returns. Awaiting it gives the first page; `for await (const item of ...)`
 * yields every item of every page exactly once; `pages()` yields page by page; `toArray({ limit })`
 * collects items. The first request is sent when the promise is first awaited or iterated (not
 * when `list()` is called), and the first page is fetched only once per `PagePromise`; each
 * iteration then fetches the following pages anew.
 */
export class PagePromise<T> implements PromiseLike<Page<T>>, AsyncIterable<T> {
  readonly #fetchFirst: () => Promise<Page<T>>;
  readonly #createCursor: (first: Page<T>) => PageCursor<T>;
  #first: Promise<Page<T>> | undefined;

  /** @internal Built by the resources' `list()` methods. */
  constructor(fetchFirst: () => Promise<Page<T>>, createCursor: (first: Page<T>) => PageCursor<T>) {
    this.#fetchFirst = fetchFirst;
    this.#createCursor = createCursor;
  }

  get [Symbol.toStringTag](): string {
    return 'PagePromise';
  }

  then<R1 = Page<T>, R2 = never>(
    onfulfilled?: ((page: Page<T>) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#firstPage().then(onfulfilled, onrejected);
  }

  catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<Page<T> | R> {
    return this.#firstPage().catch(onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<Page<T>> {
    return this.#firstPage().finally(onfinally);
  }

  /** Every page with at least one new item (the first page always), in order. */
  async *pages(): AsyncGenerator<Page<T>, void, undefined> {
    const first = await this.#firstPage();
    yield first;
    if (!first.hasMore) return;
    const next = this.#createCursor(first);
    for (;;) {
      const page = await next();
      if (page === undefined) return;
      if (page.data.length > 0) yield page;
      if (!page.hasMore) return;
    }
  }

  /** Every item across all pages, each once. */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages()) yield* page.data;
  }

  /** Collects up to `limit` items, fetching no page beyond the one that reaches it. */
  async toArray(options: ToArrayOptions): Promise<T[]> {
    if (typeof options !== 'object' || options === null || options.limit === undefined) {
      throw new PaymntValidationError('limit', 'is required: toArray({ limit }) caps how many items are loaded into memory');
    }
    assertInteger(options.limit, 'limit', 1, 100_000);
    const items: T[] = [];
    for await (const page of this.pages()) {
      for (const item of page.data) {
        items.push(item);
        if (items.length >= options.limit) return items;
      }
    }
    return items;
  }

  #firstPage(): Promise<Page<T>> {
    this.#first ??= this.#fetchFirst();
    return this.#first;
  }
}
