#!/usr/bin/env node
import { runCli } from './run-cli.js';

// The `phonepe-billing` command. Exit code: 0 on success, 1 on failure, 2 on bad usage.
runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`phonepe-billing: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
