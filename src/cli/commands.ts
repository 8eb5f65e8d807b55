/** One CLI sub-command: loaded lazily so `phonepe-billing migrate` never loads the emulator. */
export interface CliCommand {
  summary: string;
  load(): Promise<{ run(argv: readonly string[]): Promise<number> }>;
}

/** Every sub-command of the `phonepe-billing` CLI. Each lives in `src/cli/commands/<name>.ts`. */
export const cliCommands: Record<string, CliCommand> = {
  migrate: {
    summary: 'apply the pending SQL migrations to a PostgreSQL database',
    load: () => import('./commands/migrate.js'),
  },
  reconcile: {
    summary: 'check stale payments and refunds against PhonePe and settle them',
    load: () => import('./commands/reconcile.js'),
  },
  renew: {
    summary: 'run one pass of the renewal worker (reminders, autopay debits, expiry)',
    load: () => import('./commands/renew.js'),
  },
  report: {
    summary: "revenue and health per day, or a workspace's usage history, as a table or JSON",
    load: () => import('./commands/report.js'),
  },
  events: {
    summary: 'billing events of the outbox: counts, dead letters, replay, delivery through --hooks',
    load: () => import('./commands/events.js'),
  },
  purge: {
    summary: 'apply the retention policy: drop old raw webhook payloads (payments, refunds and audit stay)',
    load: () => import('./commands/purge.js'),
  },
  inspect: {
    summary: "show an order or a workspace as stored, beside the gateway's live view, with its audit trail",
    load: () => import('./commands/inspect.js'),
  },
  emulator: {
    summary: 'start a local PhonePe v2 sandbox with a hosted checkout page',
    load: () => import('./commands/emulator.js'),
  },
};
