// phonepe-billing/express — adapter (issue 6).
export {};
