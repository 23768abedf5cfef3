// Bug (issue 10): `gwe verify --chain` exited 0 although the bundles had error-severity findings, where a
// single `gwe verify` of each bundle exits 1. Now the chain exits by the single-verify rule: 2 when the
// chain does not hold, 1 when it holds but a bundle is verified-with-findings (with --policy included), 0 else.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ROOT, run, sampleBundle } from './report-sample-bundle.ts';

describe('regression: verify-chain-exit-findings', () => {
  it('a chain of bundles with STATUS_DRIFT errors exits 1, like verify of each bundle', async () => {
    const dir = await sampleBundle('q3.tar.gz', undefined, '2026-09-01T09:00:00Z');
    const key = join(ROOT, 'keys/collector.test-only.key.pem');
    const c = await run(dir, ['collect', '--from', join(ROOT, 'samples/cluster'), '--out', 'q4.tar.gz', '--key', key, '--captured-at', '2026-12-01T09:00:00Z', '--previous', 'q3.tar.gz']);
    expect(c.code).toBe(0);
    const trust = join(ROOT, 'keys/trust.yaml');
    const single = await run(dir, ['verify', 'q4.tar.gz', '--trust', trust]);
    expect(single.code).toBe(1);
    const chain = await run(dir, ['verify', '--chain', 'q3.tar.gz', 'q4.tar.gz', '--trust', trust]);
    expect(chain.out).toMatch(/^CHAIN VERIFIED/);
    expect(chain.code).toBe(1);
    // Broken order still exits 2.
    expect((await run(dir, ['verify', '--chain', 'q4.tar.gz', 'q3.tar.gz', '--trust', trust])).code).toBe(2);
  });
});
