// A module hook that makes every @opentelemetry/* package unresolvable, as on a host that never installed
// the optional peer: `node --import tsx --import ./hide-opentelemetry.mjs script.ts`.
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
export async function resolve(specifier, context, next) {
  if (specifier.startsWith('@opentelemetry/')) {
    const error = new Error("Cannot find package '" + specifier + "' (hidden by hide-opentelemetry.mjs)");
    error.code = 'ERR_MODULE_NOT_FOUND';
    throw error;
  }
  return next(specifier, context);
}`)}`,
);
