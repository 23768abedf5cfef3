/** Shared setup for the report/diff/chain regressions: the sample platform collected into a signed bundle, in process. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { memoryIO } from '../helpers/io.ts';

export const ROOT = resolve('.');

/** Collects `from` (default samples/cluster) into DIR/NAME; returns the directory. */
export async function sampleBundle(name = 'b.tar.gz', from = join(ROOT, 'samples/cluster'), capturedAt = '2026-12-01T09:00:00Z', dir = mkdtempSync(join(tmpdir(), 'gwe-regr-'))): Promise<string> {
  // The collector's clock an hour after the capture time (collect refuses capture times ahead of the clock).
  const io = memoryIO({ cwd: dir, now: new Date(Date.parse(capturedAt) + 3_600_000) });
  const code = await main(['collect', '--from', from, '--out', name, '--key', join(ROOT, 'keys/collector.test-only.key.pem'), '--captured-at', capturedAt, '--cluster-name', 'ai-platform-prod'], io);
  if (code !== 0 && code !== 1) throw new Error(`collect failed (${code}): ${io.err()}`);
  return dir;
}

export async function run(dir: string, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIO({ cwd: dir });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}
