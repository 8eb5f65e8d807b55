// phonepe-billing/testing — the PhonePe emulator and msw handlers (issue 3).
export {};
