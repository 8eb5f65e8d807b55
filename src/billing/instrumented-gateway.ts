import {
  type BillingInstruments,
  GATEWAY_OPERATIONS,
  type GatewayCallOutcome,
  type GatewayOperation,
} from './billing-instruments.js';
import type { PaymentGateway } from './payment-gateway.js';

const OPERATIONS: ReadonlySet<string> = new Set(GATEWAY_OPERATIONS);

/** How a call's error reads by the gateway's own rules; an error the gateway did not throw is `unexpected`. */
export function callOutcome(gateway: PaymentGateway, error: unknown): GatewayCallOutcome {
  try {
    return gateway.classifyFailure(error)?.kind ?? 'unexpected';
  } catch {
    return 'unexpected';
  }
}

/**
 * `gateway` with every call that reaches the gateway ({@link GATEWAY_OPERATIONS}) timed, counted by its
 * outcome and run in an OpenTelemetry span (`billing.gateway.<operation>`) when tracing is on. It is the
 * same gateway otherwise: every other member is the gateway's own (bound to it, so gateways with private
 * fields keep working), and a method the gateway lacks stays absent — the core tests for optional ones.
 * The gateway's errors and answers pass through unchanged.
 */
export function instrumentGateway(gateway: PaymentGateway, instruments: BillingInstruments): PaymentGateway {
  const wrapped = new Map<PropertyKey, unknown>();
  const timed =
    (operation: GatewayOperation, method: (...args: unknown[]) => Promise<unknown>) =>
    (...args: unknown[]) =>
      instruments.tracing.inSpan(
        `billing.gateway.${operation}`,
        { kind: 'client', attributes: { 'billing.gateway': gateway.name, 'billing.operation': operation } },
        async (span) => {
          const started = performance.now();
          try {
            const answer = await method.apply(gateway, args);
            instruments.gatewayCall(gateway.name, operation, 'ok', (performance.now() - started) / 1000);
            span.setAttribute('billing.outcome', 'ok');
            return answer;
          } catch (error) {
            const outcome = callOutcome(gateway, error);
            instruments.gatewayCall(gateway.name, operation, outcome, (performance.now() - started) / 1000);
            span.setAttribute('billing.outcome', outcome);
            throw error;
          }
        },
      );
  return new Proxy(gateway, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      let cached = wrapped.get(property);
      if (cached === undefined) {
        cached =
          typeof property === 'string' && OPERATIONS.has(property)
            ? timed(property as GatewayOperation, value as (...args: unknown[]) => Promise<unknown>)
            : (value as (...args: unknown[]) => unknown).bind(target);
        wrapped.set(property, cached);
      }
      return cached;
    },
  });
}
