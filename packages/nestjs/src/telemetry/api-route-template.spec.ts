import { apiRouteTemplate } from './api-route-template';

describe('apiRouteTemplate', () => {
  it.each([
    ['/payments', '/payments'],
    ['/payments/list', '/payments/list'],
    ['/payments/pay_123', '/payments/{id}'],
    ['/payments/pay_123/capture', '/payments/{id}/capture'],
    ['/payments/pay_123/cancel_post_capture', '/payments/{id}/cancel_post_capture'],
    ['/customers/cus_nest_express/payment_methods', '/customers/{id}/payment_methods'],
    ['/refunds/ref_1', '/refunds/{id}'],
    ['/events/merchant_1', '/events/{merchant_id}'],
    ['/events/merchant_1/evt_9/attempts', '/events/{merchant_id}/{event_id}/attempts'],
  ])('%s → %s', (path, route) => {
    expect(apiRouteTemplate(path)).toBe(route);
  });
});
