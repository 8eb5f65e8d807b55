import { conflictMessage } from '../conflict-message.js';
import { StoreConflictError, type StoreConstraint } from '../errors/store-conflict-error.js';
import type { MemoryJournal } from './memory-journal.js';

/** A unique rule of a memory table; `key` returns null for rows the rule does not cover (a partial index). */
export interface UniqueIndex<T> {
  readonly constraint: StoreConstraint;
  key(row: T): string | null;
}

/**
 * One table of the memory store: rows by primary key plus unique indexes named like the SQL ones.
 * Stored rows are JSON copies (as PostgreSQL's jsonb would store them) and deeply frozen; callers
 * get copies, so nothing outside the store can change what is stored.
 *
 * @example
 * const table = new MemoryTable<PlanRecord>('plans', (plan) => plan.id);
 */
export class MemoryTable<T extends object> {
  readonly #rows = new Map<string, T>();
  readonly #indexes: Array<{ index: UniqueIndex<T>; holders: Map<string, string> }>;

  constructor(
    readonly name: string,
    private readonly primaryKey: (row: T) => string,
    indexes: readonly UniqueIndex<T>[] = [],
  ) {
    this.#indexes = indexes.map((index) => ({ index, holders: new Map() }));
  }

  get(id: string): T | undefined {
    return this.#rows.get(id);
  }

  findUnique(constraint: StoreConstraint, key: string): T | undefined {
    const id = this.#indexes.find(({ index }) => index.constraint === constraint)?.holders.get(key);
    return id === undefined ? undefined : this.#rows.get(id);
  }

  rows(): T[] {
    return [...this.#rows.values()];
  }

  /** Inserts a new row; `StoreConflictError` if its id or a unique key is taken. */
  insert(row: T, journal: MemoryJournal, operation: string): T {
    if (this.#rows.has(this.primaryKey(row))) this.#conflict(operation, 'primary_key', row);
    return this.#write(row, journal, operation);
  }

  /** Writes a new version of a row (or a new row); `StoreConflictError` if a unique key is taken by another row. */
  put(row: T, journal: MemoryJournal, operation: string): T {
    return this.#write(row, journal, operation);
  }

  #write(row: T, journal: MemoryJournal, operation: string): T {
    const id = this.primaryKey(row);
    for (const { index, holders } of this.#indexes) {
      const key = index.key(row);
      const holder = key === null ? undefined : holders.get(key);
      if (holder !== undefined && holder !== id) this.#conflict(operation, index.constraint, row);
    }
    const previous = this.#rows.get(id);
    const stored = deepFreeze(JSON.parse(JSON.stringify(row)) as T);
    journal.record(() => this.#set(id, previous));
    this.#set(id, stored);
    return stored;
  }

  #set(id: string, row: T | undefined): void {
    const old = this.#rows.get(id);
    if (old) {
      for (const { index, holders } of this.#indexes) {
        const key = index.key(old);
        if (key !== null && holders.get(key) === id) holders.delete(key);
      }
    }
    if (row === undefined) {
      this.#rows.delete(id);
      return;
    }
    this.#rows.set(id, row);
    for (const { index, holders } of this.#indexes) {
      const key = index.key(row);
      if (key !== null) holders.set(key, id);
    }
  }

  #conflict(operation: string, constraint: StoreConstraint, row: T): never {
    throw new StoreConflictError(constraint, conflictMessage(operation, constraint, this.primaryKey(row)));
  }
}

function deepFreeze<V>(value: V): V {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
