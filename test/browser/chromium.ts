/**
 * Shared set-up of the browser tests: Debian chromium (installed by .ci/run), driven by playwright-core with the
 * network off, so a report or diff page may load nothing but its own file.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const CHROMIUM = '/usr/bin/chromium';
export const ROOT = resolve('.');
export const ARTIFACTS = join(ROOT, 'test/artifacts');
export const hasChromium = existsSync(CHROMIUM);

const BROWSER_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Says, once per test file, that its browser tests are skipped and how to install the browser. */
export function warnIfNoChromium(testFile: string): void {
  // Skip ONLY when the browser is absent; .ci/run installs it (apt-get install chromium) when run as root.
  if (!hasChromium) console.warn(`${testFile}: SKIPPED: ${CHROMIUM} not found (install with: apt-get install -y --no-install-recommends chromium)`);
}

/**
 * A headless Chromium with the network off: only `file` may load. Returns the page, every request the page made,
 * the aborted ones (anything but the file itself), and `close`, which also removes the browser profile.
 */
export async function openOffline(file: string, viewport = { width: 1200, height: 900 }) {
  const { chromium } = await import('playwright-core');
  const userDataDir = mkdtempSync(join(tmpdir(), 'gwe-chromium-profile-'));
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, offline: true, viewport, args: BROWSER_ARGS });
  const requests: string[] = [];
  const aborted: string[] = [];
  const url = pathToFileURL(file).href;
  await context.route('**/*', (route) => {
    requests.push(route.request().url());
    if (route.request().url() === url) return route.continue();
    aborted.push(route.request().url());
    return route.abort();
  });
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'load', timeout: 120_000 });
  const close = async (): Promise<void> => {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  };
  return { page, url, requests, aborted, close };
}
