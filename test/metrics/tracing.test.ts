import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lazyTracing, loadOpenTelemetryApi } from '../../src/metrics/tracing.js';
import { useBillingHarness } from '../billing/support/billing-harness.js';
import { subscribe } from '../billing/support/subscribe.js';
import { parseExposition } from '../support/prometheus-exposition.js';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const exporter = new InMemorySpanExporter();

beforeAll(() => {
  // The host's SDK: the library only ever talks to @opentelemetry/api, which forwards to this provider.
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
});
afterAll(() => {
  trace.disable();
});

describe('lazyTracing with @opentelemetry/api installed', () => {
  it('loads the API lazily and runs the function inside a span with its attributes', async () => {
    exporter.reset();
    expect(await loadOpenTelemetryApi()).not.toBeNull();
    const tracing = lazyTracing();
    const answer = await tracing.inSpan('unit.work', { kind: 'client', attributes: { a: 'b' } }, async (span) => {
      span.setAttribute('c', 1);
      return 42;
    });
    expect(answer).toBe(42);
    const [span] = exporter.getFinishedSpans();
    expect(span).toMatchObject({ name: 'unit.work', kind: 2, attributes: { a: 'b', c: 1 } });
    expect(span?.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('marks a span whose function throws as an error and rethrows the same error', async () => {
    exporter.reset();
    const failure = new Error('gateway down');
    await expect(
      lazyTracing().inSpan('unit.fail', { kind: 'internal', attributes: {} }, async () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    const [span] = exporter.getFinishedSpans();
    expect(span?.status).toMatchObject({ code: SpanStatusCode.ERROR, message: 'gateway down' });
    expect(span?.events.map((e) => e.name)).toEqual(['exception']);
  });

  it('runs the function as it is when the API cannot be loaded', async () => {
    exporter.reset();
    const tracing = lazyTracing(async () => null);
    expect(await tracing.inSpan('unit.none', { kind: 'internal', attributes: {} }, async () => 'ran')).toBe('ran');
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});

describe('spans around gateway calls, webhooks and settlement (memory)', () => {
  const h = useBillingHarness('memory');

  it('a paid checkout leaves client spans for the gateway calls, a webhook span and a settlement span', async () => {
    exporter.reset();
    await subscribe(h, 'ws_traced', 'pro');
    const spans = exporter.getFinishedSpans();
    const create = spans.find((s) => s.name === 'billing.gateway.createCheckout');
    expect(create).toMatchObject({
      kind: 2,
      attributes: { 'billing.gateway': 'phonepe', 'billing.operation': 'createCheckout', 'billing.outcome': 'ok' },
    });
    const webhook = spans.find(
      (s) => s.name === 'billing.webhook' && s.attributes['billing.event'] === 'checkout.order.completed',
    );
    expect(webhook?.attributes).toMatchObject({ 'billing.gateway': 'phonepe', 'billing.outcome': 'processed' });
    const settled = spans.filter(
      (s) => s.name === 'billing.settlement' && s.attributes['billing.payment.to'] === 'completed',
    );
    expect(settled).toHaveLength(1);
    expect(settled[0]?.attributes).toMatchObject({ 'billing.source': 'webhook', 'billing.outcome': 'changed' });
    // No span attribute carries a workspace id.
    expect(JSON.stringify(spans.map((s) => s.attributes))).not.toContain('ws_traced');
  });
});

describe('without @opentelemetry/api', () => {
  const script = join('test', 'metrics', 'support', 'billing-without-opentelemetry.ts');
  const start = (hooks: string[]) =>
    run(process.execPath, ['--import', 'tsx', ...hooks, script], { cwd: root, timeout: 60_000 });

  it('a process in which the package cannot be resolved still takes checkouts and serves metrics', {
    timeout: 90_000,
  }, async () => {
    const hidden = await start(['--import', './test/metrics/support/hide-opentelemetry.mjs']);
    const report = JSON.parse(hidden.stdout.trim().split('\n').at(-1)!) as {
      openTelemetryLoaded: boolean;
      state: string;
      metrics: string;
    };
    expect(report.openTelemetryLoaded).toBe(false);
    expect(report.state).toBe('pending');
    const parsed = parseExposition(report.metrics);
    expect(
      parsed.value('billing_gateway_calls_total', { gateway: 'phonepe', operation: 'createCheckout', outcome: 'ok' }),
    ).toBe(1);
    // The same script with the package resolvable does load it (so the hook above is what made the difference).
    const visible = await start([]);
    expect(JSON.parse(visible.stdout.trim().split('\n').at(-1)!)).toMatchObject({ openTelemetryLoaded: true });
  });
});
