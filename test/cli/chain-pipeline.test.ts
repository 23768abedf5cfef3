/**
 * `gwe verify --chain` with each bundle's integrity in the pipeline worker (src/verify-parallel.ts
 * startIntegrityPipeline; issue 13) must print exactly what the one-thread chain prints, for chains that hold and
 * for chains whose bundles fail or cannot be read (those are verified again on this thread). The worker side runs
 * from dist/ (npx tsc -p tsconfig.json first), as for test/unit/verify/parallel.test.ts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runChain, type ChainFlags, type ChainParallel } from '../../src/cli/commands/chain.ts';
import { PARALLEL_MIN_BYTES } from '../../src/verify-parallel.ts';
import { memoryIO } from '../helpers/io.ts';
import { quarters } from '../unit/chain/fixtures.ts';
import { tamperObjectByte } from '../unit/verify/helpers.ts';
import { workdir } from './chain-helpers.ts';

async function run(files: string[], flags: Omit<ChainFlags, 'key'>, dir: string, parallel: ChainParallel): Promise<{ out: string; err: string; code: number }> {
  const io = memoryIO({ cwd: dir, now: new Date('2026-12-01T00:00:00Z') });
  const ctx = { io, exitCode: 0 as never };
  await runChain(files, { key: 'pub.pem', ...flags }, ctx, parallel);
  return { out: io.out(), err: io.err(), code: ctx.exitCode };
}

describe('gwe verify --chain, integrity pipelined in a worker', () => {
  const [q1, q2, q3] = quarters();
  // An object byte changed and not resealed: integrity fails in the worker, the bundle is verified here again.
  const broken = {
    name: 'q2-tampered.tar.gz',
    bytes: tamperObjectByte(q2.bytes),
  };
  const dir = workdir([q1, q2, q3]);
  writeFileSync(join(dir, broken.name), broken.bytes);
  writeFileSync(join(dir, 'garbage.tar.gz'), new Uint8Array(200).fill(0x41));
  writeFileSync(
    join(dir, 'policy.yaml'),
    'apiVersion: gateway-evidence.io/v1alpha1\nkind: ExposurePolicy\nmetadata:\n  name: t\npublic:\n  - gateways: ["*/*"]\nrules:\n  - id: no-unclassified-on-public\n    type: service-exposure\n    listeners: { public: true }\n    denyServiceTypes: [unclassified]\n',
  );
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cases: { name: string; files: string[]; flags?: Omit<ChainFlags, 'key'>; piped: boolean[] }[] = [
    { name: 'a chain that holds (text)', files: ['q1.tar.gz', 'q2.tar.gz', 'q3.tar.gz'], piped: [true, true, true] },
    { name: 'a chain that holds (json)', files: ['q1.tar.gz', 'q2.tar.gz', 'q3.tar.gz'], flags: { output: 'json' }, piped: [true, true, true] },
    { name: 'a bundle whose integrity fails', files: ['q1.tar.gz', 'q2-tampered.tar.gz', 'q3.tar.gz'], flags: { output: 'json' }, piped: [true, false, true] },
    { name: 'a bundle that is not an archive', files: ['q1.tar.gz', 'garbage.tar.gz', 'q3.tar.gz'], flags: { output: 'json' }, piped: [true, false, true] },
    { name: 'out of order', files: ['q2.tar.gz', 'q1.tar.gz'], piped: [true, true] },
  ];
  for (const c of cases) {
    it(`${c.name}: the same output and exit code as on one thread`, async () => {
      const stats: NonNullable<ChainParallel['stats']> = {};
      const piped = await run(c.files, c.flags ?? {}, dir, { force: true, stats });
      const oneStats: NonNullable<ChainParallel['stats']> = {};
      // The fixtures are below PARALLEL_MIN_BYTES: unforced, every bundle is verified on this thread.
      const one = await run(c.files, c.flags ?? {}, dir, { stats: oneStats });
      expect(q1.bytes.length).toBeLessThan(PARALLEL_MIN_BYTES);
      expect(stats.mode).toBe('worker');
      expect(stats.piped).toEqual(c.piped);
      expect(oneStats.piped?.some((x) => x)).toBe(false);
      expect(oneStats.mode).toBe('small'); // no worker started for a chain of small bundles
      expect(piped.out).toBe(one.out);
      expect(piped.err).toBe(one.err);
      expect(piped.code).toBe(one.code);
    });
  }

  it('with --policy: the same output and exit code as on one thread', async () => {
    const stats: NonNullable<ChainParallel['stats']> = {};
    const flags = { policy: 'policy.yaml', output: 'json' } as const;
    const piped = await run(['q1.tar.gz', 'q2.tar.gz', 'q3.tar.gz'], flags, dir, { force: true, stats });
    const one = await run(['q1.tar.gz', 'q2.tar.gz', 'q3.tar.gz'], flags, dir, {});
    expect(stats.piped).toEqual([true, true, true]);
    expect(piped.err).toBe('');
    expect(JSON.parse(piped.out).history).toHaveLength(2);
    expect(piped.out).toBe(one.out);
    expect(piped.code).toBe(one.code);
  });

  it('verifies every bundle on this thread when the worker cannot run, with the same output', async () => {
    const stats: NonNullable<ChainParallel['stats']> = {};
    const files = ['q1.tar.gz', 'q2.tar.gz', 'q3.tar.gz'];
    const bad = await run(files, {}, dir, { force: true, stats, workerUrl: new URL('data:text/javascript,throw new Error("no")') });
    expect(stats.piped).toEqual([false, false, false]);
    expect(bad.out).toBe((await run(files, {}, dir, {})).out);
  });
});
