/**
 * The emulator's server could not listen (port taken, host not available).
 *
 * @example
 * try { await startPhonePeEmulator({ port: 8787 }); }
 * catch (error) { if (error instanceof EmulatorStartError) await startPhonePeEmulator({ port: 0 }); }
 */
export class EmulatorStartError extends Error {
  override readonly name = 'EmulatorStartError' as const;
  readonly code = 'EMULATOR_START_FAILED' as const;
}
