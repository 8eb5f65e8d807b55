import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';

/** The repository's migrations, in the order they apply (what every migrate test expects to see applied). */
export const MIGRATION_NAMES: readonly string[] = readdirSync(resolve(import.meta.dirname, '../../migrations'))
  .filter((file) => /^\d{3}_[a-z0-9_]+\.sql$/.test(file))
  .sort()
  .map((file) => file.replace(/\.sql$/, ''));
