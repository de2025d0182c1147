import type { Order } from './order';

/** A PDF string literal: ASCII only, with `\`, `(` and `)` escaped. */
function pdfText(text: string): string {
  return `(${text.replace(/[^\x20-\x7e]/g, '?').replace(/([\\()])/g, '\\$1')})`;
}

/**
 * The order's receipt as a one-page PDF (Helvetica, no dependencies): the evidence file the shop
 * attaches to a chargeback. Paymnt recognises a file's type from its bytes, so it must be a real PDF.
 */
export function receiptPdf(order: Order, shopName = 'Paymnt sample shop'): Uint8Array {
  const money = (minor: number): string => `${(minor / 100).toFixed(2)} ${order.currency}`;
  const lines = [
    `${shopName}: receipt for order ${order.id}`,
    `Placed ${order.createdAt}`,
    ...order.items.map((item) => `${item.quantity} x ${item.name} at ${money(item.unitAmount)}`),
    `Total ${money(order.amount)}, captured ${money(order.capturedAmount)}, refunded ${money(order.refundedAmount)}`,
    `Payment ${order.paymentId ?? '-'}`,
  ];
  const content = `BT /F1 12 Tf 50 800 Td 16 TL ${lines.map((line) => `${pdfText(line)} '`).join(' ')} ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, index) => {
    offsets.push(pdf.length);
    pdf += `${index + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(pdf);
}
