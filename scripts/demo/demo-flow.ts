import { signJwt } from '../../examples/common/jwt.js';
import { DEMO_WORKSPACE } from '../../examples/common/memberships.js';
import { demoClient, getManual } from './demo-http.js';
import { DemoStepError, describeAnswer, expectStep } from './demo-step-error.js';
import type { DemoStack } from './demo-stack.js';
import { submitHostedPage } from './hosted-page.js';
import { payOnRazorpayCheckout } from './razorpay-checkout.js';

const PLAN = { id: 'pro', amount: '2999.00' };
const day = (iso: string) => iso.slice(0, 10);
const usageLine = (usage: Record<string, { current: number; limit: number | null; percentage: number | null }>) =>
  Object.entries(usage)
    .map(
      ([metric, u]) => `${metric} ${u.current}/${u.limit ?? '∞'}${u.percentage === null ? '' : ` (${u.percentage}%)`}`,
    )
    .join(', ');

type Print = (step: string, detail: string) => void;

/**
 * The scripted flow, over HTTP against the running example: create a payment, pay it (on PhonePe's hosted
 * page, or — when the stack has the Razorpay emulator, the app's default gateway — on our checkout page
 * with Razorpay's Checkout), follow the callback, see the webhook, read the subscription, use a quota,
 * cancel at period end. Each step prints one line through `print` and throws a `DemoStepError` naming it
 * when something is off.
 */
export async function runDemoFlow(stack: DemoStack, print: Print): Promise<void> {
  const { app } = stack;
  const token = await signJwt({ sub: 'usr_owner' }, stack.jwtSecret, { expiresInSeconds: 600 });
  print('sign in', `owner JWT (HS256, 10 min) for usr_owner in workspace ${DEMO_WORKSPACE}`);
  const api = demoClient(app.url, { token, workspace: DEMO_WORKSPACE });

  // No `gateway` in the body: the payment goes to the app's default (BILLING_DEFAULT_GATEWAY).
  const created = await api('POST', '/v1/payments/create', {
    plan_id: PLAN.id,
    amount: PLAN.amount,
    return_url: `${app.url}/`,
  });
  expectStep(
    'create payment',
    created.status === 200 && created.json?.payment_url && (!stack.razorpay || created.json.gateway === 'razorpay'),
    () => describeAnswer(created),
  );
  const orderId: string = created.json.order_id;
  print(
    'create payment',
    `POST /v1/payments/create plan=${PLAN.id} amount=${PLAN.amount} → ${created.status}${stack.razorpay ? ` gateway=${created.json.gateway}` : ''} order_id=${orderId}`,
  );

  if (stack.razorpay) await payOnRazorpay(stack, created.json.payment_url, orderId, print);
  else await payOnPhonePe(stack, created.json.payment_url, orderId, print);

  const sub = await api('GET', '/v1/subscriptions');
  const s = sub.json?.data?.subscription;
  expectStep(
    'subscription',
    sub.status === 200 && s?.status === 'active' && s.plan_id === PLAN.id,
    () => `${describeAnswer(sub)} subscription=${JSON.stringify(s)}`,
  );
  print(
    'subscription',
    `GET /v1/subscriptions → ${s.plan_name} ${s.status} until ${day(s.current_period_end)}; usage ${usageLine(sub.json.data.usage)}`,
  );

  const project = await api('POST', '/api/projects');
  expectStep('record usage', project.status === 201 && project.json?.usage?.current === 1, () =>
    describeAnswer(project),
  );
  const u = project.json.usage;
  print('record usage', `POST /api/projects → ${project.status}; projects ${u.current}/${u.limit} (${u.percentage}%)`);

  const cancel = await api('PUT', '/v1/subscriptions/cancel', {
    cancellation_reason: 'Demo: cancel at period end',
    at_period_end: true,
  });
  const c = cancel.json?.subscription;
  expectStep('cancel', cancel.status === 200 && c?.cancel_at_period_end === true && c.status === 'active', () =>
    describeAnswer(cancel),
  );
  print(
    'cancel',
    `PUT /v1/subscriptions/cancel → ${c.status}, cancel_at_period_end=true, access until ${day(c.current_period_end)}`,
  );
}

