import { attachLastResponse } from '../http/last-response';
import type { RequestSender } from '../http/request-sender';
import type { RequestOptions } from '../models/common';
import type { Customer, CustomerListParams } from '../models/customer';
import { assertCustomerList } from '../validation/customer.validators';
import { toQueryString } from '../validation/query-string';
import type { Page, PageCursor } from './page';
import { PagePromise } from './page-promise';

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

  /** One request; `returned` is the raw item count, which moves the offset. */
  const fetchPage = async (offset: number): Promise<{ returned: Customer[]; page: Page<Customer> }> => {
    const query = toQueryString((offset === startOffset ? params : { ...params, offset }) as Record<string, unknown>, 'params');
    const response = await sender.request<Customer[]>({ method: 'GET', path: '/customers/list', query, options });
    const returned = Array.isArray(response) ? [...response] : [];
    const page = attachLastResponse({ data: returned, hasMore: returned.length >= pageSize }, response.lastResponse);
    return { returned, page };
  };

  const createCursor = (first: Page<Customer>): PageCursor<Customer> => {
    const seen = new Set(first.data.map((customer) => customer.customer_id));
    let offset = startOffset + first.data.length;
    return async () => {
      const { returned, page } = await fetchPage(offset);
      offset += returned.length;
      page.data = returned.filter((customer) => !seen.has(customer.customer_id));
      for (const customer of page.data) seen.add(customer.customer_id);
      return page;
    };
  };

  const fetchFirst = async (): Promise<Page<Customer>> => {
    assertCustomerList(listParams);
    return (await fetchPage(startOffset)).page;
  };

  return new PagePromise<Customer>(fetchFirst, createCursor);
}
