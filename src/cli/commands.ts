/** One CLI sub-command: loaded lazily so `phonepe-billing migrate` never loads the emulator. */
export interface CliCommand {
  summary: string;
  load(): Promise<{ run(argv: readonly string[]): Promise<number> }>;
}

/** Every sub-command of the `phonepe-billing` CLI. Each lives in `src/cli/commands/<name>.ts`. */
export const cliCommands: Record<string, CliCommand> = {
  migrate: { summary: 'apply the pending SQL migrations to a PostgreSQL database', load: () => import('./commands/migrate.js') },
  emulator: { summary: 'start a local PhonePe v2 sandbox with a hosted checkout page', load: () => import('./commands/emulator.js') },
};
