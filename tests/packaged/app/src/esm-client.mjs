// The client from native ESM: named imports of a CommonJS package, a real call to the sandbox.
import { PaymntClient, PaymntNotFoundError } from '@paymnt/client';
import { createSandbox } from '@paymnt/sandbox';

const sandbox = await createSandbox({ port: 0 });
try {
  const paymnt = new PaymntClient({ apiKey: sandbox.apiKey, baseUrl: sandbox.url });
  const payment = await paymnt.payments.create({ amount: 1000, currency: 'EUR', authentication_type: 'no_three_ds' });
  let notFound = false;
  try {
    await paymnt.payments.retrieve('pay_doesnotexist000000000');
  } catch (error) {
    notFound = error instanceof PaymntNotFoundError;
  }
  console.log(JSON.stringify({ status: payment.status, notFound }));
} finally {
  await sandbox.close();
}
