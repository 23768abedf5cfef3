/**
 * Regression (issue 10): a bundle signed by two trusted keys under a threshold of one read "signed by collector,
 * reviewer (2 of 1 required)" in every report, and verify printed "2 of 1 required distinct key(s)". Now:
 * "signed by 2 (1 required): collector, reviewer" and "signed by 2 distinct key(s) (1 required)".
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, run, sampleBundle } from './report-sample-bundle.ts';

let dir = '';
beforeAll(async () => {
  dir = await sampleBundle();
  const s = await run(dir, ['sign', 'b.tar.gz', '--key', join(ROOT, 'keys/reviewer.test-only.key.pem')]);
  if (s.code !== 0) throw new Error(`sign failed: ${s.err}`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('signed by N (M required)', () => {
  it('report headline in every human format, and verify text', async () => {
    for (const format of ['text', 'markdown', 'html', 'json']) {
      const r = await run(dir, ['report', 'b.tar.gz', '--trust', join(ROOT, 'keys/trust.yaml'), '-o', format]);
      expect(r.out, format).toContain('signed by 2 (1 required): collector, reviewer, against');
      expect(r.out, format).not.toMatch(/\d+ of \d+ required/);
    }
    const v = await run(dir, ['verify', 'b.tar.gz', '--trust', join(ROOT, 'keys/trust.yaml')]);
    expect(v.out).toContain('signed by 2 distinct key(s) (1 required)');
    expect(v.out).not.toMatch(/\d+ of \d+ required/);
  });
});
