import { escapeHtml, layout, MONEY_JS } from './layout';

/** What the sample sells. Prices in minor units (cents). */
export const CATALOGUE = [
  { sku: 'beans', name: 'Coffee beans, 1 kg', unitAmount: 2400 },
  { sku: 'mug', name: 'Ceramic mug', unitAmount: 1250 },
  { sku: 'filters', name: 'Paper filters (100)', unitAmount: 450 },
] as const;

/** The sandbox's test cards (PAYMNT_API.md section 7). */
export const TEST_CARDS = [
  { number: '4242424242424242', outcome: 'Succeeds' },
  { number: '4000003800000446', outcome: 'Asks for 3DS: complete or reject the challenge' },
  { number: '4000000000000002', outcome: 'Declined' },
  { number: '4000000000009995', outcome: 'Declined: insufficient funds' },
  { number: '4000000000000259', outcome: 'Succeeds, then disputed (a chargeback) once shipped' },
] as const;

/** The checkout page: a cart, the card form, and the flow to the order page (through 3DS when asked). */
export function renderCheckoutPage(currency = 'USD'): string {
  const rows = CATALOGUE.map(
    (p) => `<tr><td>${escapeHtml(p.name)}</td><td class="num" data-price="${p.unitAmount}"></td>
      <td class="num"><input id="qty-${p.sku}" data-sku="${p.sku}" type="number" min="0" max="1000" value="${p.sku === 'beans' ? 1 : 0}" style="width:5rem"></td></tr>`,
  ).join('\n');
  const cards = TEST_CARDS.map(
    (c) => `<tr><td><code>${c.number}</code></td><td>${escapeHtml(c.outcome)}</td><td><button type="button" class="use-card" data-card="${c.number}">Use</button></td></tr>`,
  ).join('\n');
  const body = `
<h1>Checkout</h1>
<p class="muted">A sample shop on <code>@paymnt/nestjs</code>. Cards are charged when the order ships (manual capture).</p>
<h2>Cart</h2>
<table id="cart"><thead><tr><th>Item</th><th class="num">Price</th><th class="num">Quantity</th></tr></thead>
<tbody>${rows}</tbody>
<tfoot><tr><th>Total</th><th></th><th class="num" id="total"></th></tr></tfoot></table>
<h2>Card</h2>
<form id="pay-form" autocomplete="off">
  <div class="row"><label>Number <input id="card-number" inputmode="numeric" value="4242424242424242" size="22" required></label></div>
  <div class="row">
    <label>Expiry <input id="card-exp-month" value="12" size="2" required> / <input id="card-exp-year" value="2030" size="4" required></label>
    <label>CVC <input id="card-cvc" value="123" size="4" required></label>
  </div>
  <div class="row"><button id="pay" type="submit">Pay</button></div>
  <p id="error" class="error" role="alert"></p>
</form>
<h2>Test cards</h2>
<table id="test-cards"><tbody>${cards}</tbody></table>
<p class="muted">Any future expiry and any CVC work. The card goes from this page straight to Paymnt, with the publishable key and the payment's client secret: the shop's server never receives it (out of its PCI scope). A real shop would use Paymnt's hosted fields for the same flow.</p>`;

  const script = `
${MONEY_JS}
const currency = ${JSON.stringify(currency)};
const quantities = [...document.querySelectorAll('#cart input[data-sku]')];
for (const cell of document.querySelectorAll('[data-price]')) cell.textContent = money(Number(cell.dataset.price), currency);
const catalogue = ${JSON.stringify(CATALOGUE)};
function cart() {
  return quantities
    .map((input) => ({ product: catalogue.find((p) => p.sku === input.dataset.sku), quantity: Number(input.value) }))
    .filter((line) => Number.isInteger(line.quantity) && line.quantity > 0)
    .map((line) => ({ name: line.product.name, quantity: line.quantity, unitAmount: line.product.unitAmount }));
}
function total(items) { return items.reduce((sum, item) => sum + item.quantity * item.unitAmount, 0); }
function renderTotal() { document.getElementById('total').textContent = money(total(cart()), currency); }
quantities.forEach((input) => input.addEventListener('input', renderTotal));
renderTotal();
for (const button of document.querySelectorAll('.use-card')) {
  button.addEventListener('click', () => { document.getElementById('card-number').value = button.dataset.card; });
}
async function post(path, body) {
  const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = await response.json();
  if (!response.ok) throw new Error([].concat(json.message).join('; '));
  return json;
}
// The card goes to Paymnt's API, never to the shop: the publishable key and the payment's client
// secret only let this page confirm (and read) this one payment.
async function confirmWithPaymnt(checkout, card) {
  const response = await fetch(checkout.apiBaseUrl + '/payments/' + encodeURIComponent(checkout.paymentId) + '/confirm', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'api-key': checkout.publishableKey },
    body: JSON.stringify({
      client_secret: checkout.clientSecret,
      payment_method: 'card',
      payment_method_type: 'credit',
      payment_method_data: { card },
      browser_info: { user_agent: navigator.userAgent, language: navigator.language, screen_width: screen.width, screen_height: screen.height },
    }),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(json.error?.message ?? 'Paymnt refused the card');
  return json;
}
// An order whose card was refused (a typo) is paid on the next try rather than created again.
let pending = null;
document.getElementById('pay-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const pay = document.getElementById('pay');
  const error = document.getElementById('error');
  pay.disabled = true;
  error.textContent = '';
  try {
    const items = cart();
    if (pending === null || pending.cart !== JSON.stringify(items)) {
      const created = await post('/orders', { amount: total(items), currency, items });
      pending = { id: created.id, cart: JSON.stringify(items) };
    }
    const order = pending;
    // The shop creates (or hands out again) the payment; this page brings the card.
    const checkout = await post('/orders/' + encodeURIComponent(order.id) + '/checkout', {});
    const payment = await confirmWithPaymnt(checkout, {
      card_number: document.getElementById('card-number').value.replace(/\\s+/g, ''),
      card_exp_month: document.getElementById('card-exp-month').value.trim(),
      card_exp_year: document.getElementById('card-exp-year').value.trim(),
      card_cvc: document.getElementById('card-cvc').value.trim(),
    });
    // 3DS: the card's issuer wants the customer; Paymnt sends them back to /checkout/return/:id.
    const next = payment.next_action;
    window.location.assign(next?.type === 'redirect_to_url' ? next.redirect_to_url : '/checkout/orders/' + encodeURIComponent(order.id));
  } catch (e) {
    error.textContent = e.message;
    pay.disabled = false;
  }
});`;
  return layout('Checkout', body, script);
}
