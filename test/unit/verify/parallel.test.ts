/**
 * verifyBundleParallel must give exactly verifyBundle's report (issue 2 benchmark work: the parallel mode is
 * a speed-up, never a different verifier). The worker side runs from dist/ (npx tsc -p tsconfig.json first).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyBundle } from '../../../src/verify/verify.ts';
import { PARALLEL_MIN_BYTES, verifyBundleParallel, type ParallelMode } from '../../../src/verify-parallel.ts';
import { CASES, defaultTrust, makeFixture, type Fixture, toTrustRoot } from '../../golden/verify/corpus.ts';
import { tamperObjectByte } from './helpers.ts';
import { buildBundle } from '../../../src/bundle/build.ts';
import type { KubeObject } from '../../../src/model/object.ts';

let fx: Fixture;
beforeAll(() => {
  fx = makeFixture();
});


/** Same report, same key order (JSON text), and it really went through the worker. */
async function expectSame(bytes: Uint8Array, opts: Parameters<typeof verifyBundle>[1]): Promise<void> {
  const stats: { mode?: ParallelMode } = {};
  const par = await verifyBundleParallel(bytes, opts, { force: true, stats });
  const sync = verifyBundle(bytes, opts);
  expect(stats.mode).toBe('worker');
  expect(par).toStrictEqual(sync);
  expect(JSON.stringify(par)).toBe(JSON.stringify(sync));
}

describe('verifyBundleParallel', () => {
  it('gives verifyBundle\'s report for the valid base bundle, with the analysis run', async () => {
    const opts = { trust: toTrustRoot(defaultTrust(fx.keys)) };
    await expectSame(fx.bytes, opts);
    const r = await verifyBundleParallel(fx.bytes, opts, { force: true });
    expect(r.verdict).toBe('verified');
    expect(r.analysis.ran).toBe(true);
  });

  it('gives verifyBundle\'s report when the analysis has findings (a signed bundle with a dangling backendRef)', async () => {
    const capture = structuredClone(fx.capture);
    capture.snapshot.objects.push({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'dangling', namespace: 'chat' },
      spec: { parentRefs: [{ name: 'shared', namespace: 'infra' }], rules: [{ backendRefs: [{ name: 'no-such-service', port: 80 }] }] },
    } as KubeObject);
    const bytes = buildBundle(capture, { signers: [fx.keys.collector] }).bytes;
    const opts = { trust: toTrustRoot(defaultTrust(fx.keys)) };
    await expectSame(bytes, opts);
    const r = await verifyBundleParallel(bytes, opts, { force: true });
    expect(r.analysis.ran).toBe(true);
    expect(r.analysis.findings.length).toBeGreaterThan(0);
  });

  it('drops the analysis when integrity fails (a byte changed in an object, not resealed)', async () => {
    const bytes = tamperObjectByte(fx.bytes);
    const opts = { trust: toTrustRoot(defaultTrust(fx.keys)) };
    await expectSame(bytes, opts);
    const r = await verifyBundleParallel(bytes, opts, { force: true });
    expect(r.verdict).toBe('failed');
    expect(r.analysis.ran).toBe(false);
  });

  // Every tamper case of the golden corpus: same findings, verdict, signatures, trust, analysis.
  for (const c of CASES) {
    it(`tamper case ${c.name}: same report as verifyBundle`, async () => {
      await expectSame(c.make(fx), { trust: toTrustRoot((c.trust ?? defaultTrust)(fx.keys)), ...(c.caps ? { caps: c.caps } : {}) });
    });
  }

  it('falls back to verifyBundle when the worker cannot run, with the same report', async () => {
    const stats: { mode?: ParallelMode } = {};
    const opts = { trust: toTrustRoot(defaultTrust(fx.keys)) };
    const r = await verifyBundleParallel(fx.bytes, opts, { force: true, stats, workerUrl: new URL('data:text/javascript,throw new Error("no")') });
    expect(stats.mode).toBe('fallback');
    expect(r).toStrictEqual(verifyBundle(fx.bytes, opts));
  });

  it('verifies small bundles on one thread unless forced', async () => {
    expect(fx.bytes.length).toBeLessThan(PARALLEL_MIN_BYTES);
    const stats: { mode?: ParallelMode } = {};
    const opts = { trust: toTrustRoot(defaultTrust(fx.keys)) };
    expect(await verifyBundleParallel(fx.bytes, opts, { stats })).toStrictEqual(verifyBundle(fx.bytes, opts));
    expect(stats.mode).toBe('small');
  });
});
