/**
 * The chain's integrity pipeline (src/verify-parallel.ts startIntegrityPipeline, issue 13): the worker's answer is
 * verifyOpened's integrity half of the strict read, and the files it hands over are the files readArchive finds.
 * The worker side runs from dist/ (npx tsc -p tsconfig.json first).
 */
import { describe, expect, it } from 'vitest';
import { pipelinedFiles, startIntegrityPipeline } from '../../../src/verify-parallel.ts';
import { readArchive } from '../../../src/bundle/reader.ts';
import { readBundle } from '../../../src/diff/read.ts';
import { verifyChecks } from '../../../src/verify/verify.ts';
import { quarters, TRUST } from '../chain/fixtures.ts';
import { tamperObjectByte } from './helpers.ts';

describe('startIntegrityPipeline', () => {
  const [q1, q2] = quarters();

  it('answers each bundle as readBundle + verifyChecks on this thread would, and hands over the archive files', async () => {
    const pipe = startIntegrityPipeline({ trust: TRUST }, { force: true })!;
    try {
      expect(await pipe.ready).toBe(true);
      const jobs = [q1, q2].map((b) => pipe.submit(b.bytes, b.name)!);
      for (const [i, b] of [q1, q2].entries()) {
        const r = pipe.take(jobs[i]!, 60_000)!;
        const here = readBundle(b.bytes, b.name);
        const checked = verifyChecks(here.checks!, { trust: TRUST });
        expect(r.opened).toBe(true);
        expect(r.pass).toBe(true);
        expect(JSON.stringify(r.report)).toBe(JSON.stringify(checked.report));
        const { capture: _c, checks: _k, ...facts } = here;
        expect(r.read).toStrictEqual(facts);
        const files = pipelinedFiles(r)!;
        const own = readArchive(b.bytes).files;
        expect([...files.keys()]).toEqual([...own.keys()]);
        for (const [p, v] of own) expect(Buffer.from(files.get(p)!).equals(Buffer.from(v))).toBe(true);
      }
    } finally {
      await pipe.close();
    }
  });

  it('hands over no files and says so early when integrity fails', async () => {
    const bad = tamperObjectByte(q1.bytes);
    const pipe = startIntegrityPipeline({ trust: TRUST }, { force: true })!;
    try {
      await pipe.ready;
      const job = pipe.submit(bad, 'bad.tar.gz')!;
      const r = pipe.take(job, 60_000)!;
      expect(r.pass).toBe(false);
      expect(r.files).toBeUndefined();
      expect(pipe.failed(job)).toBe(false); // taken: the job is forgotten
      expect(pipe.poll(job)).toBe('pending');
    } finally {
      await pipe.close();
    }
  });
});
