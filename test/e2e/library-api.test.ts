import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The published entry point (package.json "exports" -> dist/index.js, built by `npm test` / `npm ci`):
// `import { collect, verify } from 'gateway-evidence'` must work for library users.
describe('library API (import from "gateway-evidence")', () => {
  it('collects the samples into a bundle and verifies it with the sample trust root', async () => {
    const lib = (await import('gateway-evidence')) as typeof import('../../src/index.ts');
    const root = new URL('../../', import.meta.url).pathname;
    const out = join(mkdtempSync(join(tmpdir(), 'gwe-lib-')), 'b.tar.gz');
    const res = await lib.collect({
      from: ['samples/cluster'],
      out,
      keyFile: 'keys/collector.test-only.key.pem',
      capturedAt: '2026-12-01T09:00:00Z',
      clusterName: 'ai-platform-prod',
      cwd: root,
    });
    expect(res.bundleId).toMatch(/^gwe-20261201t090000z-[0-9a-f]{16}$/);
    const trust = lib.parseTrust(readFileSync(join(root, 'keys/trust.yaml'), 'utf8'), 'keys/trust.yaml');
    const report = lib.verify(new Uint8Array(readFileSync(out)), { trust });
    expect(report.verdict).not.toBe('failed');
    expect(report.signatures.some((s) => s.counted)).toBe(true);
    // resolve is part of the public API too
    const opened = lib.openBundle(new Uint8Array(readFileSync(out)));
    const resolution = lib.resolve(opened.capture.snapshot.objects);
    expect(resolution.gateways.map((g) => `${g.namespace}/${g.name}`)).toContain('infra/shared-gw');
  });
});
