/**
 * The 3DS challenge, as HS's dummy connector runs it:
 * `next_action.redirect_to_url` = `/payments/redirect/{pid}/{mid}/{attempt}` → 302 to the test page
 * `/dummy-connector/authorize/{attempt}` ("Complete Payment" / "Reject Payment", plain GET forms)
 * → `/dummy-connector/complete/{attempt}?confirm=true|false` finishes the payment, sends its webhook
 * and 302-redirects to the payment's `return_url` with HS's signed query.
 */
import { REDIRECT_SIGNATURE_ALGORITHM, signRedirectQuery } from '@paymnt/client';
import { QueryError } from '../http/api-error';
import type { HandlerResult, RouteDef } from '../http/route-types';
import type { PaymentRecord } from '../state/records';
import type { SandboxApp } from '../sandbox-app';

const NO_STORE = { 'cache-control': 'no-store' };

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const STYLE = `body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:#f5f6f8;color:#1d2433;margin:0}
.heading{background:#0b1f3a;color:#fff;padding:16px 24px}.heading h1{margin:0;font-size:20px}
.container{background:#fff;max-width:520px;margin:24px auto;padding:24px;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
.disclaimer{font-weight:600}.user_action{display:flex;gap:12px;margin-top:20px}.user_action form{margin:0}
button{font-size:16px;padding:10px 18px;border-radius:6px;border:0;cursor:pointer}
#complete{background:#1a7f37;color:#fff}#reject{background:#cf222e;color:#fff}`;

function page(title: string, inner: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><div class="heading"><h1>Test Payment Page</h1></div>${inner}<div class="container"><p class="disclaimer">What is this page?</p><p>This page is a simulation of a 3DS challenge by the Paymnt sandbox, for integration and testing. In live mode the customer sees their bank's page instead.</p></div></body></html>`;
}

function html(status: number, body: string): HandlerResult {
  return { status, body, contentType: 'text/html; charset=utf-8', headers: NO_STORE };
}

function expiredPage(): HandlerResult {
  return html(200, page('Authorize Payment', '<div class="container"><p class="disclaimer">This link is not valid or it is expired</p></div>'));
}

function formatAmount(p: PaymentRecord): string {
  return `${(p.amount / 100).toFixed(2)} ${p.currency}`;
}

function authorizePage(p: PaymentRecord, attemptId: string): HandlerResult {
  const action = `/dummy-connector/complete/${encodeURIComponent(attemptId)}`;
  const inner = `<div class="container">
<p class="disclaimer">This is a test payment of ${escapeHtml(formatAmount(p))} using Card</p>
<p><b>Real money will not be debited for the payment.</b> You can choose to simulate a successful or a failed authentication.</p>
<div class="user_action">
<form id="complete-form" method="get" action="${escapeHtml(action)}"><input type="hidden" name="confirm" value="true"><button id="complete" type="submit" class="authorize">Complete Payment</button></form>
<form id="reject-form" method="get" action="${escapeHtml(action)}"><input type="hidden" name="confirm" value="false"><button id="reject" type="submit" class="reject">Reject Payment</button></form>
</div></div>`;
  return html(200, page('Authorize Payment', inner));
}

function awaiting(p: PaymentRecord | undefined, attemptId: string): p is PaymentRecord {
  return !!p && p.status === 'requires_customer_action' && p.attempts[p.attempts.length - 1]?.attemptId === attemptId;
}

export const threeDsRoutes: RouteDef<SandboxApp>[] = [
  {
    method: 'GET',
    pattern: '/payments/redirect/:payment_id/:merchant_id/:attempt_id',
    auth: 'none',
    handle: (ctx, app) => {
      const p = app.store.getPayment(ctx.params.merchant_id as string, ctx.params.payment_id as string);
      const attemptId = ctx.params.attempt_id as string;
      if (!awaiting(p, attemptId)) return expiredPage();
      return { status: 302, body: '', headers: { location: `/dummy-connector/authorize/${encodeURIComponent(attemptId)}`, ...NO_STORE } };
    },
  },
  {
    method: 'GET',
    pattern: '/dummy-connector/authorize/:attempt_id',
    auth: 'none',
    handle: (ctx, app) => {
      const attemptId = ctx.params.attempt_id as string;
      const p = app.store.paymentByAttempt(attemptId);
      return awaiting(p, attemptId) ? authorizePage(p, attemptId) : expiredPage();
    },
  },
  {
    method: 'GET',
    pattern: '/dummy-connector/complete/:attempt_id',
    auth: 'none',
    handle: async (ctx, app) => {
      const confirm = ctx.url.searchParams.get('confirm');
      if (confirm === null) throw new QueryError('missing field `confirm`');
      if (confirm !== 'true' && confirm !== 'false') throw new QueryError('provided string was not `true` or `false`');
      const p = await app.payments.completeThreeDs(ctx.params.attempt_id as string, confirm === 'true');
      if (!p) return html(404, page('Authorize Payment', '<div class="container"><p class="disclaimer">This link is not valid or it is expired</p></div>'));
      const profile = app.store.profile(p.profileId);
      const returnUrl = p.returnUrl ?? profile?.returnUrl ?? null;
      if (!returnUrl) {
        const inner = `<div class="container"><p class="disclaimer" id="result">Payment ${escapeHtml(p.paymentId)}: ${escapeHtml(p.status)}</p><p>No return_url is set on the payment or its profile, so there is nowhere to send you back to.</p></div>`;
        return html(200, page('Payment result', inner));
      }
      const target = new URL(returnUrl);
      target.searchParams.append('status', p.status);
      target.searchParams.append('payment_id', p.paymentId);
      target.searchParams.append('payment_intent_client_secret', p.clientSecret);
      target.searchParams.append('amount', String(p.amount));
      target.searchParams.append('manual_retry_allowed', String(p.manualRetryAllowed ?? false));
      if (profile?.webhookSecret) {
        target.searchParams.append('signature', signRedirectQuery(target.searchParams, profile.webhookSecret));
        target.searchParams.append('signature_algorithm', REDIRECT_SIGNATURE_ALGORITHM);
      }
      return { status: 302, body: '', headers: { location: target.toString(), ...NO_STORE } };
    },
  },
];
