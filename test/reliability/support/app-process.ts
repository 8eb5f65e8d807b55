import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../../..');
const CRASH_APP = resolve(import.meta.dirname, 'crash-app.ts');

/** How a child process ended. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The crash app started in `serve` mode, listening on `origin`. */
export interface AppProcess {
  origin: string;
  /** Resolves when the process ends (by itself, or killed). */
  exited: Promise<ProcessExit>;
  /** Ends the process (SIGTERM) and waits for it. */
  stop(): Promise<ProcessExit>;
}

/** A running child: `node [nodeArgs] --import tsx <script>`, with its output collected. */
export interface LaunchedProcess {
  child: ChildProcess;
  exited: Promise<ProcessExit>;
  output: () => { stdout: string; stderr: string };
}

/** Starts a TypeScript script of this repository as its own node process. */
export function launch(env: Record<string, string>, script = CRASH_APP, nodeArgs: string[] = []): LaunchedProcess {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => void (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  const exited = new Promise<ProcessExit>((done) =>
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr })),
  );
  return { child, exited, output: () => ({ stdout, stderr }) };
}

/** Starts the app on `port` and waits until it listens (or fails with what it printed). */
export async function startAppProcess(port: number, env: Record<string, string>): Promise<AppProcess> {
  const { child, exited, output } = launch({ ...env, CRASH_APP_MODE: 'serve', PORT: String(port) });
  await new Promise<void>((ready, fail) => {
    const check = () => {
      if (output().stdout.includes(`ready ${port}`)) ready();
    };
    child.stdout!.on('data', check);
    void exited.then((exit) =>
      fail(new Error(`the app exited before listening (${exit.code ?? exit.signal}): ${exit.stderr}`)),
    );
  });
  return {
    origin: `http://127.0.0.1:${port}`,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Runs one renewal pass in its own process (as `phonepe-billing renew` would) and waits for it to end. */
export function runRenewProcess(env: Record<string, string>): Promise<ProcessExit> {
  return launch({ ...env, CRASH_APP_MODE: 'renew' }).exited;
}

/** A TCP port free right now on 127.0.0.1 (the app keeps it across restarts, so webhooks find it again). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as { port: number };
  await new Promise<void>((closed) => server.close(() => closed()));
  return port;
}
