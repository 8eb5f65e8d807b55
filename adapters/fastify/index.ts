// phonepe-billing/fastify — adapter (issue 6).
export {};
