/**
 * `startPhonePeEmulator` / `phonePeHandlers` got options they cannot use (unknown key, wrong type).
 *
 * @example
 * try { await startPhonePeEmulator({ prot: 0 } as never); }
 * catch (error) { if (error instanceof EmulatorOptionsError) console.log(error.message); }
 */
export class EmulatorOptionsError extends Error {
  override readonly name = 'EmulatorOptionsError' as const;
  readonly code = 'INVALID_EMULATOR_OPTIONS' as const;
}
