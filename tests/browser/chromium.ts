// Debian's Chromium, driven by playwright-core, for tests of what a person's browser does with a
// page. `.ci/run` installs it; see describeWithChromium for what happens where it is missing.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { describe, onTestFinished } from 'vitest';

export const CHROMIUM = '/usr/bin/chromium';

/** No sandbox (tests run as root), and nothing the browser would fetch for itself. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const available = existsSync(CHROMIUM);

/**
 * `describe` for tests that need Chromium. Without it they fail in CI (`CI=true`), where
 * `.ci/run` installs it, and elsewhere are skipped with a message no one can miss.
 */
export function describeWithChromium(name: string, tests: () => void): void {
  if (!available && process.env.CI)
    throw new Error(`Chromium is required in CI and ${CHROMIUM} is missing`);
  if (!available)
    console.warn(
      `\n*** SKIPPED: ${name}; no Chromium at ${CHROMIUM} (apt-get install -y chromium) ***\n`,
    );
  describe.skipIf(!available)(name, tests);
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Every URL the browser requested, in order. */
  requests: URL[];
  /** Requests to any origin but these: they were refused, so the page ran as if offline. */
  requestsElsewhere(...origins: string[]): string[];
}

/**
 * A fresh headless Chromium with a profile of its own, closed when the test finishes. Only
 * loopback addresses are reachable: every other request is logged and refused, so a test sees
 * what a browser without a network would, on any machine.
 */
export async function openBrowser(): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), 'chromium-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
  });
  onTestFinished(async () => {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  });
  const requests: URL[] = [];
  const loopback = (url: URL) => ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    requests.push(url);
    if (url.protocol === 'data:' || url.protocol === 'blob:' || loopback(url))
      await route.continue();
    else await route.abort('internetdisconnected');
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    requests,
    requestsElsewhere: (...origins) =>
      requests.filter((url) => !origins.includes(url.origin)).map(String),
  };
}
