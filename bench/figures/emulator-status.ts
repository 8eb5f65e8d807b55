import { ratePerSecond } from '../support/concurrency.js';
import type { BenchContext } from '../support/context.js';
import { size } from '../support/options.js';
import { atMost, formatRatio, formatSpread, valueRow, type FigureResult } from '../support/report.js';
import { alternate } from '../support/rounds.js';
import { seededEmulator } from '../support/seeded-emulator.js';
import { spread } from '../support/stats.js';

/** The emulator's order-status call at 100 vs 10,000 stored orders (cost per call, so the ratio is big/small). */
export async function emulatorStatusFigure({ options }: BenchContext): Promise<FigureResult> {
  const small = 100;
  const big = size(options, { quick: 1_000, full: 10_000 });
  const calls = size(options, { quick: 60, full: 150 });
  const rounds = size(options, { quick: 2, full: 5 });
  const few = await seededEmulator(small);
  const many = await seededEmulator(big);
  const samples = await alternate(
    {
      few: () => ratePerSecond(calls, 1, () => few.statusCall()),
      many: () => ratePerSecond(calls, 1, () => many.statusCall()),
    },
    rounds,
    { warmup: !options.quick },
  );
  const msFew = samples.few.map((rate) => 1000 / rate);
  const msMany = samples.many.map((rate) => 1000 / rate);
  const ratio = spread(msMany.map((ms, i) => ms / (msFew[i] as number)));
  return {
    section: 'emulator',
    rows: [
      valueRow({
        id: 'emulator.status',
        figure: `emulator order-status call, ${big.toLocaleString('en-US')} vs ${small} stored orders`,
        ours: `${formatSpread(spread(msMany), 'ms')} per call`,
        anchor: `${small} orders: ${formatSpread(spread(msFew), 'ms')}`,
        ratio: formatRatio(ratio),
        goal: atMost(1.2).label,
        met: ratio.median <= 1.2,
      }),
    ],
    notes: [
      `Emulator: two emulators built from the same core and handler \`startPhonePeEmulator\` serves, one holding ${small} paid checkout orders and one ${big.toLocaleString('en-US')} (stored directly through the core: creating them over HTTP would take minutes while each request costs O(orders)); ${calls} order-status calls per sample through the handler itself (no socket, so only the emulator's own cost), ${rounds} rounds. The ratio is time per call with many orders over time per call with few.`,
    ],
  };
}
