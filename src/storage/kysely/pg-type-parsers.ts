import { toEpochMs, toSafeInteger } from './column-codec.js';

/** The part of `pg.types` (or a pool's `types` option) this module reads or returns. */
export interface PgTypeParsers {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown;
}

const INT8_OID = 20;
const TIMESTAMPTZ_OID = 1184;

/**
 * Type parsers for one pool (`new pg.Pool({ types })`), never installed globally: a library must
 * not change how the host's other pg pools parse values. int8 (bigint, `count(*)`) becomes a number,
 * or the query fails rather than silently losing precision above 2^53; timestamptz becomes epoch
 * milliseconds. Everything else falls back to pg's defaults, read from `defaults` unchanged.
 *
 * @example
 * import pg from 'pg';
 * const pool = new pg.Pool({ connectionString, types: createPgTypeParsers(pg.types) });
 */
export function createPgTypeParsers(defaults: PgTypeParsers): PgTypeParsers {
  return {
    getTypeParser(oid, format = 'text') {
      if (format === 'text' && oid === INT8_OID) return (value) => toSafeInteger(value);
      if (format === 'text' && oid === TIMESTAMPTZ_OID) {
        const parseDate = defaults.getTypeParser(oid, format);
        return (value) => toEpochMs(parseDate(value));
      }
      return defaults.getTypeParser(oid, format);
    },
  };
}
