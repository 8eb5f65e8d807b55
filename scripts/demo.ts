// `npm run demo`: the PhonePe emulator and the Hono example (examples/hono) on PGlite, driven through a
// whole subscription over HTTP, one line per step; exits 0 when every step passed, 1 with the reason when
// one did not. `npm run demo -- --serve` starts the same and keeps it running for a browser.
import { parseArgs } from 'node:util';
import { formatRupeesForDisplay } from 'phonepe-billing';
import { signJwt } from '../examples/common/jwt.js';
import { DEMO_WORKSPACE } from '../examples/common/memberships.js';
import { PLANS } from '../examples/common/plans.js';
import { runDemoFlow } from './demo/demo-flow.js';
import { startDemoStack, type DemoStack } from './demo/demo-stack.js';
import { DemoStepError } from './demo/demo-step-error.js';

const TIME_LIMIT_MS = 45_000;
const started = Date.now();
const print = (step: string, detail: string) => console.log(`  ✓ ${step.padEnd(15)} ${detail}`);

const USAGE = `Usage: npm run demo [-- --serve [--port 3000] [--emulator-port 8787]]
  (no flag)             run the scripted flow; exit 0 when every step passed, 1 with the reason otherwise
  --serve               keep the emulator and the example running for a browser (Ctrl-C stops them)
  --port <n>            the example app's port with --serve (default 3000, or any free one if taken; 0: any)
  --emulator-port <n>   the emulator's port with --serve (default 8787, or any free one if taken; 0: any)`;
const { values } = parseOptions();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const ports = { appPort: portOption(values.port, 3000), emulatorPort: portOption(values['emulator-port'], 8787) };
if (!values.serve) {
  // A hung step must not hang CI: exiting ends everything, since the emulator and the app run in this process.
  setTimeout(() => {
    console.error(`  ✗ ${'demo'.padEnd(15)} did not finish within ${TIME_LIMIT_MS / 1000} s`);
    process.exit(1);
  }, TIME_LIMIT_MS).unref();
}

let stack: DemoStack | undefined;
try {
  console.log('phonepe-billing demo: the PhonePe emulator and the Hono example (examples/hono) on PGlite, over HTTP\n');
  stack = await startDemoStack(values.serve ? ports : {});
  print('emulator', `${stack.emu.url} (PhonePe v2 sandbox: OAuth, checkout, hosted page, webhooks)`);
  const prices = PLANS.map((p) => `${p.id} ${formatRupeesForDisplay(p.price)}`).join(', ');
  print('app', `${stack.app.url} (Hono example, PGlite in memory: migrated; plans synced: ${prices})`);
  if (values.serve) await serve(stack);
  else await runDemoFlow(stack, print);
  if (!values.serve)
    console.log(
      `\nAll steps passed in ${((Date.now() - started) / 1000).toFixed(1)} s. Next: \`npm run demo -- --serve\` to click through it in a browser.`,
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
  const sweeper = setInterval(() => void running.emu.sweep(), 1_000);
  console.log(`
Serving. Open the billing page, subscribe, pay on the emulator's checkout page, and come back:
  Billing page   ${await link('usr_owner')}
                 (signed in as usr_owner, owner of ${DEMO_WORKSPACE}; the token lasts ${hours} h and only works against this run)
  Read-only      ${await link('usr_member')}   (usr_member: sees billing, cannot change it)
  Billing API    ${running.app.url}/v1   e.g. curl ${running.app.url}/v1/plans
  Emulator       ${running.emu.url}   state: ${running.emu.url}/__emulator/state
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
