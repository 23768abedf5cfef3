// Issue 8 item 5: five concurrent `gwe sign` runs on one bundle, each with its own key, all printed "signed by"
// but the bundle kept only some of the signatures (each run read the bundle, signed, and renamed its copy over
// the others'). Now the read-sign-rename runs under an exclusive lock file next to the bundle (with stale-lock
// handling) plus a compare-and-swap on the file's digest: every signature survives, and a held lock makes the
// loser wait, or fail clearly after its timeout.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { memoryIO } from '../helpers/io.ts';
import { buildBundle } from '../../src/bundle/build.ts';
import { readArchive } from '../../src/bundle/reader.ts';
import { privateKeyPem, signingKeyFromSeed } from '../../src/crypto/index.ts';
import { lockPath, withFileLock } from '../../src/io/lock.ts';
import { OutputError } from '../../src/errors.ts';
import { sampleCapture, sampleKey } from '../unit/bundle/fixture.ts';

const keys = [1, 2, 3, 4, 5].map((n) => signingKeyFromSeed(new Uint8Array(32).fill(n)));

function setup(): string {
  const cwd = mkdtempSync(join(tmpdir(), 'gwe-reg-sign-race-'));
  writeFileSync(join(cwd, 'b.tar.gz'), buildBundle(sampleCapture(), { signers: [sampleKey('collector')] }).bytes);
  keys.forEach((k, i) => writeFileSync(join(cwd, `k${i}.pem`), privateKeyPem(k)));
  return cwd;
}

function sigFiles(cwd: string): string[] {
  return [...readArchive(new Uint8Array(readFileSync(join(cwd, 'b.tar.gz')))).files.keys()].filter((p) => p.endsWith('.sig')).sort();
}

describe('regression: sign-concurrent-loses-signature', () => {
  it('five concurrent in-place signers: every signature is in the bundle, no lock or temporary left', async () => {
    for (let trial = 0; trial < 3; trial++) {
      const cwd = setup();
      const ios = keys.map(() => memoryIO({ cwd }));
      const codes = await Promise.all(keys.map((_, i) => main(['sign', 'b.tar.gz', '--key', `k${i}.pem`], ios[i]!)));
      expect(codes, ios.map((io) => io.err()).join('\n')).toEqual([0, 0, 0, 0, 0]);
      const want = [sampleKey('collector'), ...keys].map((k) => `signatures/${k.keyId}.sig`).sort();
      expect(sigFiles(cwd)).toEqual(want);
      expect(readdirSync(cwd).filter((n) => n.startsWith('.'))).toEqual([]);
    }
  });

  it('a stale lock (its process is gone) is broken; a live one makes the loser fail clearly after the timeout', async () => {
    const cwd = setup();
    const target = join(cwd, 'b.tar.gz');
    // pid 2^22+1 is above Linux's default pid_max range in practice: no such process.
    writeFileSync(lockPath(target), `4194305 ${(await import('node:os')).hostname()} 2026-01-01T00:00:00.000Z dead\n`);
    const io = memoryIO({ cwd });
    expect(await main(['sign', 'b.tar.gz', '--key', 'k0.pem'], io), io.err()).toBe(0);
    expect(existsSync(lockPath(target))).toBe(false);

    let release!: () => void;
    const held = withFileLock(target, () => new Promise<void>((r) => (release = r)));
    await new Promise((r) => setTimeout(r, 20));
    const err = await withFileLock(target, async () => 'got it', { timeoutMs: 150 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutputError);
    expect((err as OutputError).code).toBe('OUTPUT_LOCKED');
    expect((err as Error).message).toMatch(/another gwe process holds its lock .*\.b\.tar\.gz\.lock \(pid \d+ on /);
    release();
    await held;
    expect(await withFileLock(target, async () => 'got it')).toBe('got it');
    expect(existsSync(lockPath(target))).toBe(false);
  });
});
