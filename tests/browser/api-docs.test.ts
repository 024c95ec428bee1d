import { serve } from '@hono/node-server';
import { expect, it, onTestFinished } from 'vitest';
import { SCALAR_STYLE_HASHES } from '../../src/adapters/http/docs/routes.ts';
import { harness } from '../harness.ts';
import { describeWithChromium, openBrowser } from './chromium.ts';

/** The little of a page's globals the functions run in it use (the project has no DOM types). */
interface PageGlobals {
  document: {
    addEventListener(
      type: 'securitypolicyviolation',
      listener: (event: { violatedDirective: string; blockedURI: string }) => void,
    ): void;
    querySelectorAll(selector: 'style'): Iterable<{ textContent: string | null }>;
  };
  reportViolation(line: string): void;
}

/** The whole app on a real socket, as a browser needs it. */
async function serveApp(): Promise<string> {
  const h = await harness();
  const { promise, resolve } = Promise.withResolvers<number>();
  const server = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
    resolve(info.port),
  );
  onTestFinished(() => new Promise((done) => server.close(() => done())));
  return `http://127.0.0.1:${await promise}`;
}

describeWithChromium('/api/docs/ in Chromium', () => {
  it('renders every operation with no network, with nothing blocked but what is meant to be', async () => {
    const origin = await serveApp();
    const { page, requestsElsewhere } = await openBrowser();
    const violations: string[] = [];
    await page.exposeFunction('reportViolation', (line: string) => violations.push(line));
    // Page functions run in the browser, so they name its globals themselves.
    await page.addInitScript(() => {
      const globals = globalThis as unknown as PageGlobals;
      globals.document.addEventListener('securitypolicyviolation', (event) =>
        globals.reportViolation(`${event.violatedDirective} ${event.blockedURI}`),
      );
    });

    await page.goto(`${origin}/api/docs/`);
    const doc = (await (await fetch(`${origin}/api/schema/`)).json()) as {
      paths: Record<string, Record<string, { summary: string; tags: string[] }>>;
    };
    // The sidebar lists each tag's operations; the first tag starts open, the others are opened.
    const sidebar = page.getByRole('complementary');
    const tags = [
      ...new Set(
        Object.values(doc.paths)
          .flatMap((item) => Object.values(item))
          .flatMap((o) => o.tags),
      ),
    ];
    for (const tag of tags.slice(1))
      await sidebar.getByRole('link', { name: tag, exact: true }).click();
    const summaries = Object.values(doc.paths).flatMap((item) =>
      Object.values(item).map((operation) => operation.summary),
    );
    expect(summaries).not.toHaveLength(0);
    for (const summary of summaries) await sidebar.getByRole('link', { name: summary }).waitFor();

    const styleHashes = await page.evaluate(() =>
      Promise.all(
        [...(globalThis as unknown as PageGlobals).document.querySelectorAll('style')].map(
          async (style) => {
            const text = new TextEncoder().encode(style.textContent ?? '');
            const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', text));
            return `sha256-${btoa(String.fromCharCode(...digest))}`;
          },
        ),
      ),
    );
    // A new Scalar version builds other style sheets: these are the hashes the policy then needs.
    expect(styleHashes.sort()).toEqual([...SCALAR_STYLE_HASHES].sort());
    expect(requestsElsewhere(origin)).toEqual([]);
    // zod, inside Scalar, probes whether it may compile validators with Function and, refused,
    // validates without; nothing else may be refused.
    expect(violations.filter((violation) => violation !== 'script-src eval')).toEqual([]);
  }, 60_000);
});
