/**
 * The undo log of one memory-store transaction: every write records how to take itself back, and
 * a rollback replays those in reverse. Cost is proportional to what the transaction wrote, not to
 * the size of the store.
 *
 * @example
 * const journal = new MemoryJournal();
 * journal.record(() => rows.delete(id));
 * journal.rollback();
 */
export class MemoryJournal {
  readonly #undo: Array<() => void> = [];

  record(undo: () => void): void {
    this.#undo.push(undo);
  }

  rollback(): void {
    for (let i = this.#undo.length - 1; i >= 0; i -= 1) this.#undo[i]!();
    this.#undo.length = 0;
  }
}
