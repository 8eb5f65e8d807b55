/** Where a long-running command writes: a terminal (`isTTY`) or a pipe, a file, a log collector. */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** How a long-running command reports: one line per item, and on a terminal a live count under them. */
export interface Progress {
  /** A finished item's line (permanent). */
  line(text: string): void;
  /** How far the run is; shown (and replaced in place) on a terminal only. */
  tick(done: number, total: number | null): void;
  /** Clears the live count before the summary. */
  end(): void;
}

const CLEAR = '\r\x1b[2K';

/**
 * Progress for `renew`, `reconcile` and other long runs: on a terminal, item lines scroll and one live line
 * below them says `<label>: 12/50`; elsewhere (cron, CI, a log collector) only the plain item lines are
 * written, one per item as it finishes — no control characters in logs.
 *
 * @example
 * const progress = createProgress(process.stdout, 'reconcile');
 * billing.reconcile({ onItem: (item, { done, total }) => { progress.line(describe(item)); progress.tick(done, total); } });
 */
export function createProgress(stream: ProgressStream, label: string): Progress {
  const live = stream.isTTY === true;
  let shown = false;
  const clear = () => {
    if (live && shown) stream.write(CLEAR);
    shown = false;
  };
  return {
    line(text) {
      clear();
      stream.write(`${text}\n`);
    },
    tick(done, total) {
      if (!live) return;
      stream.write(`${CLEAR}${label}: ${done}${total === null ? '' : `/${total}`}`);
      shown = true;
    },
    end: clear,
  };
}
