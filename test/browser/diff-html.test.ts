/**
 * The diff HTML (`gwe diff -o html`) in a real headless browser (Debian chromium, installed by .ci/run): the sample
 * quarters Q3 -> Q4, loaded from disk with the network off; the exposure map of what changed is drawn with the
 * added route and the weight shift highlighted; screenshot saved to test/artifacts/diff.png (gitignored).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { memoryIO } from '../helpers/io.ts';
import { ARTIFACTS, ROOT, hasChromium, openOffline, warnIfNoChromium } from './chromium.ts';

warnIfNoChromium('test/browser/diff-html.test.ts');

async function makeDiff(dir: string): Promise<string> {
  const io = memoryIO({ cwd: ROOT });
  const key = join(ROOT, 'keys/collector.test-only.key.pem');
  const q3From = readdirSync(join(ROOT, 'samples', 'cluster')).filter((f) => f !== '03-routes.yaml').map((f) => `samples/cluster/${f}`);
  const q3 = join(dir, 'q3.tar.gz');
  const q4 = join(dir, 'q4.tar.gz');
  for (const [from, out, at] of [[[...q3From, 'samples/operational/q3-routes.yaml'], q3, '2026-09-30T09:00:00Z'], [['samples/cluster'], q4, '2026-12-01T09:00:00Z']] as const) {
    const code = await main(['collect', '--from', ...from, '--out', out, '--key', key, '--captured-at', at, '--quiet'], io);
    if (code !== 0 && code !== 1) throw new Error(`collect failed (${code}): ${io.err()}`);
  }
  const file = join(dir, 'diff.html');
  const code = await main(['diff', q3, q4, '--trust', join(ROOT, 'keys/trust.yaml'), '-o', 'html', '--out', file], io);
  if (code !== 0) throw new Error(`diff: expected exit 0, found ${code}: ${io.err()}`);
  return file;
}

describe.skipIf(!hasChromium)('diff HTML in headless chromium', () => {
  it('renders offline with the exposure map of what changed; screenshot saved', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gwe-diff-html-'));
    const file = await makeDiff(dir);
    const { page, aborted, close } = await openOffline(file);
    try {
      expect(aborted).toEqual([]);

      const map = page.locator('#map svg.exposure-map.diff-map');
      expect(await map.count()).toBe(1);
      const box = await map.boundingBox();
      expect(box!.width).toBeGreaterThan(400);
      expect(box!.height).toBeGreaterThan(100);
      // Q4 adds admin-ui (a route that now serves traffic) and shifts chat-public's weights (v1 100% -> 90%).
      expect(await map.locator('g.node.route.mark-added[data-id="r:HTTPRoute/admin/admin-ui"]').count()).toBe(1);
      expect(await map.locator('g.edge.added[data-to="r:HTTPRoute/admin/admin-ui"]').count()).toBeGreaterThan(0);
      const changed = await map.locator('g.edge.changed[data-from="r:HTTPRoute/chatbot/chat-public"] text.edge-label').allTextContents();
      expect(changed.join(' ')).toMatch(/100% → 90%/);
      expect(await page.locator('#map').textContent()).toContain('What changed in the recomputed (predicted) routing');
      // Every node box is inside the SVG (nothing cut off at the edges).
      const inside = await map.evaluate((svg) => {
        const vb = (svg as unknown as { viewBox: { baseVal: { width: number; height: number } } }).viewBox.baseVal;
        return [...svg.querySelectorAll('g.node > rect:first-of-type')].every((r) => {
          const b = (r as unknown as { getBBox(): { x: number; y: number; width: number; height: number } }).getBBox();
          return b.x >= 0 && b.y >= 0 && b.x + b.width <= vb.width && b.y + b.height <= vb.height;
        });
      });
      expect(inside).toBe(true);
      expect(await page.locator('script').count()).toBe(0);

      mkdirSync(ARTIFACTS, { recursive: true });
      const png = join(ARTIFACTS, 'diff.png');
      await page.screenshot({ path: png, fullPage: true });
      expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
    } finally {
      await close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
