import { createSandbox, type Sandbox } from '../src';
import { createPayment, get, post, startReceiver } from './helpers';

describe('smoke', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await createSandbox();
  });
  afterAll(() => sb.close());

  it('creates, captures, refunds and sends webhooks', async () => {
    const receiver = await startReceiver();
    sb.setWebhookUrl(receiver.url);
    const p = await createPayment(sb);
    expect(p.status).toBe('succeeded');
    const r = await post(sb, '/refunds', { payment_id: p.payment_id, amount: 100 });
    expect(r.status).toBe(200);
    expect(r.json.status).toBe('succeeded');
    const again = await get(sb, `/payments/${p.payment_id}`);
    expect(again.json.refunds).toHaveLength(1);
    await sb.waitForWebhooks();
    expect(receiver.received.map((w) => w.json.event_type).sort()).toEqual(['payment_succeeded', 'refund_succeeded']);
    await receiver.close();
  });
});
