/**
 * The HTML report in a real headless browser (Debian chromium, installed by .ci/run): loaded from disk with the
 * network off, key elements asserted, screenshot saved to test/artifacts/report.png (gitignored).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { memoryIO } from '../helpers/io.ts';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = resolve('.');
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  // Skip ONLY when the browser is absent; .ci/run installs it (apt-get install chromium) when run as root.
  console.warn(`test/browser/html-report.test.ts: SKIPPED: ${CHROMIUM} not found (install with: apt-get install -y --no-install-recommends chromium)`);
}

async function makeReport(dir: string): Promise<string> {
  const io = memoryIO({ cwd: dir });
  const collected = await main(
    ['collect', '--from', join(ROOT, 'samples/cluster'), '--out', 'b.tar.gz', '--key', join(ROOT, 'keys/collector.test-only.key.pem'), '--captured-at', '2026-12-01T09:00:00Z', '--cluster-name', 'ai-platform-prod'],
    io,
  );
  if (collected !== 0 && collected !== 1) throw new Error(`collect failed (${collected}): ${io.err()}`);
  const code = await main(['report', 'b.tar.gz', '--trust', join(ROOT, 'keys/trust.yaml'), '--policy', join(ROOT, 'samples/policy.yaml'), '-o', 'html', '--out', 'report.html'], io);
  if (code !== 1) throw new Error(`report: expected exit 1 (sample findings), found ${code}: ${io.err()}`);
  return join(dir, 'report.html');
}

describe.skipIf(!hasChromium)('HTML report in headless chromium', () => {
  it('renders offline: verdict, exposure map nodes, routing rows, findings; screenshot saved', async () => {
    const { chromium } = await import('playwright-core');
    const dir = mkdtempSync(join(tmpdir(), 'gwe-html-'));
    const file = await makeReport(dir);
    const userDataDir = mkdtempSync(join(tmpdir(), 'gwe-chromium-profile-'));
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      offline: true,
      viewport: { width: 1200, height: 900 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const requests: string[] = [];
      const aborted: string[] = [];
      // Network off: every request except the file itself is aborted and recorded.
      await context.route('**/*', (route) => {
        const url = route.request().url();
        requests.push(url);
        if (url === pathToFileURL(file).href) return route.continue();
        aborted.push(url);
        return route.abort();
      });
      const page = await context.newPage();
      const url = pathToFileURL(file).href;
      await page.goto(url, { waitUntil: 'load' });

      expect(aborted).toEqual([]);
      expect(requests).toEqual([url]);

      // Verdict and signers up front.
      const verdict = page.locator('#verdict');
      await expect(verdict.textContent()).resolves.toMatch(/^VERIFIED WITH FINDINGS: signed by 1 \(1 required\): collector/);
      expect(await verdict.getAttribute('data-status')).toBe('verified-with-findings');
      expect(await page.locator('#signers tbody tr').count()).toBe(1);
      // Bundle facts: id, capture time, scope, partial.
      expect(await page.locator('[data-fact="captured"]').textContent()).toBe('2026-12-01T09:00:00Z');
      expect(await page.locator('[data-fact="scope"]').textContent()).toBe('all namespaces');
      expect(await page.locator('[data-fact="partial"]').textContent()).toContain('no');

      // The SVG map: one node per listener, route and service.
      const map = page.locator('svg.exposure-map');
      expect(await map.count()).toBe(1);
      const box = await map.boundingBox();
      expect(box!.width).toBeGreaterThan(600);
      const ids = await page.locator('svg.exposure-map g.node').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
      for (const l of ['http', 'https', 'https-tools', 'tls-passthrough']) expect(ids).toContain(`l:infra/shared-gw/${l}`);
      for (const r of ['HTTPRoute/admin/admin-ui', 'HTTPRoute/chatbot/chat-public', 'HTTPRoute/eval/eval-runner', 'GRPCRoute/inference/embeddings-grpc', 'TLSRoute/inference/secure-inference']) {
        expect(ids).toContain(`r:${r}`);
      }
      for (const s of ['admin/admin-ui', 'chatbot/chat-model-v1', 'chatbot/chat-model-v2', 'retrieval/retriever', 'inference/llm-inference-tls']) expect(ids).toContain(`s:Service/${s}`);
      // Findings marked on the map: the admin service is flagged.
      expect(await page.locator('svg.exposure-map g.node.flagged[data-id="s:Service/admin/admin-ui"]').count()).toBe(1);
      // Weights on the edges.
      const labels = await page.locator('svg.exposure-map text.edge-label').allTextContents();
      expect(labels).toContain('r0 90%');
      expect(labels).toContain('r0 10%');

      // Routing table rows and a finding.
      const rows = await page.locator('#routing tbody tr.route-row').count();
      expect(rows).toBeGreaterThanOrEqual(9);
      const findingsText = await page.locator('#findings').textContent();
      expect(findingsText).toContain('POLICY_SERVICE_TYPE_NOT_ALLOWED');
      expect(findingsText).toContain('admin/admin-ui');
      expect(await page.locator('#certificates').textContent()).toContain('agents-tools-tls');
      // Findings grouped by object; the analysis finding that observes the same fact as a policy finding is shown
      // (visibly) under it, not as a row of its own.
      const certGroup = page.locator('#findings tbody.object-group[data-object="Secret agents/agents-tools-tls"]');
      expect(await certGroup.locator('tr.finding').count()).toBe(1);
      expect(await certGroup.locator('td.reason').textContent()).toBe('policy rule certificates-30-days');
      expect(await certGroup.locator('.same-fact').isVisible()).toBe(true);
      expect(await certGroup.locator('.same-fact').textContent()).toMatch(/^same fact, observed by analysis: F\d+ CERT_EXPIRING \(warning\)/);
      expect(await page.locator('#findings tr.finding[data-code="CERT_EXPIRING"]').count()).toBe(0);
      expect(await page.locator('#map-key').isVisible()).toBe(true);

      // No script ran or exists.
      expect(await page.locator('script').count()).toBe(0);

      mkdirSync(join(ROOT, 'test/artifacts'), { recursive: true });
      const png = join(ROOT, 'test/artifacts/report.png');
      await page.screenshot({ path: png, fullPage: true });
      expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
      // Print layout renders too (print CSS).
      await page.emulateMedia({ media: 'print' });
      const pdf = await page.pdf({ format: 'A4' });
      expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
    } finally {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
