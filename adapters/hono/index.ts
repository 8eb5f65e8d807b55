// phonepe-billing/hono — adapter (issue 6).
export {};
