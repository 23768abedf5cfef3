// Bug: `gwe keygen` wrote NAME.key.pem first and only then found that NAME.pub.pem existed, leaving a new
// private key with no matching public key. Now both paths are checked before anything is written.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { memoryIO } from '../helpers/io.ts';

describe('regression: keygen-orphan-private-key', () => {
  it('refuses when only the public key file exists, and writes no private key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gwe-reg-keygen-'));
    writeFileSync(join(dir, 'rev.pub.pem'), 'existing\n');
    const io = memoryIO({ cwd: dir });
    expect(await main(['keygen', '--out', '.', '--name', 'rev'], io)).toBe(64);
    expect(io.err()).toMatch(/refusing to overwrite existing file .*rev\.pub\.pem/);
    expect(existsSync(join(dir, 'rev.key.pem'))).toBe(false);
    expect(readFileSync(join(dir, 'rev.pub.pem'), 'utf8')).toBe('existing\n');
  });
});
