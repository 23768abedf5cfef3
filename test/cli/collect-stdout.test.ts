// Issue 10 item 4: `gwe collect --out -` writes the bundle to standard output as bytes (IO.writeStdout, the
// path that bypasses the terminal escaping of io.stdout), the summary to stderr, and no file named "-".
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { Exit } from '../../src/cli/exit.ts';
import { memoryIO, type MemoryIO } from '../helpers/io.ts';
import { privateKeyPem, publicKeyPem, signingKeyFromSeed } from '../../src/crypto/index.ts';
import { openBundle } from '../../src/bundle/open.ts';

const SAMPLES = join(import.meta.dirname, '..', '..', 'samples', 'cluster');

function workdir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gwe-cli-collect-stdout-'));
  const key = signingKeyFromSeed(new Uint8Array(32).fill(9));
  writeFileSync(join(dir, 'signer.pem'), privateKeyPem(key));
  writeFileSync(join(dir, 'signer.pub.pem'), publicKeyPem(key.publicKey));
  return dir;
}

function byteIO(cwd: string, tty = false): MemoryIO & { bytes: () => Buffer } {
  const chunks: Uint8Array[] = [];
  return { ...memoryIO({ cwd }), writeStdout: (b: Uint8Array) => void chunks.push(Uint8Array.from(b)), stdoutIsTTY: tty, bytes: () => Buffer.concat(chunks) };
}

const args = (out: string): string[] => ['collect', '--from', SAMPLES, '--out', out, '--key', 'signer.pem', '--captured-at', '2026-12-01T10:00:00Z', '--cluster-name', 'ai-prod'];

describe('gwe collect --out -', () => {
  it('writes the bundle bytes to stdout, byte-identical to --out FILE, the summary to stderr, and no file "-"', async () => {
    const dir = workdir();
    const io = byteIO(dir);
    expect(await main(args('-'), io)).toBe(Exit.OK);
    const bytes = io.bytes();
    expect(io.out()).toBe(''); // nothing through the text channel
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]); // gzip
    expect(io.err()).toMatch(/^wrote -\n  bundle id   \S+\n  sha256      [0-9a-f]{64}\n/m);
    const sha = /sha256 {6}([0-9a-f]{64})/.exec(io.err())![1];
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(sha);
    expect(readdirSync(dir).sort()).toEqual(['signer.pem', 'signer.pub.pem']);

    const fileIO = memoryIO({ cwd: dir });
    expect(await main(args('b.tar.gz'), fileIO)).toBe(Exit.OK);
    expect(readFileSync(join(dir, 'b.tar.gz')).equals(bytes)).toBe(true);
    expect(openBundle(new Uint8Array(bytes)).integrityOk).toBe(true);

    writeFileSync(join(dir, 'piped.tar.gz'), bytes);
    const v = memoryIO({ cwd: dir });
    expect(await main(['verify', 'piped.tar.gz', '--key', 'signer.pub.pem'], v)).not.toBe(Exit.INTEGRITY);
    expect(v.out()).toMatch(/VERIFIED|verified/);
  });

  it('--quiet: only the bundle on stdout, nothing on stderr but warnings', async () => {
    const dir = workdir();
    const io = byteIO(dir);
    expect(await main([...args('-'), '--quiet'], io)).toBe(Exit.OK);
    expect(io.bytes().length).toBeGreaterThan(100);
    expect(io.err()).not.toContain('bundle id');
  });

  it('refuses a terminal as stdout (binary), and an IO without a byte channel, before reading anything', async () => {
    const dir = workdir();
    const tty = byteIO(dir, true);
    expect(await main(args('-'), tty)).toBe(Exit.USAGE);
    expect(tty.err()).toContain('refusing to write a binary bundle to a terminal');
    expect(tty.bytes().length).toBe(0);
    const none = memoryIO({ cwd: dir });
    expect(await main(args('-'), none)).toBe(Exit.USAGE);
    expect(none.err()).toContain('--out -');
    expect(readdirSync(dir).sort()).toEqual(['signer.pem', 'signer.pub.pem']);
  });
});
