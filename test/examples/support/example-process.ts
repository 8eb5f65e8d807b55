import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';

/** The repository root (the examples and the demo run from here). */
export const REPO_ROOT = resolve(import.meta.dirname, '../../..');

/** A started process with everything it printed so far. */
export interface ExampleProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` on stdout; rejects when the process exits first or after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (null when killed by a signal). */
  exited(): Promise<number | null>;
  /** Sends `signal` (default SIGTERM) and waits for the exit; SIGKILL after 10 s. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts a TypeScript file of the repo the way the examples' README does: `node --import tsx <file>` with
 * examples/tsconfig.json (its `paths` resolve `phonepe-billing/*` to the source, no build needed). The
 * environment is only what is given plus PATH and HOME, so nothing of the test run's leaks in.
 */
export function startTsProcess(file: string, args: readonly string[], env: Record<string, string>): ExampleProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      TSX_TSCONFIG_PATH: 'examples/tsconfig.json',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exit = once(child, 'exit').then(([code]) => code as number | null);
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited: () => exit,
    waitFor: (pattern, timeoutMs = 30_000) =>
      waitForOutput(
        child,
        () => out,
        () => err,
        pattern,
        timeoutMs,
      ),
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      try {
        return await exit;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

function waitForOutput(
  child: ChildProcess,
  out: () => string,
  err: () => string,
  pattern: RegExp,
  timeoutMs: number,
): Promise<RegExpMatchArray> {
  return new Promise((resolvePromise, reject) => {
    const check = () => {
      const match = out().match(pattern);
      if (!match) return;
      cleanup();
      resolvePromise(match);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(
        new Error(`the process exited (${code}) before printing ${pattern}.\nstdout:\n${out()}\nstderr:\n${err()}`),
      );
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no ${pattern} on stdout within ${timeoutMs} ms.\nstdout:\n${out()}\nstderr:\n${err()}`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout!.off('data', check);
      child.off('exit', onExit);
    };
    child.stdout!.on('data', check);
    child.once('exit', onExit);
    check();
    if (child.exitCode !== null || child.signalCode !== null) onExit(child.exitCode);
  });
}
