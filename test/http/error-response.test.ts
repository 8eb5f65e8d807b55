import { describe, expect, it } from 'vitest';
import { BillingError } from '../../src/billing/errors.js';
import { billingErrorJson, billingErrorResponse } from '../../src/http/index.js';
import { recordingLogger } from './support/http-harness.js';

describe('billingErrorJson and billingErrorResponse', () => {
  it('give the same status, headers and body, as parts or as a Response', async () => {
    const error = new BillingError('QUOTA_EXCEEDED', 'Workspace ws_1 has used 5 of 5 projects this period.');
    const parts = billingErrorJson(error);
    const response = billingErrorResponse(error);
    expect(parts).toEqual({
      status: 429,
      headers: {},
      body: {
        status: 'error',
        error: { code: 'QUOTA_EXCEEDED', message: 'Workspace ws_1 has used 5 of 5 projects this period.' },
      },
    });
    expect(response.status).toBe(parts.status);
    expect(await response.json()).toEqual(parts.body);
  });

  it('log an unexpected error with its stack, and never put it in the body', () => {
    const logger = recordingLogger();
    const { status, body } = billingErrorJson(new Error('boom'), { logger, context: { path: '/api/projects' } });
    expect([status, body.error.code]).toEqual([500, 'INTERNAL_ERROR']);
    expect(JSON.stringify(body)).not.toContain('boom');
    expect(logger.entries).toEqual([
      expect.objectContaining({
        level: 'error',
        obj: expect.objectContaining({
          path: '/api/projects',
          err: expect.objectContaining({ message: 'boom', stack: expect.any(String) }),
        }),
      }),
    ]);
  });
});
