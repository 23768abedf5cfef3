/**
 * Runs docs/reviewer-recipe.sh (the README's reviewer recipe) with the REAL tar, sha256sum and openssl
 * binaries on a built bundle, and shows that a flipped byte anywhere that matters makes it fail.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBundle } from '../../src/bundle/build.ts';
import { addSignature } from '../../src/bundle/sign.ts';
import { KEYS_DIR, sampleCapture, sampleKey } from '../unit/bundle/fixture.ts';
import { repack, unpack } from '../unit/verify/helpers.ts';

const RECIPE = fileURLToPath(new URL('../../docs/reviewer-recipe.sh', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'gwe-recipe-'));
copyFileSync(`${KEYS_DIR}collector.pub.pem`, join(dir, 'collector.pub.pem'));
copyFileSync(`${KEYS_DIR}reviewer.pub.pem`, join(dir, 'reviewer.pub.pem'));
const built = buildBundle(sampleCapture(), { signers: [sampleKey('collector')] });

function run(bytes: Uint8Array, name: string, pub = 'collector.pub.pem'): { status: number | null; out: string } {
  writeFileSync(join(dir, name), bytes);
  const r = spawnSync('sh', [RECIPE, name, pub], { cwd: dir, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

function flip(path: string): Uint8Array {
  const { root, files } = unpack(built.bytes);
  const b = files.get(path)!;
  b[Math.floor(b.length / 2)] ^= 0x01;
  return repack(root, files);
}

describe('reviewer recipe (tar + sha256sum + openssl)', () => {
  it('accepts a good bundle: both manifests OK and "Signature Verified Successfully"', () => {
    const r = run(built.bytes, 'good.tar.gz');
    expect(r.out).toContain('data/objects/core/service/chat/chat-v1.json: OK');
    expect(r.out).toContain('collection.json: OK');
    expect(r.out).toContain('Signature Verified Successfully');
    expect(r.status).toBe(0);
  });

  it('accepts the reviewer countersignature with the reviewer key', () => {
    const r = run(addSignature(built.bytes, sampleKey('reviewer')), 'countersigned.tar.gz', 'reviewer.pub.pem');
    expect(r.out).toContain('Signature Verified Successfully');
    expect(r.status).toBe(0);
  });

  it('rejects a key that did not sign', () => {
    const r = run(built.bytes, 'good2.tar.gz', 'reviewer.pub.pem');
    expect(r.out).toMatch(/no signature by key/);
    expect(r.status).not.toBe(0);
  });

  for (const [path, why] of [
    ['data/objects/core/service/chat/chat-v1.json', /FAILED/],
    ['data/conformance-reports/standard-v1.3.0-report.yaml', /FAILED/],
    ['collection.json', /FAILED/],
    ['manifest-sha256.txt', /FAILED|improperly formatted|No such file/],
    ['signatures/statement.json', /Signature Verification Failure|does not name/],
  ] as const) {
    it(`fails on a flipped byte in ${path}`, () => {
      const r = run(flip(path), 'flipped.tar.gz');
      expect(r.status).not.toBe(0);
      expect(r.out).toMatch(why);
    });
  }

  it('fails on a flipped signature byte', () => {
    const r = run(flip(`signatures/${sampleKey('collector').keyId}.sig`), 'badsig.tar.gz');
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/Signature Verification Failure/);
  });
});
