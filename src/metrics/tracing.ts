/**
 * Optional OpenTelemetry spans. `@opentelemetry/api` is an optional peer dependency: it is loaded on first
 * use with a dynamic import, and when it is not installed every span is a plain call. The API is a no-op
 * until the host registers a tracer provider (its SDK), so having it installed costs nothing otherwise.
 * Only the few members used are typed here, so no declaration of ours names the package.
 */

/** Attributes a span is given: bounded values only (no workspace ids, as with the metrics' labels). */
export type SpanAttributes = Readonly<Record<string, string | number | boolean>>;

/** What a traced function may add to its span. */
export interface SpanHandle {
  setAttribute(key: string, value: string | number | boolean): void;
}

// The members of @opentelemetry/api 1.x this module uses (structural, so nothing imports its types).
interface OtelSpan {
  setAttribute(key: string, value: string | number | boolean): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  recordException(exception: Error | string): unknown;
  end(): void;
}
interface OtelTracer {
  startActiveSpan<T>(
    name: string,
    options: { kind?: number; attributes?: Record<string, string | number | boolean> },
    fn: (span: OtelSpan) => T,
  ): T;
}
/** The part of `@opentelemetry/api` that tracing needs. */
export interface OpenTelemetryApi {
  trace: { getTracer(name: string, version?: string): OtelTracer };
}

/** OpenTelemetry's `SpanKind.INTERNAL` / `SpanKind.CLIENT`, and `SpanStatusCode.ERROR` (stable numbers of the API). */
export const SPAN_KIND = { internal: 0, client: 2 } as const;
const STATUS_ERROR = 2;

/**
 * `@opentelemetry/api` when it can be loaded, else `null` (not installed, or a runtime without dynamic
 * import). The specifier is a variable so that bundlers do not insist on resolving an optional package.
 */
export async function loadOpenTelemetryApi(): Promise<OpenTelemetryApi | null> {
  const specifier = '@opentelemetry/api';
  try {
    const loaded = (await import(/* @vite-ignore */ /* webpackIgnore: true */ specifier)) as {
      trace?: unknown;
      default?: { trace?: unknown };
    };
    const api = (loaded.trace ? loaded : loaded.default) as OpenTelemetryApi | undefined;
    return api && typeof api.trace?.getTracer === 'function' ? api : null;
  } catch {
    return null;
  }
}

/** Runs functions inside spans when OpenTelemetry is there, or just runs them. */
export interface Tracing {
  inSpan<T>(
    name: string,
    options: { kind: keyof typeof SPAN_KIND; attributes: SpanAttributes },
    fn: (span: SpanHandle) => Promise<T>,
  ): Promise<T>;
}

const noSpan: SpanHandle = { setAttribute() {} };

/** Spans that never happen (`tracing` off). */
export const noTracing: Tracing = { inSpan: (_name, _options, fn) => fn(noSpan) };

/**
 * Tracing that loads `@opentelemetry/api` on the first span (`load`, for tests) and uses the tracer
 * `phonepe-billing`; without it, functions run as they are. A span ends when its function settles; one
 * that throws is marked as an error with the exception recorded, and the error is rethrown unchanged.
 */
export function lazyTracing(
  load: () => Promise<OpenTelemetryApi | null> = loadOpenTelemetryApi,
  tracerName = 'phonepe-billing',
): Tracing {
  let tracer: Promise<OtelTracer | null> | undefined;
  return {
    async inSpan(name, options, fn) {
      tracer ??= load().then(
        (api) => api?.trace.getTracer(tracerName) ?? null,
        () => null,
      );
      const active = await tracer;
      if (!active) return fn(noSpan);
      return active.startActiveSpan(
        name,
        { kind: SPAN_KIND[options.kind], attributes: { ...options.attributes } },
        async (span) => {
          try {
            return await fn({ setAttribute: (key, value) => void span.setAttribute(key, value) });
          } catch (error) {
            span.recordException(error instanceof Error ? error : String(error));
            span.setStatus({ code: STATUS_ERROR, message: error instanceof Error ? error.message : String(error) });
            throw error;
          } finally {
            span.end();
          }
        },
      );
    },
  };
}
