import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { main } from '../../src/cli/main.ts';
import { memoryIO } from '../helpers/io.ts';
import { quarters } from '../unit/chain/fixtures.ts';
import { workdir } from '../cli/chain-helpers.ts';

// Bug: `gwe verify --chain` accepted the --max-* caps flags but verified every bundle with the default caps,
// so a reviewer's tighter limits were silently ignored (and --policy was not used by the change history).
describe('regression: verify --chain ignores the caps flags', () => {
  const [q1, q2] = quarters();
  const dir = workdir([q1, q2]);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('applies --max-entries to every bundle of the chain', async () => {
    const io = memoryIO({ cwd: dir });
    expect(await main(['verify', '--chain', 'q1.tar.gz', 'q2.tar.gz', '--key', 'pub.pem', '--max-entries', '3', '--output', 'json'], io)).toBe(2);
    const j = JSON.parse(io.out());
    expect(j.chain.ok).toBe(false);
    expect(JSON.stringify(j.chain)).toContain('ARCHIVE_CAP_EXCEEDED');
  });

  it('rejects a malformed cap like plain verify', async () => {
    const io = memoryIO({ cwd: dir });
    expect(await main(['verify', '--chain', 'q1.tar.gz', 'q2.tar.gz', '--key', 'pub.pem', '--max-entries', 'lots'], io)).toBe(64);
    expect(io.err()).toContain('expected --max-entries as a positive integer');
  });

  it('uses --policy for the change history', async () => {
    const io = memoryIO({ cwd: dir });
    const code = await main(['verify', '--chain', 'q1.tar.gz', 'q2.tar.gz', '--key', 'pub.pem', '--policy', 'nope.yaml'], io);
    expect(code).toBe(65); // the policy file is read (and here missing), not ignored
  });
});
