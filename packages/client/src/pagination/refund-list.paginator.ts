import { attachLastResponse } from '../http/last-response';
import type { RequestSender } from '../http/request-sender';
import type { RequestOptions } from '../models/common';
import type { Refund, RefundListParams, RefundListResponse } from '../models/refund';
import { assertRefundList } from '../validation/refund.validators';
import { type OffsetPage, offsetPagePromise } from './offset-page-promise';
import type { PagePromise } from './page-promise';

/** The API's page size when `limit` is not given. */
const DEFAULT_LIMIT = 10;

/**
 * Paging over POST /refunds/list (`offset` + `limit`, `{count, total_count, data}`). The list is
 * ordered by `modified_at`, so a refund updated during the iteration can shift the offsets: ids
 * already yielded in this iteration are dropped so none comes out twice.
 */
export function refundListPagePromise(
  sender: RequestSender,
  listParams: RefundListParams | undefined,
  options: RequestOptions | undefined,
): PagePromise<Refund> {
  const params = listParams ?? {};
  const startOffset = params.offset ?? 0;

  const fetchPage = async (offset: number): Promise<OffsetPage<Refund>> => {
    const body = offset === startOffset ? params : { ...params, offset };
    const response = await sender.request<RefundListResponse>({ method: 'POST', path: '/refunds/list', body, options });
    const returned = Array.isArray(response.data) ? response.data : [];
    const totalCount = typeof response.total_count === 'number' ? response.total_count : undefined;
    // Without total_count, a full page is the only hint that more may follow.
    const hasMore =
      returned.length > 0 &&
      (totalCount === undefined ? returned.length >= (params.limit ?? DEFAULT_LIMIT) : offset + returned.length < totalCount);
    const page = attachLastResponse({ data: returned, hasMore, totalCount }, response.lastResponse);
    return { returned, page };
  };

  return offsetPagePromise(startOffset, fetchPage, (item) => item.refund_id, () => assertRefundList(listParams));
}
