import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isConfigError } from 'phonepe-billing';

/** A started example app. */
export interface RunningExample {
  /** Where it listens, e.g. `http://127.0.0.1:3000`. */
  url: string;
  /** Stops the server and closes the store. */
  close(): Promise<void>;
}

/** `PORT` (default 3000) and `HOST` (default 127.0.0.1) from the environment. */
export function listenAddress(env: Record<string, string | undefined>): { port: number; host: string } {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`PORT must be a port number from 0 to 65535, got "${env.PORT}".`);
  return { port, host: env.HOST?.trim() || '127.0.0.1' };
}

/** `http://host:port` for a listening address (IPv6 in brackets). */
export function originOf(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * When `moduleUrl` is the script node was started with, starts the example with `process.env`, prints
 * where it listens, and stops it cleanly on Ctrl-C or SIGTERM. A configuration mistake prints the message
 * (naming the variable) and exits 1. When imported (the demo, tests), does nothing.
 *
 * @example
 * runExample(import.meta.url, startHonoExample);
 */
export function runExample(
  moduleUrl: string,
  start: (env: Record<string, string | undefined>) => Promise<RunningExample>,
): void {
  if (!process.argv[1] || pathToFileURL(resolve(process.argv[1])).href !== moduleUrl) return;
  start(process.env).then(
    (running) => {
      console.log(`listening on ${running.url} (billing API under ${running.url}/v1, billing page at ${running.url}/)`);
      const stop = () => void running.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (error: unknown) => {
      // A ConfigError's message names the variable and what to set; anything else is worth its stack.
      console.error('Could not start:', isConfigError(error) ? error.message : error);
      process.exit(1);
    },
  );
}
