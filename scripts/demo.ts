// `npm run demo`: the PhonePe emulator and the Hono example (examples/hono) on PGlite, driven through a
// whole subscription over HTTP, one line per step; exits 0 when every step passed, 1 with the reason when
// one did not. `npm run demo -- --serve` starts the same and keeps it running for a browser. With
// `--gateway razorpay` the Razorpay emulator starts too and the app's default gateway is Razorpay.
import { parseArgs } from 'node:util';
import { formatRupeesForDisplay } from 'phonepe-billing';
import { signJwt } from '../examples/common/jwt.js';
import { DEMO_WORKSPACE } from '../examples/common/memberships.js';
import { PLANS } from '../examples/common/plans.js';
import { runDemoFlow } from './demo/demo-flow.js';
import { startDemoStack, type DemoGateway, type DemoStack } from './demo/demo-stack.js';
import { DemoStepError } from './demo/demo-step-error.js';

const TIME_LIMIT_MS = 45_000;
const started = Date.now();
const print = (step: string, detail: string) => console.log(`  ✓ ${step.padEnd(15)} ${detail}`);

const USAGE = `Usage: npm run demo [-- [--gateway phonepe|razorpay] [--serve [--port 3000] [--emulator-port 8787] [--razorpay-port 8788]]]
  (no flag)             run the scripted flow; exit 0 when every step passed, 1 with the reason otherwise
  --gateway <name>      phonepe (default): pay on PhonePe's hosted page; razorpay: start the Razorpay emulator
                        too and pay through the app's checkout page with Razorpay's Checkout (the app's default)
  --serve               keep the emulator(s) and the example running for a browser (Ctrl-C stops them)
  --port <n>            the example app's port with --serve (default 3000, or any free one if taken; 0: any)
  --emulator-port <n>   the PhonePe emulator's port with --serve (default 8787, or any free one if taken; 0: any)
  --razorpay-port <n>   the Razorpay emulator's port with --serve --gateway razorpay (default 8788, likewise)`;
const { values } = parseOptions();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const gateway = gatewayOption(values.gateway);
const ports = {
  appPort: portOption(values.port, 3000),
  emulatorPort: portOption(values['emulator-port'], 8787),
  razorpayPort: portOption(values['razorpay-port'], 8788),
};
if (!values.serve) {
  // A hung step must not hang CI: exiting ends everything, since the emulator and the app run in this process.
  setTimeout(() => {
    console.error(`  ✗ ${'demo'.padEnd(15)} did not finish within ${TIME_LIMIT_MS / 1000} s`);
    process.exit(1);
  }, TIME_LIMIT_MS).unref();
}

let stack: DemoStack | undefined;
try {
  console.log(
    gateway === 'razorpay'
      ? 'phonepe-billing demo: the PhonePe and Razorpay emulators and the Hono example (examples/hono) on PGlite, paying through Razorpay, over HTTP\n'
      : 'phonepe-billing demo: the PhonePe emulator and the Hono example (examples/hono) on PGlite, over HTTP\n',
  );
  stack = await startDemoStack(values.serve ? ports : {}, gateway);
  print('emulator', `${stack.emu.url} (PhonePe v2 sandbox: OAuth, checkout, hosted page, webhooks)`);
  if (stack.razorpay)
    print('razorpay', `${stack.razorpay.url} (Razorpay emulator: /v1 API, checkout.js stand-in, signed webhooks)`);
  const prices = PLANS.map((p) => `${p.id} ${formatRupeesForDisplay(p.price)}`).join(', ');
  const gateways = stack.razorpay ? '; gateways phonepe, razorpay (default)' : '';
  print('app', `${stack.app.url} (Hono example, PGlite in memory: migrated; plans synced: ${prices}${gateways})`);
  if (values.serve) await serve(stack);
  else await runDemoFlow(stack, print);
  if (!values.serve)
    console.log(
      `\nAll steps passed in ${((Date.now() - started) / 1000).toFixed(1)} s. Next: \`npm run demo -- ${gateway === 'razorpay' ? '--gateway razorpay ' : ''}--serve\` to click through it in a browser.`,
    );
} catch (error) {
  const step = error instanceof DemoStepError ? error.step : 'demo';
  console.error(`  ✗ ${step.padEnd(15)} ${error instanceof Error ? error.message : String(error)}`);
  if (!(error instanceof DemoStepError)) console.error(error);
  process.exitCode = 1;
} finally {
  if (!values.serve || process.exitCode) await stack?.close();
}
if (!values.serve || process.exitCode) process.exit(process.exitCode ?? 0);

async function serve(running: DemoStack): Promise<void> {
  const hours = 12;
  const link = async (user: string) =>
    `${running.app.url}/#token=${await signJwt({ sub: user }, running.jwtSecret, { expiresInSeconds: hours * 3600 })}&workspace=${DEMO_WORKSPACE}`;
  // Expiry and refunds move in real time, as in `phonepe-billing emulator`.
  const sweeper = setInterval(() => {
    void running.emu.sweep();
    void running.razorpay?.sweep();
  }, 1_000);
  const razorpay = running.razorpay
    ? `\n  Razorpay       ${running.razorpay.url}   state: ${running.razorpay.url}/__emulator/state`
    : '';
  console.log(`
Serving. Open the billing page, subscribe, pay on the emulator's checkout page, and come back${running.razorpay ? ' (pick PhonePe or Razorpay; Razorpay is preselected)' : ''}:
  Billing page   ${await link('usr_owner')}
                 (signed in as usr_owner, owner of ${DEMO_WORKSPACE}; the token lasts ${hours} h and only works against this run)
  Read-only      ${await link('usr_member')}   (usr_member: sees billing, cannot change it)
  Billing API    ${running.app.url}/v1   e.g. curl ${running.app.url}/v1/plans
  Emulator       ${running.emu.url}   state: ${running.emu.url}/__emulator/state${razorpay}
Press Ctrl-C to stop (the PGlite database is in memory and goes with it).`);
  const stop = (signal: string) => {
    clearInterval(sweeper);
    console.log(`\n${signal}: stopping.`);
    void running.close().then(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

function parseOptions() {
  try {
    return parseArgs({
      options: {
        serve: { type: 'boolean', default: false },
        port: { type: 'string' },
        'emulator-port': { type: 'string' },
        'razorpay-port': { type: 'string' },
        gateway: { type: 'string', default: 'phonepe' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
}

function portOption(value: string | undefined, fallback: number): number {
  const port = Number(value ?? fallback);
  if (Number.isInteger(port) && port >= 0 && port <= 65_535) return port;
  console.error(`Ports are whole numbers from 0 to 65535, got "${value}".\n\n${USAGE}`);
  process.exit(2);
}

function gatewayOption(value: string): DemoGateway {
  if (value === 'phonepe' || value === 'razorpay') return value;
  console.error(`--gateway is phonepe or razorpay, got "${value}".\n\n${USAGE}`);
  process.exit(2);
}
