import { describe, expect, it } from 'vitest';
import { MAX_SERIES_PER_FAMILY, MetricsRegistry } from '../../src/metrics/metrics-registry.js';
import { parseExposition } from '../support/prometheus-exposition.js';

describe('MetricsRegistry', () => {
  it('renders counters with HELP/TYPE lines that a Prometheus text parser reads back', async () => {
    const registry = new MetricsRegistry();
    const calls = registry.counter({ name: 'x_calls_total', help: 'Calls.', labelNames: ['outcome'] });
    calls.inc({ outcome: 'ok' });
    calls.inc({ outcome: 'ok' }, 2);
    calls.inc({ outcome: 'refused' });
    calls.inc({ outcome: 'ok' }, -5); // counters never go down
    const text = await registry.expose();
    expect(text).toContain('# HELP x_calls_total Calls.\n# TYPE x_calls_total counter\n');
    expect(text.endsWith('\n')).toBe(true);
    const parsed = parseExposition(text);
    expect(parsed.families.map((f) => [f.name, f.type])).toEqual([['x_calls_total', 'COUNTER']]);
    expect(parsed.value('x_calls_total', { outcome: 'ok' })).toBe(3);
    expect(parsed.value('x_calls_total', { outcome: 'refused' })).toBe(1);
  });

  it('escapes label values and help text as the format asks (backslash, quote, line feed)', async () => {
    const registry = new MetricsRegistry();
    const odd = 'a\\b"c\nd';
    registry.counter({ name: 'x_total', help: 'Back\\slash and\nnew line.', labelNames: ['v'] }).inc({ v: odd });
    const text = await registry.expose();
    expect(text).toContain('x_total{v="a\\\\b\\"c\\nd"} 1');
    expect(text).toContain('# HELP x_total Back\\\\slash and\\nnew line.');
    const parsed = parseExposition(text);
    expect(parsed.series('x_total')[0]?.labels.v).toBe(odd);
    expect(parsed.families[0]?.help).toBe('Back\\slash and\nnew line.');
  });

  it('histogram buckets are cumulative, end in +Inf equal to _count, and _sum adds the observations', async () => {
    const registry = new MetricsRegistry();
    const latency = registry.histogram({
      name: 'x_seconds',
      help: 'Latency.',
      labelNames: ['op'],
      buckets: [0.1, 1, 0.01],
    });
    for (const value of [0.005, 0.05, 0.05, 0.5, 5, 50]) latency.observe({ op: 'get' }, value);
    latency.observe({ op: 'put' }, 0.2);
    const parsed = parseExposition(await registry.expose());
    expect(parsed.families[0]?.type).toBe('HISTOGRAM');
    const buckets = parsed.series('x_seconds_bucket', { op: 'get' }).map((s) => [s.labels.le, s.value]);
    expect(buckets).toEqual([
      ['0.01', 1],
      ['0.1', 3],
      ['1', 4],
      ['+Inf', 6],
    ]);
    expect(parsed.value('x_seconds_count', { op: 'get' })).toBe(6);
    expect(parsed.value('x_seconds_sum', { op: 'get' })).toBeCloseTo(55.605, 10);
    expect(parsed.series('x_seconds_bucket', { op: 'put' }).map((s) => s.value)).toEqual([0, 0, 1, 1]);
  });

  it('never holds more than MAX_SERIES_PER_FAMILY series: the rest is counted under `other`', async () => {
    const registry = new MetricsRegistry();
    const runaway = registry.counter({ name: 'x_total', help: 'Runaway.', labelNames: ['id', 'kind'] });
    for (let i = 0; i < MAX_SERIES_PER_FAMILY + 100; i++) runaway.inc({ id: `id_${i}`, kind: 'a' });
    expect(runaway.seriesCount).toBe(MAX_SERIES_PER_FAMILY + 1);
    const parsed = parseExposition(await registry.expose());
    expect(parsed.value('x_total', { id: 'other', kind: 'other' })).toBe(100);
    expect(parsed.value('x_total')).toBe(MAX_SERIES_PER_FAMILY + 100);
  });

  it('reads callback gauges at scrape time; one that fails is left out and reported, the rest is served', async () => {
    const failures: string[] = [];
    const registry = new MetricsRegistry((family) => failures.push(family));
    let depth = 3;
    registry.gauge({
      name: 'x_depth',
      help: 'Depth.',
      labelNames: [],
      collect: async () => [{ labels: {}, value: depth }],
    });
    registry.gauge({
      name: 'x_broken',
      help: 'Broken.',
      labelNames: ['state'],
      collect: async () => {
        throw new Error('database down');
      },
    });
    registry.counter({ name: 'x_total', help: 'Count.', labelNames: [] }).inc({});
    expect(parseExposition(await registry.expose()).value('x_depth')).toBe(3);
    depth = 7;
    const parsed = parseExposition(await registry.expose());
    expect(parsed.value('x_depth')).toBe(7);
    expect(parsed.families.map((f) => f.name)).toEqual(['x_depth', 'x_total']);
    expect(failures).toEqual(['x_broken', 'x_broken']);
  });

  it('refuses names the format does not allow, counters without _total, and a family registered twice', () => {
    const registry = new MetricsRegistry();
    expect(() => registry.counter({ name: 'bad-name_total', help: '', labelNames: [] })).toThrow(/metric name/);
    expect(() => registry.counter({ name: 'x_calls', help: '', labelNames: [] })).toThrow(/_total/);
    expect(() => registry.histogram({ name: 'x_h', help: '', labelNames: ['le'], buckets: [1] })).toThrow(/label/);
    registry.counter({ name: 'x_total', help: '', labelNames: [] });
    expect(() => registry.counter({ name: 'x_total', help: '', labelNames: [] })).toThrow(/twice/);
  });

  it('an empty registry exposes an empty document', async () => {
    expect(await new MetricsRegistry().expose()).toBe('');
  });
});
