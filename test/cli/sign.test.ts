import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { memoryIO } from '../helpers/io.ts';
import { buildBundle } from '../../src/bundle/build.ts';
import { readArchive } from '../../src/bundle/reader.ts';
import { KEYS_DIR, sampleCapture, sampleKey } from '../unit/bundle/fixture.ts';

function setup(): string {
  const cwd = mkdtempSync(join(tmpdir(), 'gwe-sign-'));
  writeFileSync(join(cwd, 'b.tar.gz'), buildBundle(sampleCapture(), { signers: [sampleKey('collector')] }).bytes);
  copyFileSync(`${KEYS_DIR}reviewer.test-only.key.pem`, join(cwd, 'reviewer.pem'));
  return cwd;
}

describe('gwe sign', () => {
  it('countersigns in place atomically (no temp file left) and is idempotent', async () => {
    const cwd = setup();
    const io = memoryIO({ cwd });
    expect(await main(['sign', 'b.tar.gz', '--key', 'reviewer.pem'], io)).toBe(0);
    expect(io.out()).toContain(`signed by ${sampleKey('reviewer').keyId}`);
    const r = readArchive(new Uint8Array(readFileSync(join(cwd, 'b.tar.gz'))));
    expect(r.files.has(`signatures/${sampleKey('reviewer').keyId}.sig`)).toBe(true);
    expect(readdirSync(cwd).sort()).toEqual(['b.tar.gz', 'reviewer.pem']);
    const before = readFileSync(join(cwd, 'b.tar.gz'));
    const io2 = memoryIO({ cwd });
    expect(await main(['sign', 'b.tar.gz', '--key', 'reviewer.pem'], io2)).toBe(0);
    expect(io2.out()).toContain('already signed by');
    expect(readFileSync(join(cwd, 'b.tar.gz')).equals(before)).toBe(true);
  });

  it('writes --out and refuses to overwrite an existing --out', async () => {
    const cwd = setup();
    const orig = readFileSync(join(cwd, 'b.tar.gz'));
    expect(await main(['sign', 'b.tar.gz', '--key', 'reviewer.pem', '--out', 'signed.tar.gz'], memoryIO({ cwd }))).toBe(0);
    expect(readFileSync(join(cwd, 'b.tar.gz')).equals(orig)).toBe(true);
    const io = memoryIO({ cwd });
    expect(await main(['sign', 'b.tar.gz', '--key', 'reviewer.pem', '--out', 'signed.tar.gz'], io)).toBe(64);
    expect(io.err()).toMatch(/refusing to overwrite/);
  });

  it('refuses a tampered bundle (exit 65) and a public key as signing key', async () => {
    const cwd = setup();
    const b = new Uint8Array(readFileSync(join(cwd, 'b.tar.gz')));
    b[b.length - 12] ^= 0xff;
    writeFileSync(join(cwd, 'bad.tar.gz'), b);
    const io = memoryIO({ cwd });
    expect(await main(['sign', 'bad.tar.gz', '--key', 'reviewer.pem'], io)).toBe(65);
    expect(io.err()).toMatch(/cannot sign/);
    copyFileSync(`${KEYS_DIR}reviewer.pub.pem`, join(cwd, 'pub.pem'));
    const io2 = memoryIO({ cwd });
    expect(await main(['sign', 'b.tar.gz', '--key', 'pub.pem'], io2)).toBe(65);
    expect(io2.err()).toMatch(/pub\.pem: expected one PEM "PRIVATE KEY" block/);
  });
});
