import { cliCommands } from './commands.js';

/** Runs one CLI invocation; returns the process exit code. Separate from main.ts so tests can call it. */
export async function runCli(argv: readonly string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    out.write(usage());
    return name ? 0 : 2;
  }
  const command = cliCommands[name];
  if (!command) {
    process.stderr.write(`phonepe-billing: unknown command "${name}".\n${usage()}`);
    return 2;
  }
  const mod = await command.load();
  return mod.run(rest);
}

function usage(): string {
  const lines = Object.entries(cliCommands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `Usage: phonepe-billing <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun "phonepe-billing <command> --help" for a command's options.\n`;
}
