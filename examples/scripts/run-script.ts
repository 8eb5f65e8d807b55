import { isConfigError } from 'phonepe-billing';
import { openExampleBilling, type ExampleBilling } from '../common/example-billing.js';

/**
 * Runs one script body with the example's billing (from `process.env`), closes the store, and sets the
 * exit code: 0, or 1 with the reason on stderr (a ConfigError names the variable to set).
 *
 * @example
 * await runScript(async ({ billing }) => { console.log(await billing.listPlans()); });
 */
export async function runScript(
  body: (opened: ExampleBilling, args: string[]) => Promise<number | void>,
): Promise<void> {
  let opened: ExampleBilling | undefined;
  try {
    opened = await openExampleBilling(process.env);
    process.exitCode = (await body(opened, process.argv.slice(2))) ?? 0;
  } catch (error) {
    console.error(isConfigError(error) ? error.message : error);
    process.exitCode = 1;
  } finally {
    await opened?.close();
  }
}
