/**
 * `gwe diff` with both sides' integrity checked in the pipeline worker (src/verify-parallel.ts
 * startIntegrityPipeline; issue 13) must print exactly what the one-thread diff prints, with and without a trust
 * root, in every format, for sides whose signatures fail, and for sides that fail integrity or cannot be read (those
 * take the one-thread path). The worker side runs from dist/ (npx tsc -p tsconfig.json first), as for
 * test/cli/chain-pipeline.test.ts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runDiff, type DiffFlags, type DiffParallel } from '../../src/cli/commands/diff.ts';
import { PARALLEL_MIN_BYTES } from '../../src/verify-parallel.ts';
import { memoryIO } from '../helpers/io.ts';
import { quarters } from '../unit/chain/fixtures.ts';
import { tamper } from '../unit/verify/helpers.ts';
import { workdir } from './chain-helpers.ts';

async function run(files: [string, string], flags: DiffFlags, dir: string, parallel: DiffParallel): Promise<{ out: string; err: string; code: number | undefined; error?: string }> {
  const io = memoryIO({ cwd: dir });
  const ctx = { io, exitCode: 0 as never };
  try {
    await runDiff(files[0], files[1], flags, ctx, parallel);
  } catch (e) {
    return { out: io.out(), err: io.err(), code: undefined, error: (e as Error).message };
  }
  return { out: io.out(), err: io.err(), code: ctx.exitCode };
}

describe('gwe diff, integrity pipelined in a worker', () => {
  const [q1, q2, q3] = quarters();
  const dir = workdir([q1, q2, q3]);
  // An object byte changed and not resealed: integrity fails, that side is read and reported on this thread.
  writeFileSync(
    join(dir, 'q2-tampered.tar.gz'),
    tamper(q2.bytes, (files) => {
      const p = [...files.keys()].find((k) => k.includes('/httproute/'))!;
      const b = files.get(p)!;
      b[b.length - 2] = b[b.length - 2] === 0x31 ? 0x32 : 0x31;
    }),
  );
  writeFileSync(join(dir, 'garbage.tar.gz'), new Uint8Array(200).fill(0x41));
  writeFileSync(join(dir, 'other.pem'), generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }) as string);
  writeFileSync(
    join(dir, 'policy.yaml'),
    'apiVersion: gateway-evidence.io/v1alpha1\nkind: ExposurePolicy\nmetadata:\n  name: t\npublic:\n  - gateways: ["*/*"]\nrules:\n  - id: no-unclassified-on-public\n    type: service-exposure\n    listeners: { public: true }\n    denyServiceTypes: [unclassified]\n',
  );
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cases: { name: string; files: [string, string]; flags?: DiffFlags; piped: boolean }[] = [
    { name: 'text, no trust root', files: ['q1.tar.gz', 'q2.tar.gz'], piped: true },
    { name: 'json with --key', files: ['q1.tar.gz', 'q3.tar.gz'], flags: { key: 'pub.pem', output: 'json' }, piped: true },
    { name: 'markdown with --policy, --unchanged and --expiry-days', files: ['q2.tar.gz', 'q3.tar.gz'], flags: { key: 'pub.pem', output: 'markdown', policy: 'policy.yaml', unchanged: true, expiryDays: '400' }, piped: true },
    { name: 'html with --exit-code', files: ['q1.tar.gz', 'q2.tar.gz'], flags: { output: 'html', exitCode: true }, piped: true },
    { name: 'signatures of another key (integrity passes: reported from the worker)', files: ['q1.tar.gz', 'q2.tar.gz'], flags: { key: 'other.pem', output: 'json' }, piped: true },
    { name: 'a side whose integrity fails', files: ['q1.tar.gz', 'q2-tampered.tar.gz'], flags: { output: 'json' }, piped: false },
    { name: 'a side whose integrity fails, with --key', files: ['q2-tampered.tar.gz', 'q3.tar.gz'], flags: { key: 'pub.pem' }, piped: false },
    { name: 'a side that is not an archive', files: ['garbage.tar.gz', 'q2.tar.gz'], piped: false },
    { name: 'a side that does not exist', files: ['q1.tar.gz', 'missing.tar.gz'], piped: false },
  ];
  for (const c of cases) {
    it(`${c.name}: the same output, errors and exit code as on one thread`, async () => {
      const stats: NonNullable<DiffParallel['stats']> = {};
      const piped = await run(c.files, c.flags ?? {}, dir, { force: true, stats });
      const oneStats: NonNullable<DiffParallel['stats']> = {};
      // The fixtures are below PARALLEL_MIN_BYTES: unforced, both sides are read on this thread.
      const one = await run(c.files, c.flags ?? {}, dir, { stats: oneStats });
      expect(q1.bytes.length).toBeLessThan(PARALLEL_MIN_BYTES);
      expect(stats.piped).toBe(c.piped);
      expect(oneStats.piped).toBe(false);
      expect(piped).toEqual(one);
      if (c.piped) expect(piped.out.length).toBeGreaterThan(100);
    });
  }

  it('reads both sides on this thread when the worker cannot run, with the same output', async () => {
    const stats: NonNullable<DiffParallel['stats']> = {};
    const files: [string, string] = ['q1.tar.gz', 'q3.tar.gz'];
    const bad = await run(files, { key: 'pub.pem' }, dir, { force: true, stats, workerUrl: new URL('data:text/javascript,throw new Error("no")') });
    expect(stats.piped).toBe(false);
    expect(bad).toEqual(await run(files, { key: 'pub.pem' }, dir, {}));
  });
});
