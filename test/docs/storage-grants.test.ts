// docs/storage.md's role recipe is the one the PostgreSQL tests run (test/storage/support/grant-app-role.ts):
// the same grants, in the same order, and nothing more for the app role.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { billingGrantStatements } from '../storage/support/grant-app-role.js';
import { repoRoot } from './support/markdown-code-blocks.js';

const page = readFileSync(join(repoRoot, 'docs', 'storage.md'), 'utf8');
const section = page.slice(page.indexOf('## Row-level security and roles'));

describe('docs/storage.md: row-level security and roles', () => {
  it('documents exactly the grants test/storage/support/grant-app-role.ts runs, in that order', () => {
    const documented = section.split('\n').filter((line) => line.startsWith('grant '));
    expect(documented).toEqual(billingGrantStatements('app', 'billing_app', 'billing_worker'));
  });

  it('gives the app role nothing on the migrations table and no membership of the system role', () => {
    const appGrants = section.split('\n').filter((line) => line.startsWith('grant ') && /\bbilling_app\b/.test(line));
    expect(appGrants.length).toBeGreaterThan(0);
    expect(appGrants.join('\n')).not.toMatch(
      /phonepe_billing_migrations|all tables|phonepe_billing_system|create|alter|truncate|references|trigger/i,
    );
    expect(section).toContain("create role billing_app login password 'change-me' nosuperuser nobypassrls;");
    expect(section).toContain(
      "create role billing_worker login password 'change-me' nosuperuser nobypassrls in role phonepe_billing_system;",
    );
  });
});
