import { PaymntError } from '../errors/paymnt-error';
import { attachLastResponse } from '../http/last-response';
import type { PaymntResponse } from '../http/request-events';
import type { RequestSender } from '../http/request-sender';
import type { RequestOptions } from '../models/common';
import type { Payment, PaymentListParams, PaymentListResponse } from '../models/payment';
import { assertPaymentList } from '../validation/payment.validators';
import { toQueryString } from '../validation/query-string';
import type { Page, PageCursor } from './page';
import { PagePromise } from './page-promise';

/** The API's page size when `limit` is not given, and its maximum. */
const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 100;

type ListParams = PaymentListParams & Record<string, unknown>;

function createdOf(payment: Payment): string {
  return payment.created ?? '';
}

/**
 * Paging over GET /payments/list. Its `ending_before=<id>` bound is INCLUSIVE (created_at <=
 * that payment's), so each next page asks for the items at or below the last one seen and drops
 * ids already yielded. Only ids at the boundary timestamp can come back, so only those are kept.
 * To get past runs of payments sharing one `created` value, the next request asks for
 * `seen-at-boundary + limit` items (capped at 100): the run's already-seen items come first, and
 * at least `limit` new ones follow when they exist. A run of more than 100 payments in one
 * millisecond cannot be paged through this API; that is reported instead of skipping items.
 */
export function paymentListPagePromise(
  sender: RequestSender,
  listParams: PaymentListParams | undefined,
  options: RequestOptions | undefined,
): PagePromise<Payment> {
  const params = listParams ?? {};
  const pageSize = params.limit ?? DEFAULT_LIMIT;
  const fetchList = (query: ListParams): Promise<PaymntResponse<PaymentListResponse>> =>
    sender.request<PaymentListResponse>({ method: 'GET', path: '/payments/list', query: toQueryString(query, ''), options });

  const fetchFirst = async (): Promise<Page<Payment>> => {
    assertPaymentList(listParams);
    const response = await fetchList(params as ListParams);
    const data = Array.isArray(response.data) ? response.data : [];
    return attachLastResponse({ data, hasMore: data.length >= pageSize }, response.lastResponse);
  };

  const createCursor = (first: Page<Payment>): PageCursor<Payment> => {
    // The oldest payment yielded so far, and the ids yielded with its exact `created` value.
    let cursor = first.data[first.data.length - 1];
    let boundary = createdOf(cursor);
    let seen = new Set<string>();
    for (const payment of first.data) if (createdOf(payment) === boundary) seen.add(payment.payment_id);

    return async () => {
      const limit = Math.min(MAX_LIMIT, seen.size + pageSize);
      const response = await fetchList({ ...(params as ListParams), ending_before: cursor.payment_id, limit });
      const returned = Array.isArray(response.data) ? response.data : [];
      const data = returned.filter((payment) => !seen.has(payment.payment_id));
      const full = returned.length >= limit;
      if (data.length === 0) {
        if (full) {
          throw new PaymntError({
            type: 'pagination',
            code: 'pagination_tie_overflow',
            message:
              `More than ${MAX_LIMIT} payments share created=${boundary}: GET /payments/list cannot page past them ` +
              'without skipping some. Narrow the list (customer_id, created.lt / created.gt) to read them all.',
          });
        }
        return attachLastResponse({ data, hasMore: false }, response.lastResponse);
      }
      cursor = data[data.length - 1];
      const next = createdOf(cursor);
      if (next !== boundary) {
        boundary = next;
        seen = new Set();
      }
      for (const payment of returned) if (createdOf(payment) === boundary) seen.add(payment.payment_id);
      return attachLastResponse({ data, hasMore: full }, response.lastResponse);
    };
  };

  return new PagePromise(fetchFirst, createCursor);
}
