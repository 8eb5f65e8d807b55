import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { chromiumPath } from './environment.js';

/** A headless Debian chromium with a fresh profile; `close()` ends it and removes the profile. */
export interface HeadlessChromium {
  browser: BrowserContext;
  close(): Promise<void>;
}

/**
 * Launches `chromiumPath` headless in a new profile directory named after `name`, without sandbox, GPU,
 * QUIC or background traffic (the browser tests run on shared CI machines as root).
 */
export async function launchHeadlessChromium(name: string): Promise<HeadlessChromium> {
  const profile = await mkdtemp(join(tmpdir(), `${name}-chromium-`));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath!,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
