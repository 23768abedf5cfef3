/**
 * The HTML report in a real headless browser (Debian chromium, installed by .ci/run): loaded from disk with the
 * network off, key elements asserted; its print layout checked page by page in the PDF Chromium prints (text
 * extracted with pdfjs-dist): bundle id, sha256 and page numbers on every page, a full first page, no heading
 * left alone at the foot of a page. The HTML of `gwe diff -o html` and the report of a 10k-route bundle open too.
 * Screenshots are saved as test artefacts under test/artifacts/ (gitignored): report.png, report-print.pdf,
 * diff.png, report-10k.png.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { memoryIO } from '../helpers/io.ts';
import { ARTIFACTS, ROOT, hasChromium, openOffline, warnIfNoChromium } from './chromium.ts';

warnIfNoChromium('test/browser/html-report.test.ts');

interface PdfPage {
  height: number;
  items: { str: string; y: number }[];
}

/** The text of each page of a PDF with each item's baseline height from the page bottom (PDF points), by pdfjs-dist. */
async function pdfPages(pdf: Uint8Array): Promise<PdfPage[]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: pdf, isEvalSupported: false, disableFontFace: true, useSystemFonts: false }).promise;
  const pages: PdfPage[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const content = await page.getTextContent();
    const items: { str: string; y: number }[] = [];
    for (const it of content.items) if ('str' in it && it.str.trim() !== '') items.push({ str: it.str, y: it.transform[5] as number });
    pages.push({ height: page.view[3]!, items });
  }
  await doc.destroy();
  return pages;
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
    const dir = mkdtempSync(join(tmpdir(), 'gwe-html-'));
    const file = await makeReport(dir);
    const { page, url, requests, aborted, close } = await openOffline(file);
    try {
      // Network off: every request except the file itself is aborted and recorded.
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

      mkdirSync(ARTIFACTS, { recursive: true });
      const png = join(ARTIFACTS, 'report.png');
      await page.screenshot({ path: png, fullPage: true });
      expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
      // Print layout (print CSS and @page margin boxes), page by page in the PDF Chromium prints.
      await page.emulateMedia({ media: 'print' });
      const headings = (await page.locator('h2, tr.group th').allTextContents()).map((t) => t.trim()).filter(Boolean);
      const bundleId = await page.locator('[data-fact="bundle"]').textContent();
      const pdf = await page.pdf({ preferCSSPageSize: true });
      expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
      writeFileSync(join(ARTIFACTS, 'report-print.pdf'), pdf);
      const sha = createHash('sha256').update(readFileSync(join(dirname(file), 'b.tar.gz'))).digest('hex');
      const pages = await pdfPages(new Uint8Array(pdf));
      expect(pages.length).toBeGreaterThan(1);
      const mm = 72 / 25.4;
      pages.forEach((p, i) => {
        const text = p.items.map((x) => x.str).join(' ');
        expect(text, `page ${i + 1}`).toContain(`bundle ${bundleId}`);
        expect(text, `page ${i + 1}`).toContain(`sha256 ${sha}`);
        expect(text, `page ${i + 1}`).toContain(`page ${i + 1} of ${pages.length}`);
        // Body text: between the top (16 mm) and bottom (14 mm) margins. The last line of a page is never a heading.
        const body = p.items.filter((x) => x.y > 14 * mm && x.y < p.height - 16 * mm);
        if (i < pages.length - 1 && body.length > 0) {
          const lowest = Math.min(...body.map((x) => x.y));
          const lastLine = body.filter((x) => Math.abs(x.y - lowest) < 2).map((x) => x.str).join(' ').trim();
          expect(headings, `page ${i + 1} ends with a heading: ${lastLine}`).not.toContain(lastLine);
        }
      });
      // The first page is not almost empty: its body text reaches the lower half of the page.
      const first = pages[0]!.items.filter((x) => x.y > 14 * mm && x.y < pages[0]!.height - 16 * mm);
      expect(Math.min(...first.map((x) => x.y))).toBeLessThan(pages[0]!.height / 2);
    } finally {
      await close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gwe diff -o html opens offline; screenshot saved', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gwe-diff-html-'));
    try {
      await makeReport(dir); // b.tar.gz: the sample platform
      // The next quarter: the chat split moves to 50/50 and a namespace label changes.
      const cluster = join(dir, 'cluster');
      cpSync(join(ROOT, 'samples/cluster'), cluster, { recursive: true });
      const routes = join(cluster, '03-routes.yaml');
      writeFileSync(routes, readFileSync(routes, 'utf8').replace(/weight: 90/, 'weight: 50').replace(/weight: 10/, 'weight: 50'));
      const io = memoryIO({ cwd: dir });
      const c = await main(['collect', '--from', cluster, '--out', 'b2.tar.gz', '--key', join(ROOT, 'keys/collector.test-only.key.pem'), '--captured-at', '2026-12-02T09:00:00Z', '--cluster-name', 'ai-platform-prod'], io);
      expect([0, 1]).toContain(c);
      const d = await main(['diff', 'b.tar.gz', 'b2.tar.gz', '-o', 'html', '--out', 'diff.html'], io);
      expect([0, 1]).toContain(d);
      const { page, aborted, close } = await openOffline(join(dir, 'diff.html'));
      try {
        expect(aborted).toEqual([]);
        expect(await page.locator('h1').first().textContent()).toMatch(/diff/i);
        expect(await page.locator('body').textContent()).toContain('50%');
        expect(await page.locator('script').count()).toBe(0);
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: join(ARTIFACTS, 'diff.png'), fullPage: true });
        expect(readFileSync(join(ARTIFACTS, 'diff.png')).subarray(1, 4).toString()).toBe('PNG');
      } finally {
        await close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the report of a 10k-route bundle opens: verdict, bounded tables with their notes; screenshot saved', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gwe-html-10k-'));
    try {
      // The benchmark's synthetic cluster (bench/synthetic.mjs): 10k routes, 20k+ objects.
      const synthetic = (await import(pathToFileURL(join(ROOT, 'bench/synthetic.mjs')).href)) as { generateCluster: (n: number, out: string) => { files: string[] } };
      const gen = synthetic.generateCluster(10_000, join(dir, 'cluster'));
      const io = memoryIO({ cwd: dir, now: new Date('2026-11-01T01:00:00Z') });
      const c = await main(['collect', '--from', ...gen.files, '--out', 'b.tar.gz', '--key', join(ROOT, 'keys/collector.test-only.key.pem'), '--captured-at', '2026-11-01T00:00:00Z', '--cluster-name', 'synthetic-10k'], io);
      expect([0, 1], io.err()).toContain(c);
      rmSync(join(dir, 'cluster'), { recursive: true, force: true });
      const r = await main(['report', 'b.tar.gz', '--trust', join(ROOT, 'keys/trust.yaml'), '-o', 'html', '--out', 'report.html'], io);
      expect([0, 1], io.err()).toContain(r);
      const file = join(dir, 'report.html');
      const { page, aborted, close } = await openOffline(file);
      try {
        expect(aborted).toEqual([]);
        expect(await page.locator('#verdict').textContent()).toMatch(/^VERIFIED/);
        // Tables are bounded, and say so: 2,000 routing rows of the 11,000, the rest in -o json.
        expect(await page.locator('#routing tbody tr.route-row').count()).toBe(2_000);
        expect(await page.locator('#routing-truncated').textContent()).toMatch(/^Showing 2,000 of \d{1,3}(,\d{3})+ routing rows .*gwe report BUNDLE -o json/);
        expect(await page.locator('#findings tr.finding').count()).toBeLessThanOrEqual(2_000);
        expect(statSync(file).size).toBeLessThan(60 * 1024 * 1024);
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: join(ARTIFACTS, 'report-10k.png') });
        expect(readFileSync(join(ARTIFACTS, 'report-10k.png')).subarray(1, 4).toString()).toBe('PNG');
      } finally {
        await close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);
});
