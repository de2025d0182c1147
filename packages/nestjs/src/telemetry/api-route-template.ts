/** Collections whose second segment names the merchant, the third an event (`/events/{merchant_id}/{event_id}/retry`). */
const MERCHANT_SCOPED = new Set(['events']);
/** A fixed segment (`list`, `capture`, `payment_methods`...): lower-case letters and `_`. */
const FIXED = /^[a-z_]+$/;

/**
 * The route of an API path, ids replaced (`/payments/pay_123/capture` → `/payments/{id}/capture`):
 * what spans and metrics are named and grouped by, so their cardinality stays that of the API's routes.
 * The second segment is an id unless it is `list`; later ones are fixed words unless they look like ids.
 */
export function apiRouteTemplate(path: string): string {
  const segments = path.split('/');
  // segments[0] is '' (the path starts with '/'), segments[1] the collection.
  const collection = segments[1] ?? '';
  return segments
    .map((segment, index) => {
      if (index < 2) return segment;
      if (MERCHANT_SCOPED.has(collection)) return index === 2 ? '{merchant_id}' : index === 3 ? '{event_id}' : segment;
      if (index === 2) return segment === 'list' ? segment : '{id}';
      return FIXED.test(segment) ? segment : '{id}';
    })
    .join('/');
}
