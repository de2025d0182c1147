import type { LastResponse } from '../http/request-events';

/** One page of a list call. */
export interface Page<T> {
  /** The items of this page not yielded by an earlier page of the same iteration. */
  data: T[];
  /** True when another page may hold more items (a further request is needed to know). */
  hasMore: boolean;
  /** Refund lists only: how many items match the filters in total (`total_count`). */
  totalCount?: number;
  /** The HTTP exchange that produced the page (non-enumerable). */
  readonly lastResponse: LastResponse;
}

/** Returns the page after the previous one, or `undefined` when there is none. One per iteration: it may keep state. */
export type PageCursor<T> = () => Promise<Page<T> | undefined>;
