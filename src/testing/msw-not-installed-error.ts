/**
 * `phonePeHandlers()` was called but the optional peer dependency msw (2.x) is not installed.
 *
 * @example
 * try { phonePeHandlers(); } catch (error) { if (error instanceof MswNotInstalledError) console.log(error.message); }
 */
export class MswNotInstalledError extends Error {
  override readonly name = 'MswNotInstalledError' as const;
  readonly code = 'MSW_NOT_INSTALLED' as const;
}
