/**
 * verifyBundleParallel's `kept` (gwe report's path, issue 13): when it says `filled`, the capture and analysis
 * run it keeps are the ones verifyBundle's own steps produce (verifyIntegrity's strict capture, analyse over
 * it), in every mode; in the worker mode with integrity failing it keeps nothing. The worker side runs from
 * dist/ (npx tsc -p tsconfig.json first).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { analyse, verifyBundle, verifyIntegrity, type VerifyOptions } from '../../../src/verify/verify.ts';
import { verifyBundleParallel, type KeptRun, type ParallelMode } from '../../../src/verify-parallel.ts';
import { defaultTrust, makeFixture, type Fixture, toTrustRoot } from '../../golden/verify/corpus.ts';
import { tamperObjectByte } from './helpers.ts';

let fx: Fixture;
beforeAll(() => {
  fx = makeFixture();
});


/** The report, capture and analysis of verifyBundle's steps on one thread. */
function oneThread(bytes: Uint8Array, opts: VerifyOptions) {
  const checked = verifyIntegrity(bytes, opts);
  const run = checked.pass && checked.capture ? analyse(checked.capture, opts.analysis) : undefined;
  return { capture: checked.capture, analysis: run };
}

async function expectKept(bytes: Uint8Array, opts: VerifyOptions, force: boolean): Promise<{ mode?: ParallelMode; kept: KeptRun }> {
  const stats: { mode?: ParallelMode } = {};
  const kept: KeptRun = {};
  const report = await verifyBundleParallel(bytes, opts, { force, stats, kept });
  expect(JSON.stringify(report)).toBe(JSON.stringify(verifyBundle(bytes, opts)));
  if (kept.filled) {
    const want = oneThread(bytes, opts);
    expect(kept.capture).toStrictEqual(want.capture);
    expect(JSON.stringify(kept.capture)).toBe(JSON.stringify(want.capture));
    expect(JSON.stringify(kept.analysis?.result)).toBe(JSON.stringify(want.analysis?.result));
  } else {
    expect(kept.capture).toBeUndefined();
    expect(kept.analysis).toBeUndefined();
  }
  return { mode: stats.mode, kept };
}

describe('verifyBundleParallel kept', () => {
  it('keeps the strict capture and the analysis of a valid bundle, through the worker and on one thread', async () => {
    const opts = { trust: toTrustRoot(defaultTrust(fx.keys)), analysis: { expiryWindowDays: 7 } };
    const w = await expectKept(fx.bytes, opts, true);
    expect(w.mode).toBe('worker');
    expect(w.kept.filled).toBe(true);
    expect(w.kept.analysis).toBeDefined();
    const s = await expectKept(fx.bytes, opts, false);
    expect(s.mode).toBe('small');
    expect(s.kept.filled).toBe(true);
  });

  it('keeps nothing from the worker when integrity fails, and the strict capture on one thread', async () => {
    const bytes = tamperObjectByte(fx.bytes);
    const opts = { trust: toTrustRoot(defaultTrust(fx.keys)) };
    const w = await expectKept(bytes, opts, true);
    expect(w.mode).toBe('worker');
    expect(w.kept.filled).not.toBe(true);
    const s = await expectKept(bytes, opts, false);
    expect(s.kept.filled).toBe(true);
    expect(s.kept.capture).toBeDefined();
    expect(s.kept.analysis).toBeUndefined();
  });

  it('keeps verifyBundle\'s capture when the worker cannot run', async () => {
    const opts = { trust: toTrustRoot(defaultTrust(fx.keys)) };
    const stats: { mode?: ParallelMode } = {};
    const kept: KeptRun = {};
    await verifyBundleParallel(fx.bytes, opts, { force: true, stats, kept, workerUrl: new URL('data:text/javascript,throw new Error("no")') });
    expect(stats.mode).toBe('fallback');
    expect(kept.filled).toBe(true);
    expect(kept.capture).toStrictEqual(oneThread(fx.bytes, opts).capture);
  });
});
