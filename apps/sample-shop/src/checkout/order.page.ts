import { escapeHtml, layout, MONEY_JS } from './layout';

/** The result of checking a 3DS return redirect, shown at the top of the order page. */
export interface ReturnCheck {
  verified: boolean;
  message: string;
}

/**
 * The order page: the order's live status (polled while the payment is in flight: it changes when
 * the webhook arrives), its amounts and history, and the merchant's actions (ship, cancel, refund).
 * The order is read with the customer's cookie; the actions need the shop's admin token, typed in
 * by the merchant and kept in this tab's sessionStorage. A real shop would put them in its back
 * office instead.
 */
export function renderOrderPage(orderId: string, check?: ReturnCheck): string {
  const banner =
    check === undefined
      ? ''
      : `<p id="return-check" class="banner${check.verified ? '' : ' bad'}" data-verified="${check.verified}">${escapeHtml(check.message)}</p>`;
  const body = `
<h1>Order <span id="order-id">${escapeHtml(orderId)}</span></h1>
${banner}
<p>Status: <span id="order-status" class="status">loading…</span></p>
<p id="failure" class="error"></p>
<table id="amounts"><tbody>
  <tr><td>Total</td><td class="num" id="amount"></td></tr>
  <tr><td>Authorized</td><td class="num" id="authorized"></td></tr>
  <tr><td>Captured</td><td class="num" id="captured"></td></tr>
  <tr><td>Refunded</td><td class="num" id="refunded"></td></tr>
</tbody></table>
<h2>Merchant actions</h2>
<div class="row"><label>Admin token <input id="admin-token" type="password" autocomplete="off" size="30" placeholder="SHOP_ADMIN_TOKEN"></label></div>
<div class="row"><input id="ship-amount" type="number" min="1" placeholder="cents (blank: all)"><button id="ship" disabled>Ship (capture)</button>
  <button id="cancel" disabled>Cancel (void)</button></div>
<div class="row"><input id="refund-amount" type="number" min="1" placeholder="cents (blank: all)"><button id="refund" disabled>Refund</button></div>
<p id="action-error" class="error" role="alert"></p>
<h2>Payment events applied</h2>
<table><thead><tr><th>Event</th><th>Source</th><th class="num">Amount</th><th>Order status</th></tr></thead><tbody id="history"></tbody></table>
<p><a href="/">New order</a></p>`;

  const script = `
${MONEY_JS}
const orderId = ${JSON.stringify(orderId).replace(/</g, '\\u003c')};
const path = '/orders/' + encodeURIComponent(orderId);
const IN_FLIGHT = ['pending_payment', 'requires_action'];
let timer;
function text(id, value) { document.getElementById(id).textContent = value; }
function render(order) {
  text('order-status', order.status);
  text('failure', order.failureReason ?? '');
  text('amount', money(order.amount, order.currency));
  text('authorized', money(order.authorizedAmount, order.currency));
  text('captured', money(order.capturedAmount, order.currency));
  text('refunded', money(order.refundedAmount, order.currency));
  document.getElementById('ship').disabled = order.capturableAmount === 0;
  document.getElementById('cancel').disabled = !['pending_payment', 'requires_action', 'authorized'].includes(order.status);
  document.getElementById('refund').disabled = order.refundableAmount === 0;
  const rows = order.history.map((entry) => {
    const row = document.createElement('tr');
    const amount = entry.amount === undefined ? '' : money(entry.amount, order.currency);
    [entry.type, entry.source, amount, entry.status].forEach((value, column) => {
      const cell = document.createElement('td');
      cell.textContent = value;
      if (column === 2) cell.className = 'num';
      row.append(cell);
    });
    return row;
  });
  document.getElementById('history').replaceChildren(...rows);
}
async function refresh() {
  try {
    const response = await fetch(path);
    const order = await response.json();
    if (!response.ok) throw new Error([].concat(order.message).join('; '));
    render(order);
    // Poll while the payment is in flight: the webhook moves the order on.
    clearTimeout(timer);
    if (IN_FLIGHT.includes(order.status)) timer = setTimeout(refresh, 1000);
  } catch (e) {
    text('action-error', e.message);
  }
}
const tokenInput = document.getElementById('admin-token');
tokenInput.value = sessionStorage.getItem('shop-admin-token') ?? '';
tokenInput.addEventListener('change', () => sessionStorage.setItem('shop-admin-token', tokenInput.value.trim()));
async function act(action, body) {
  text('action-error', '');
  const headers = { 'content-type': 'application/json', authorization: 'Bearer ' + tokenInput.value.trim() };
  const response = await fetch(path + '/' + action, { method: 'POST', headers, body: JSON.stringify(body) });
  const json = await response.json();
  if (!response.ok) text('action-error', [].concat(json.message).join('; '));
  await refresh();
}
function amountOf(id) {
  const value = document.getElementById(id).value.trim();
  return value === '' ? {} : { amount: Number(value) };
}
document.getElementById('ship').addEventListener('click', () => act('ship', amountOf('ship-amount')));
document.getElementById('cancel').addEventListener('click', () => act('cancel', {}));
document.getElementById('refund').addEventListener('click', () => act('refund', amountOf('refund-amount')));
refresh();`;
  return layout(`Order ${orderId}`, body, script);
}
