import { describe, expect, it } from 'vitest';
import { subscriptionDetails } from '../../src/billing/subscriptions.js';
import { subscriptionView } from '../../src/http/views.js';
import type { PlanRecord, SubscriptionRecord } from '../../src/storage/records.js';
import { aSubscription } from '../storage/conformance/fixtures.js';

// The subscription on the wire (GET /subscriptions and the answers of cancel, resume and change-plan),
// pinned byte for byte: the JSON text, key order included, for a manual and an autopay subscription.
const plan: PlanRecord = {
  id: 'pro',
  name: 'Pro',
  description: null,
  pricePaise: 299900,
  currency: 'INR',
  interval: 'month',
  limits: { projects: 50, seats: null, exports: 0 },
  features: ['sso', 'audit_log'],
  autopay: true,
  trialDays: 0,
  active: true,
  sortOrder: 1,
  createdAt: 0,
  updatedAt: 0,
};
const manual: SubscriptionRecord = aSubscription({
  id: 'sub_1',
  workspaceId: 'ws_1',
  currentPeriodStart: Date.UTC(2026, 10, 1),
  currentPeriodEnd: Date.UTC(2026, 11, 1),
  createdBy: null,
  createdAt: 0,
  updatedAt: 0,
});
const autopay: SubscriptionRecord = {
  ...manual,
  status: 'past_due',
  renewalMode: 'autopay',
  cancelAtPeriodEnd: true,
  cancelledAt: Date.UTC(2026, 10, 20, 10, 30),
  cancellationReason: 'too expensive',
  pendingPlanId: 'basic',
  merchantSubscriptionId: 'msub_1',
  mandateState: 'ACTIVE',
  mandateMaxAmountPaise: 299950,
  graceEndsAt: Date.UTC(2026, 11, 4, 12),
};
const counters = { projects: 3, api_calls: 7, exports: 1 };

describe('the subscription on the wire', () => {
  it('a manual subscription', () => {
    expect(JSON.stringify(subscriptionView(subscriptionDetails(manual, plan, counters)))).toBe(
      '{"id":"sub_1","workspace_id":"ws_1","plan_id":"pro","plan_name":"Pro","status":"active","renewal_mode":"manual",' +
        '"autopay":null,"current_period_start":"2026-11-01T00:00:00.000Z","current_period_end":"2026-12-01T00:00:00.000Z",' +
        '"cancel_at_period_end":false,"cancelled_at":null,"cancellation_reason":null,"pending_plan_id":null,"grace_ends_at":null,' +
        '"limits":{"projects":50,"seats":null,"exports":0},"features":["sso","audit_log"],' +
        '"usage":{"api_calls":{"current":7,"limit":null,"percentage":null},"exports":{"current":1,"limit":0,"percentage":100},' +
        '"projects":{"current":3,"limit":50,"percentage":6},"seats":{"current":0,"limit":null,"percentage":null}}}',
    );
  });

  it('an autopay subscription, cancelled at period end, past due, with a downgrade waiting', () => {
    expect(JSON.stringify(subscriptionView(subscriptionDetails(autopay, plan, {})))).toBe(
      '{"id":"sub_1","workspace_id":"ws_1","plan_id":"pro","plan_name":"Pro","status":"past_due","renewal_mode":"autopay",' +
        '"autopay":{"mandate_state":"ACTIVE","max_amount":"2999.50","max_amount_paise":299950},' +
        '"current_period_start":"2026-11-01T00:00:00.000Z","current_period_end":"2026-12-01T00:00:00.000Z",' +
        '"cancel_at_period_end":true,"cancelled_at":"2026-11-20T10:30:00.000Z","cancellation_reason":"too expensive",' +
        '"pending_plan_id":"basic","grace_ends_at":"2026-12-04T12:00:00.000Z",' +
        '"limits":{"projects":50,"seats":null,"exports":0},"features":["sso","audit_log"],' +
        '"usage":{"exports":{"current":0,"limit":0,"percentage":0},"projects":{"current":0,"limit":50,"percentage":0},' +
        '"seats":{"current":0,"limit":null,"percentage":null}}}',
    );
  });

  it('a mandate without a known maximum, on a subscription switched back to manual renewal', () => {
    const view = subscriptionView(
      subscriptionDetails({ ...manual, merchantSubscriptionId: 'msub_2', mandateState: 'REVOKED' }, plan, {}),
    );
    expect(JSON.stringify(view.autopay)).toBe('{"mandate_state":"REVOKED","max_amount":null,"max_amount_paise":null}');
  });
});
