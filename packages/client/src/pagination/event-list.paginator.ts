import { attachLastResponse } from '../http/last-response';
import type { RequestSender } from '../http/request-sender';
import type { RequestOptions } from '../models/common';
import type { EventListItem, EventListParams, EventListResponse } from '../models/webhook-delivery';
import { assertEventList } from '../validation/event.validators';
import { type OffsetPage, offsetPagePromise } from './offset-page-promise';
import type { PagePromise } from './page-promise';

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

  const fetchPage = async (offset: number): Promise<OffsetPage<EventListItem>> => {
    const body = offset === startOffset ? params : { ...params, offset };
    const response = await sender.request<EventListResponse>({ method: 'POST', path: path(), body, options });
    const returned = Array.isArray(response.events) ? response.events : [];
    const totalCount = typeof response.total_count === 'number' ? response.total_count : undefined;
    // object_id / event_id lookups are single answers: paging them is refused by the API.
    const lookup = params.object_id !== undefined || params.event_id !== undefined;
    const hasMore = !lookup && returned.length > 0 && totalCount !== undefined && offset + returned.length < totalCount;
    return { returned, page: attachLastResponse({ data: returned, hasMore, totalCount }, response.lastResponse) };
  };

  return offsetPagePromise(startOffset, fetchPage, (item) => item.event_id, () => assertEventList(listParams));
}
