import type { IdGenerator } from '../../common/id-generator.js';
import type { MemoryJournal } from './memory-journal.js';
import type { MemoryTables } from './memory-tables.js';

/** What each memory repository works on inside one transaction. */
export interface MemoryContext {
  readonly tables: MemoryTables;
  readonly journal: MemoryJournal;
  /** The scope's workspace; `null` under the system scope. */
  readonly workspace: string | null;
  readonly ids: IdGenerator;
}

/** A copy for the caller: stored rows are frozen and shared, callers get their own. */
export function copyOut<T>(row: T): T {
  return structuredClone(row);
}
