// How a record field becomes a SQL parameter and how a column value read back becomes a field
// again. Reading is lenient on purpose: a store over a host's own pool sees pg's defaults (int8 as
// a string, timestamptz as a Date), a store made by createPgStore/createPgliteStore sees numbers
// (see pg-type-parsers.ts); both end up as the same record.

/** One field <-> column conversion. `null` passes through both ways. */
export interface ColumnCodec {
  toDb(value: unknown): unknown;
  fromDb(value: unknown): unknown;
}

/** Text, booleans: passed as they are. */
export const plainCodec: ColumnCodec = {
  toDb: (value) => value,
  fromDb: (value) => value,
};

/** integer / bigint -> a safe JavaScript integer; refuses to lose precision. */
export const integerCodec: ColumnCodec = {
  toDb: (value) => value,
  fromDb: (value) => (value === null ? null : toSafeInteger(value)),
};

/** timestamptz <-> epoch milliseconds. */
export const epochMsCodec: ColumnCodec = {
  toDb: (value) => (value === null ? null : new Date(value as number)),
  fromDb: (value) => (value === null ? null : toEpochMs(value)),
};

/** jsonb: sent as JSON text (so arrays stay JSON arrays, not PostgreSQL arrays). */
export const jsonCodec: ColumnCodec = {
  toDb: (value) => JSON.stringify(value ?? null),
  fromDb: (value) => (typeof value === 'string' ? JSON.parse(value) : value),
};

/**
 * A bigint/integer column value as a safe integer.
 *
 * @example
 * toSafeInteger('42'); // 42
 */
export function toSafeInteger(value: unknown): number {
  const number =
    typeof value === 'number'
      ? value
      : typeof value === 'bigint' || typeof value === 'string'
        ? Number(value)
        : Number.NaN;
  if (!Number.isSafeInteger(number)) {
    throw new RangeError(
      `A database integer (${String(value)}) is not a safe JavaScript integer; amounts and counters must stay below 2^53.`,
    );
  }
  return number;
}

/**
 * A timestamptz column value (number, Date or pg text) as epoch milliseconds.
 *
 * @example
 * toEpochMs(new Date(0)); // 0
 */
export function toEpochMs(value: unknown): number {
  const ms =
    typeof value === 'number'
      ? value
      : value instanceof Date
        ? value.getTime()
        : typeof value === 'string'
          ? Date.parse(value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'))
          : Number.NaN;
  if (!Number.isFinite(ms))
    throw new RangeError(`A database timestamp (${String(value)}) is not a finite point in time.`);
  return ms;
}
