// Issue 8 item 19: `gwe sign` countersigned a bundle whose existing signature does not verify, without a word
// (the reviewer's signature then sat next to a forged one). Now the existing signatures are checked against
// the signer's own key and the keys of --trust/--trust-key: one that does not verify makes sign refuse (exit 2)
// unless --force; signatures no given key can check are named in a warning.
import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { memoryIO } from '../helpers/io.ts';
import { assembleArchive, buildBundle, captureSeconds } from '../../src/bundle/build.ts';
import { readArchive } from '../../src/bundle/reader.ts';
import { signPayload, STATEMENT_FILE } from '../../src/bundle/statement.ts';
import { KEYS_DIR, sampleCapture, sampleKey } from '../unit/bundle/fixture.ts';

/** A bundle whose signatures are those of `signers`, with the one of `broken` flipped (envelope and .sig agree). */
function bundleWithBrokenSignature(signers: ('collector' | 'reviewer')[], broken: 'collector' | 'reviewer'): Uint8Array {
  const capture = sampleCapture();
  const good = buildBundle(capture, { signers: [sampleKey('collector')] });
  const read = readArchive(good.bytes);
  const statement = read.files.get(STATEMENT_FILE)!;
  const sigs = new Map<string, Uint8Array>();
  for (const s of signers) {
    const sig = signPayload(statement, sampleKey(s));
    if (s === broken) sig[5]! ^= 0x40;
    sigs.set(sampleKey(s).keyId, sig);
  }
  const hashed = new Map([...read.files].filter(([p]) => !p.startsWith('signatures/')));
  return assembleArchive(read.root, hashed, statement, sigs, captureSeconds(capture.record.capturedAt));
}

function setup(bytes: Uint8Array): string {
  const cwd = mkdtempSync(join(tmpdir(), 'gwe-reg-sign-invalid-'));
  writeFileSync(join(cwd, 'b.tar.gz'), bytes);
  copyFileSync(`${KEYS_DIR}reviewer.test-only.key.pem`, join(cwd, 'reviewer.pem'));
  copyFileSync(`${KEYS_DIR}collector.pub.pem`, join(cwd, 'collector.pub.pem'));
  copyFileSync(`${KEYS_DIR}reviewer.pub.pem`, join(cwd, 'reviewer.pub.pem'));
  return cwd;
}

describe('regression: sign-countersigns-invalid-signature', () => {
  it('refuses (exit 2) to countersign next to an invalid signature of a trusted key; --force signs with a warning', async () => {
    const cwd = setup(bundleWithBrokenSignature(['collector'], 'collector'));
    const before = readFileSync(join(cwd, 'b.tar.gz'));
    const io = memoryIO({ cwd });
    expect(await main(['sign', 'b.tar.gz', '--key', 'reviewer.pem', '--trust-key', 'collector.pub.pem'], io)).toBe(2);
    expect(io.err()).toMatch(new RegExp(`refusing to countersign b\\.tar\\.gz: 1 existing signature\\(s\\) do not verify .*${sampleKey('collector').keyId}.*--force`));
    expect(io.out()).toBe('');
    expect(readFileSync(join(cwd, 'b.tar.gz')).equals(before)).toBe(true);

    const forced = memoryIO({ cwd });
    expect(await main(['sign', 'b.tar.gz', '--key', 'reviewer.pem', '--trust-key', 'collector.pub.pem', '--force'], forced)).toBe(0);
    expect(forced.err()).toMatch(/--force: the existing signature by .* does not verify; the bundle will still fail gwe verify/);
    // and verify agrees that the collector's signature is bad
    const v = memoryIO({ cwd });
    expect(await main(['verify', 'b.tar.gz', '--key', 'collector.pub.pem'], v)).toBe(2);
  });

  it('without a trust root the existing signatures are named as not checked', async () => {
    const cwd = setup(buildBundle(sampleCapture(), { signers: [sampleKey('collector')] }).bytes);
    const io = memoryIO({ cwd });
    expect(await main(['sign', 'b.tar.gz', '--key', 'reviewer.pem'], io)).toBe(0);
    expect(io.err()).toContain(`warning: 1 existing signature(s) not checked (no --trust or --trust-key given): ${sampleKey('collector').keyId}`);
    // with the right key they are checked and valid: no warning
    const cwd2 = setup(buildBundle(sampleCapture(), { signers: [sampleKey('collector')] }).bytes);
    const io2 = memoryIO({ cwd: cwd2 });
    expect(await main(['sign', 'b.tar.gz', '--key', 'reviewer.pem', '--trust-key', 'collector.pub.pem'], io2)).toBe(0);
    expect(io2.err()).toBe('');
  });

  it("an invalid signature by the signer's own key is not reported as 'already signed': refused, --force replaces it", async () => {
    const cwd = setup(bundleWithBrokenSignature(['collector', 'reviewer'], 'reviewer'));
    const io = memoryIO({ cwd });
    expect(await main(['sign', 'b.tar.gz', '--key', 'reviewer.pem'], io)).toBe(2);
    expect(io.err()).toMatch(/holds a signature by this key .* that does not verify; pass --force to replace it/);
    const forced = memoryIO({ cwd });
    expect(await main(['sign', 'b.tar.gz', '--key', 'reviewer.pem', '--force'], forced)).toBe(0);
    expect(forced.out()).toMatch(/^signed again \(replaced an invalid signature\) by /);
    expect(await main(['verify', 'b.tar.gz', '--key', 'reviewer.pub.pem'], memoryIO({ cwd }))).toBe(0);
  });
});
