import { attachLastResponse } from '../http/last-response';
import type { RequestSender } from '../http/request-sender';
import type { RequestOptions } from '../models/common';
import type { EventListItem, EventListParams, EventListResponse } from '../models/webhook-delivery';
import { assertEventList } from '../validation/event.validators';
import type { Page, PageCursor } from './page';
import { PagePromise } from './page-promise';

/**
 * Paging over POST /events/{merchant_id} (`offset` + `limit`, `{events, total_count}`, newest
 * first). New events land in front and shift the offsets, so ids already yielded are dropped.
 */
export function eventListPagePromise(
  sender: RequestSender,
  path: () => string,
  listParams: EventListParams | undefined,
  options: RequestOptions | undefined,
): PagePromise<EventListItem> {
  const params = listParams ?? {};
  const startOffset = params.offset ?? 0;

  const fetchPage = async (offset: number): Promise<{ returned: EventListItem[]; page: Page<EventListItem> }> => {
    const body = offset === startOffset ? params : { ...params, offset };
    const response = await sender.request<EventListResponse>({ method: 'POST', path: path(), body, options });
    const returned = Array.isArray(response.events) ? response.events : [];
    const totalCount = typeof response.total_count === 'number' ? response.total_count : undefined;
    // object_id / event_id lookups are single answers: paging them is refused by the API.
    const lookup = params.object_id !== undefined || params.event_id !== undefined;
    const hasMore = !lookup && returned.length > 0 && totalCount !== undefined && offset + returned.length < totalCount;
    return { returned, page: attachLastResponse({ data: returned, hasMore, totalCount }, response.lastResponse) };
  };

  const createCursor = (first: Page<EventListItem>): PageCursor<EventListItem> => {
    const seen = new Set(first.data.map((e) => e.event_id));
    let offset = startOffset + first.data.length;
    return async () => {
      const { returned, page } = await fetchPage(offset);
      offset += returned.length;
      page.data = returned.filter((e) => !seen.has(e.event_id));
      for (const e of page.data) seen.add(e.event_id);
      return page;
    };
  };

  const fetchFirst = async (): Promise<Page<EventListItem>> => {
    assertEventList(listParams);
    return (await fetchPage(startOffset)).page;
  };

  return new PagePromise<EventListItem>(fetchFirst, createCursor);
}
