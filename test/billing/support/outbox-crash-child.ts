// A host process that settles a paid order and dies with SIGKILL in its first hook: after the commit
// that wrote the billing events to the outbox, before any of them is recorded as delivered. It prints the
// eventId it was handed first, so the test can check that the event delivered later is the same one.
// Run as `node --import tsx outbox-crash-child.ts` with DATABASE_URL, PHONEPE_PG_URL, PHONEPE_OAUTH_URL,
// ORDER_ID and NOW (the emulator's virtual time, epoch ms).
import { writeSync } from 'node:fs';
import { createPgStore } from '../../../src/storage/kysely/create-pg-store.js';
import { crashTestManager } from './outbox-crash-wiring.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`outbox-crash-child: ${name} is not set`);
  return value;
};

const die = (event: { eventId: string }, hook: string): never => {
  // Synchronous, so the line is out before the signal.
  writeSync(1, `hook ${hook} ${event.eventId}\n`);
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
};

const store = await createPgStore({ connectionString: env('DATABASE_URL'), max: 2 });
const now = Number(env('NOW'));
const billing = crashTestManager({
  store,
  clock: { now: () => now },
  baseUrls: { pg: env('PHONEPE_PG_URL'), oauth: env('PHONEPE_OAUTH_URL') },
  hooks: {
    subscriptionActivated: (event) => die(event, 'subscriptionActivated'),
    paymentCompleted: (event) => die(event, 'paymentCompleted'),
  },
});
await billing.refreshPayment(env('ORDER_ID'));
// Reached only if no hook ran: the test fails on this line.
writeSync(1, 'settled without a hook\n');
await store.close();
