import { describe, expect, it } from 'vitest';
import { createProgress } from '../../src/cli/progress.js';

const collect = (isTTY: boolean) => {
  const written: string[] = [];
  return { stream: { isTTY, write: (text: string) => written.push(text) }, text: () => written.join('') };
};

describe('createProgress', () => {
  it('on a terminal: item lines scroll, one live count below them is replaced in place and cleared at the end', () => {
    const out = collect(true);
    const progress = createProgress(out.stream, 'reconcile');
    progress.tick(0, 2);
    progress.line('payment ord_1 (ws_1): pending -> completed [settled]');
    progress.tick(1, 2);
    progress.tick(2, 2);
    progress.end();
    expect(out.text()).toBe(
      '\r\x1b[2Kreconcile: 0/2\r\x1b[2Kpayment ord_1 (ws_1): pending -> completed [settled]\n' +
        '\r\x1b[2Kreconcile: 1/2\r\x1b[2Kreconcile: 2/2\r\x1b[2K',
    );
  });

  it('elsewhere (cron, CI, logs): only the plain item lines, without a control character', () => {
    const out = collect(false);
    const progress = createProgress(out.stream, 'renew');
    progress.tick(0, null);
    progress.line('sub_1 (ws_1): notified — sent; next 2026-12-01T00:00:00.000Z');
    progress.tick(1, null);
    progress.end();
    expect(out.text()).toBe('sub_1 (ws_1): notified — sent; next 2026-12-01T00:00:00.000Z\n');
  });
});
