// Bug: `gwe verify` / `gwe sign` printed a bare Node error for a missing file ("ENOENT: no such file or
// directory, open '/abs/path'"), without saying which input it was or what was expected; `gwe sign` on a
// non-bundle did not name the file. Now: "cannot read bundle "x": expected a readable file, found no such file".
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { memoryIO } from '../helpers/io.ts';
import { privateKeyPem, publicKeyPem, signingKeyFromSeed } from '../../src/crypto/index.ts';

describe('regression: cli-unreadable-file-message', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gwe-reg-unreadable-'));
  const key = signingKeyFromSeed(new Uint8Array(32).fill(5));
  writeFileSync(join(dir, 'k.pem'), privateKeyPem(key));
  writeFileSync(join(dir, 'k.pub.pem'), publicKeyPem(key.publicKey));
  writeFileSync(join(dir, 'notes.txt'), 'hello\n');

  const cases: Array<[string[], RegExp]> = [
    [['verify', 'missing.tar.gz', '--key', 'k.pub.pem'], /cannot read bundle "missing\.tar\.gz": expected a readable file, found no such file \(ENOENT\)/],
    [['verify', 'x.tar.gz', '--trust', 'nothere.yaml'], /cannot read trust file "nothere\.yaml": expected a readable file, found no such file/],
    [['verify', 'x.tar.gz', '--key', 'nothere.pem'], /cannot read public key "nothere\.pem"/],
    [['sign', 'missing.tar.gz', '--key', 'k.pem'], /cannot read bundle "missing\.tar\.gz"/],
    [['sign', 'x.tar.gz', '--key', 'nokey.pem'], /cannot read signing key "nokey\.pem"/],
    [['sign', 'notes.txt', '--key', 'k.pem'], /^gwe: notes\.txt: cannot sign: not a readable bundle: expected gzip magic/],
  ];
  for (const [argv, msg] of cases) {
    it(`${argv.join(' ')} -> 65 with a message naming the file`, async () => {
      const io = memoryIO({ cwd: dir });
      expect(await main(argv, io)).toBe(65);
      expect(io.err()).toMatch(msg);
    });
  }
});
