import type { Page, PageCursor } from './page';
import { PagePromise } from './page-promise';

/** One request of an offset-paged list: `returned` is every item the API gave (it moves the offset). */
export interface OffsetPage<T> {
  returned: T[];
  page: Page<T>;
}

/**
 * A `PagePromise` over an `offset` + `limit` list. Items can shift between requests (a list ordered
 * by `modified_at`, or newest first), so ids already yielded in this iteration are dropped and none
 * comes out twice. `validate` runs when the first page is awaited, before any request.
 */
export function offsetPagePromise<T>(
  startOffset: number,
  fetchPage: (offset: number) => Promise<OffsetPage<T>>,
  idOf: (item: T) => string,
  validate: () => void,
): PagePromise<T> {
  const createCursor = (first: Page<T>): PageCursor<T> => {
    const seen = new Set(first.data.map(idOf));
    let offset = startOffset + first.data.length;
    return async () => {
      const { returned, page } = await fetchPage(offset);
      offset += returned.length;
      page.data = returned.filter((item) => !seen.has(idOf(item)));
      for (const item of page.data) seen.add(idOf(item));
      return page;
    };
  };

  const fetchFirst = async (): Promise<Page<T>> => {
    validate();
    return (await fetchPage(startOffset)).page;
  };

  return new PagePromise<T>(fetchFirst, createCursor);
}
