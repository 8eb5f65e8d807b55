import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import {
  inlineParameters,
  lastResultPool,
  preparedBatch,
  sqlLiteral,
} from '../../../src/storage/kysely/statement-batches.js';
import { emptyPgliteSnapshot } from '../support/pglite-snapshot.js';

describe('sqlLiteral', () => {
  it('doubles quotes and uses the E form (backslashes doubled) only when there is a backslash', () => {
    expect(sqlLiteral("it's")).toBe("'it''s'");
    expect(sqlLiteral('a\\b')).toBe(" E'a\\\\b'");
    expect(sqlLiteral("\\'); drop table x; --")).toBe(" E'\\\\''); drop table x; --'");
    expect(() => sqlLiteral('a\u0000')).toThrow(TypeError);
  });
});

describe('inlineParameters', () => {
  it('replaces placeholders with quoted literals that take their type from their place, as bound parameters do', () => {
    const at = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6));
    expect(
      inlineParameters('select $1, $2, $3, $4, $5, $6, $10', ['a', 7, true, null, at, 12n, 'ten', 0, 0, 'x']),
    ).toBe("select 'a', '7', 'true', NULL, '2026-01-02T03:04:05.006+00:00', '12', 'x'");
  });

  it('writes times as PostgreSQL reads them, far future and before year 1 included', () => {
    expect(inlineParameters('select $1, $2', [new Date(8.64e15), new Date(Date.UTC(-1, 0, 1))])).toBe(
      "select '275760-09-13T00:00:00.000+00:00', '0002-01-01T00:00:00.000+00:00 BC'",
    );
  });

  it('leaves quoted strings, quoted identifiers and comments alone', () => {
    expect(inlineParameters(`select '$1', "col$1", $1 -- $1\n, /* $1 */ $2`, ["o'k", 2])).toBe(
      `select '$1', "col$1", 'o''k' -- $1\n, /* $1 */ '2'`,
    );
    expect(inlineParameters(`select 'it''s $1', "a""$1", $1`, ['v'])).toBe(`select 'it''s $1', "a""$1", 'v'`);
  });

  it('gives up (null) where inlining might not mean the same', () => {
    expect(inlineParameters('select $$ $1 $$', ['a'])).toBeNull(); // dollar-quoted string
    expect(inlineParameters("select E'\\' $1'", ['a'])).toBeNull(); // backslash escapes
    expect(inlineParameters('select $1', [{ a: 1 }])).toBeNull();
    expect(inlineParameters('select $1', [[1, 2]])).toBeNull();
    expect(inlineParameters('select $1', [new Date(Number.NaN)])).toBeNull();
    expect(inlineParameters('select $1', ['a\u0000'])).toBeNull();
    expect(inlineParameters('select $2', ['a'])).toBeNull();
    expect(inlineParameters("select 'open", [])).toBeNull();
  });
});

describe('prepared batches on a session another client prepared', () => {
  // A PGlite store's pool closes its client when idle and opens a new one on the same (only) session, which
  // still holds the statements the old client prepared: PREPARE again would fail ("already exists").
  it('a new client on a PGlite session that has the statement executes it instead of preparing it again', async () => {
    const pglite = await PGlite.create({ loadDataDir: await emptyPgliteSnapshot() });
    const dbs = [1, 2].map(
      () =>
        new Kysely<any>({
          dialect: new PostgresDialect({ pool: lastResultPool(new pg.Pool({ ...createPgConfig(pglite), max: 1 })) }),
        }),
    );
    const text = preparedBatch(
      'shared_session_test_v1',
      'prepare shared_session_test_v1 (int) as select $1::int + 1 as n',
      'execute shared_session_test_v1(41)',
    );
    try {
      for (const db of [...dbs, ...dbs])
        expect((await sql.raw<{ n: number }>(text).execute(db)).rows[0]).toEqual({ n: 42 });
      const { rows } = await pglite.query('select count(*)::int as n from pg_prepared_statements');
      expect(rows).toEqual([{ n: 1 }]);
    } finally {
      for (const db of dbs) await db.destroy();
      await pglite.close();
    }
  });
});
