/**
 * One audit-log row (`billing_audit_log`): who changed what. `actor` is e.g. `user:<id>`, `phonepe:webhook`,
 * `phonepe:redirect`, `system:reconcile`, `worker:<id>`.
 */
export interface AuditRecord {
  id: string;
  workspaceId: string;
  actor: string;
  action: string;
  entityType: 'payment' | 'refund' | 'subscription' | 'usage' | 'webhook' | 'plan';
  entityId: string;
  data: Record<string, unknown>;
  createdAt: number;
}
