const LABELS = { complete: 'Complete Payment', reject: 'Reject Payment' } as const;

function decodeEntities(value: string): string {
  return value.replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name] ?? '');
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\b${name}="([^"]*)"`, 'i').exec(tag);
  return match === null ? undefined : decodeEntities(match[1]);
}

/**
 * Plays the customer on the sandbox's 3DS challenge, over plain HTTP: opens `redirectUrl` (the
 * payment's `next_action.redirect_to_url`), submits the form of the "Complete Payment" or
 * "Reject Payment" button, and returns where the sandbox then redirects: the shop's `return_url`
 * with the signed query. A browser does the same by clicking.
 */
export async function answerThreeDsChallenge(redirectUrl: string, answer: 'complete' | 'reject'): Promise<string> {
  const page = await fetch(redirectUrl);
  const html = await page.text();
  if (!page.ok) throw new Error(`The 3DS page answered ${page.status}`);
  const form = [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)].find(([, , inner]) => inner.includes(LABELS[answer]));
  if (form === undefined) throw new Error(`No "${LABELS[answer]}" button on the 3DS page`);
  const [, formAttributes, inner] = form;
  const target = new URL(attribute(formAttributes, 'action') ?? '', page.url);
  for (const [input] of inner.matchAll(/<input\b[^>]*>/gi)) {
    const name = attribute(input, 'name');
    if (name !== undefined) target.searchParams.set(name, attribute(input, 'value') ?? '');
  }
  const submitted = await fetch(target, { redirect: 'manual' });
  await submitted.body?.cancel();
  const location = submitted.headers.get('location');
  if (submitted.status !== 302 || location === null) throw new Error(`The 3DS page did not redirect back (HTTP ${submitted.status})`);
  return new URL(location, target).toString();
}