/** PhonePe: the hosted page (opened as checkout.js does), its redirect to the callback, the webhook. */
async function payOnPhonePe(stack: DemoStack, paymentUrl: string, orderId: string, print: Print): Promise<void> {
  const { app, emu } = stack;
  const visit = await submitHostedPage(paymentUrl, `${app.url}/`, 'pay');
  expectStep(
    'pay',
    visit.status === 302 && visit.location?.startsWith(`${app.url}/v1/payments/callback`),
    () => `the hosted page's Pay answered ${visit.status} → ${visit.location}`,
  );
  print(
    'hosted page',
    `${paymentUrl.split('?')[0]} shows ${visit.amountText}; Pay → 302 ${new URL(visit.location!).pathname}`,
  );

  const callback = await getManual(visit.location!);
  const expected = `${app.url}/?payment_status=completed&order_id=${orderId}`;
  expectStep(
    'callback',
    callback.status === 302 && callback.location === expected,
    () => `GET ${visit.location} answered ${describeAnswer(callback)} → ${callback.location}`,
  );
  const page = await getManual(callback.location!);
  expectStep(
    'callback',
    page.status === 200 && page.text.includes('<title>Billing'),
    () => `the billing page answered HTTP ${page.status}`,
  );
  print('callback', `GET /v1/payments/callback → 302 /?payment_status=completed → billing page ${page.status}`);

  await emu.webhooks.idle();
  const delivery = emu.webhooks.deliveries.find(
    (d) => d.event === 'checkout.order.completed' && d.body.includes(orderId),
  );
  const statuses = delivery?.attempts.map((a) => a.status) ?? [];
  expectStep(
    'webhook',
    statuses.at(-1) === 200,
    () => `no checkout.order.completed webhook was accepted (attempts: ${statuses.join(', ') || 'none'})`,
  );
  print(
    'webhook',
    `checkout.order.completed → POST /v1/payments/webhook → ${statuses.join(', ')} (Authorization checked, order confirmed with PhonePe)`,
  );
}

/**
 * Razorpay: our checkout page, Razorpay's Checkout (the emulator's stand-in) and its Pay, the signed result
 * posted to the callback as the script posts it, the 303 back to the billing page, the signed webhooks.
 */
async function payOnRazorpay(stack: DemoStack, paymentUrl: string, orderId: string, print: Print): Promise<void> {
  const { app } = stack;
  const razorpay = stack.razorpay!;
  const visit = await payOnRazorpayCheckout(paymentUrl).catch((error: unknown) => {
    throw new DemoStepError('checkout page', error instanceof Error ? error.message : String(error));
  });
  const callbackUrl = `${app.url}/v1/payments/callback?order_id=${orderId}`;
  expectStep(
    'checkout page',
    visit.options.callback_url === callbackUrl && visit.result.razorpay_order_id === visit.options.order_id,
    () => `the checkout page opened ${JSON.stringify(visit.options)} and Pay answered ${JSON.stringify(visit.result)}`,
  );
  print(
    'checkout page',
    `GET ${new URL(paymentUrl).pathname} → 200, opens ${visit.scriptUrl} for ${visit.options.order_id}`,
  );
  print(
    'razorpay pay',
    `the emulator's Checkout shows ${visit.amountText}; Pay → ${visit.result.razorpay_payment_id}, signed`,
  );

  // Without a `handler`, checkout.js POSTs the three fields to callback_url as a form.
  const answer = await fetch(visit.options.callback_url, {
    method: 'POST',
    body: new URLSearchParams(visit.result),
    redirect: 'manual',
  });
  const callback = { status: answer.status, location: answer.headers.get('location'), text: await answer.text() };
  const expected = `${app.url}/?payment_status=completed&order_id=${orderId}`;
  expectStep(
    'callback',
    callback.status === 303 && callback.location === expected,
    () => `POST ${callbackUrl} answered HTTP ${callback.status} ${callback.text.slice(0, 200)} → ${callback.location}`,
  );
  const page = await getManual(callback.location!);
  expectStep(
    'callback',
    page.status === 200 && page.text.includes('<title>Billing'),
    () => `the billing page answered HTTP ${page.status}`,
  );
  print(
    'callback',
    `POST /v1/payments/callback (signature checked) → 303 /?payment_status=completed → billing page ${page.status}`,
  );

  await razorpay.webhooks.idle();
  const deliveries = razorpay.webhooks.deliveries.filter((d) => d.body.includes(visit.options.order_id));
  const accepted = deliveries.map((d) => `${d.event} ${d.attempts.map((a) => a.status).join(', ') || 'none'}`);
  expectStep(
    'webhook',
    deliveries.some((d) => d.event === 'order.paid') && deliveries.every((d) => d.attempts.at(-1)?.status === 200),
    () => `the Razorpay webhooks were not all accepted (${accepted.join('; ') || 'none sent'})`,
  );
  print(
    'webhook',
    `${accepted.join(', ')} → POST /v1/payments/webhook/razorpay (X-Razorpay-Signature checked, payment read from Razorpay)`,
  );
}
