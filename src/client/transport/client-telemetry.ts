import type { Logger } from '../../common/logger.js';
import type { PhonePeClientEvent, PhonePeEventListener } from '../client-events.js';

/**
 * The one place the client reports what it does: events to `onEvent`, lines to `logger`. Both
 * receive only method, path, status, timings and codes — never a body, token, secret or header.
 */
export interface ClientTelemetry {
  readonly logger: Logger;
  /** False when nobody listens: callers skip building events nobody will see. */
  readonly listening: boolean;
  emit(event: PhonePeClientEvent): void;
}

/** Wraps the caller's listener so a throwing metrics hook can never fail a payment call. */
export function createClientTelemetry(logger: Logger, onEvent: PhonePeEventListener | undefined): ClientTelemetry {
  return {
    logger,
    listening: onEvent !== undefined,
    emit(event) {
      if (onEvent === undefined) return;
      try {
        onEvent(event);
      } catch (error) {
        logger.warn(
          { eventType: event.type, error: error instanceof Error ? error.message : String(error) },
          'PhonePe onEvent listener threw; ignored',
        );
      }
    },
  };
}
