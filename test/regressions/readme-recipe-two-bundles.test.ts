// Issue 8 item 20 (first part): the README's inline reviewer recipe broke when two bundles were extracted in
// one directory (`cd gwe-*/`: too many arguments) and omitted the bundle-id check that docs/reviewer-recipe.sh
// does. This runs the README block exactly as printed, with the real tar, sha256sum and openssl.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBundle } from '../../src/bundle/build.ts';
import { KEYS_DIR, sampleCapture, sampleKey } from '../unit/bundle/fixture.ts';
import { repack, unpack } from '../unit/verify/helpers.ts';

const README = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
const block = /Its core:\n\n```sh\n([\s\S]*?)\n```/.exec(README)?.[1];

function run(bytes: Uint8Array): { status: number | null; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gwe-reg-readme-recipe-'));
  copyFileSync(`${KEYS_DIR}collector.pub.pem`, join(dir, 'signer.pub.pem'));
  writeFileSync(join(dir, 'bundle.tar.gz'), bytes);
  // Two bundles already extracted side by side where the reviewer works.
  mkdirSync(join(dir, 'gwe-20261001t000000z-0000000000000001'));
  mkdirSync(join(dir, 'gwe-20261101t000000z-0000000000000002'));
  writeFileSync(join(dir, 'recipe.sh'), `${block}\n`);
  const r = spawnSync('sh', ['-e', 'recipe.sh'], { cwd: dir, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('regression: readme-recipe-two-bundles', () => {
  const built = buildBundle(sampleCapture(), { signers: [sampleKey('collector')] });

  it('the README holds the recipe block, with the bundle-id check', () => {
    expect(block).toBeDefined();
    expect(block).toContain('"bundleId\\":\\"$ROOT\\"');
  });

  it('passes on a good bundle with other bundles extracted in the same directory', () => {
    const r = run(built.bytes);
    expect(r.out).toContain('Signature Verified Successfully');
    expect(r.status, r.out).toBe(0);
  });

  it('fails when the directory is not the bundle id the statement signs', () => {
    const { files } = unpack(built.bytes);
    const r = run(repack('gwe-20261101t000000z-ffffffffffffffff', files));
    expect(r.status, r.out).not.toBe(0);
    expect(r.out).not.toContain('Signature Verified Successfully');
  });
});
