import { describe, expect, it } from 'vitest';
import { createBillingHandler } from '../../src/http/index.js';
import { isStoreInputError } from '../../src/storage/index.js';
import { ApiClient, handlerCaller } from '../http/support/api-client.js';
import { createHttpHarness } from '../http/support/http-harness.js';
import { subscribe } from '../http/support/mounted-api.js';
import { storeSnapshot } from '../http/support/store-snapshot.js';
import { databaseUrl } from '../support/environment.js';

// A host calling the manager directly (no HTTP edge in front) with text PostgreSQL cannot hold gets
// the same typed StoreInputError from every store, and nothing is written here or at PhonePe.
describe.each(databaseUrl ? (['memory', 'postgres'] as const) : (['memory'] as const))(
  'library callers with unstorable text (%s)',
  (backend) => {
    it('cancel and refund refuse a NUL character or a lone surrogate with StoreInputError, writing nothing', async () => {
      const h = await createHttpHarness({ backend });
      try {
        const orderId = await subscribe(
          h,
          new ApiClient(handlerCaller(createBillingHandler(h.options())), '/v1'),
          'ws_lib',
        );
        const before = await storeSnapshot(h.store, ['ws_lib']);
        const cancel = await h.billing
          .cancel('ws_lib', { reason: 'too\u0000expensive', atPeriodEnd: true, userId: 'u_owner' })
          .catch((e: unknown) => e);
        expect(isStoreInputError(cancel) && [cancel.operation, cancel.field, cancel.problem]).toEqual([
          'subscriptions.update',
          'cancellationReason',
          'nul_character',
        ]);
        const refund = await h.billing
          .refund(orderId, { amount: 100, reason: 'half \ud83d', requestedBy: 'u_owner', workspaceId: 'ws_lib' })
          .catch((e: unknown) => e);
        expect(isStoreInputError(refund) && [refund.operation, refund.field, refund.problem]).toEqual([
          'refunds.insert',
          'reason',
          'lone_surrogate',
        ]);
        expect(await storeSnapshot(h.store, ['ws_lib'])).toEqual(before);
        expect((h.emu.state() as { refunds: unknown[] }).refunds).toEqual([]);
      } finally {
        await h.close();
      }
    });
  },
);
