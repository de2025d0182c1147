import { attachLastResponse } from '../http/last-response';
import type { RequestSender } from '../http/request-sender';
import type { RequestOptions } from '../models/common';
import type { Customer, CustomerListParams } from '../models/customer';
import { assertCustomerList } from '../validation/customer.validators';
import { toQueryString } from '../validation/query-string';
import { type OffsetPage, offsetPagePromise } from './offset-page-promise';
import type { PagePromise } from './page-promise';

/** The API's page size when `limit` is not given. */
const DEFAULT_LIMIT = 100;

/**
 * Paging over GET /customers/list (`offset` + `limit`, a bare array, oldest first). The API gives
 * no total, so a full page is the only sign that more may follow. New customers are appended at
 * the end, so offsets stay stable; ids already yielded are dropped anyway.
 */
export function customerListPagePromise(
  sender: RequestSender,
  listParams: CustomerListParams | undefined,
  options: RequestOptions | undefined,
): PagePromise<Customer> {
  const params = listParams ?? {};
  const pageSize = params.limit ?? DEFAULT_LIMIT;
  const startOffset = params.offset ?? 0;

  const fetchPage = async (offset: number): Promise<OffsetPage<Customer>> => {
    const query = toQueryString((offset === startOffset ? params : { ...params, offset }) as Record<string, unknown>, 'params');
    const response = await sender.request<Customer[]>({ method: 'GET', path: '/customers/list', query, options });
    const returned = Array.isArray(response) ? [...response] : [];
    const page = attachLastResponse({ data: returned, hasMore: returned.length >= pageSize }, response.lastResponse);
    return { returned, page };
  };

  return offsetPagePromise(startOffset, fetchPage, (item) => item.customer_id, () => assertCustomerList(listParams));
}
