/**
 * Fuzz-style tests of the strict archive reader and the verifier (issue 8 "Done means"): seeded mutations of a
 * valid signed bundle (byte flips in the .tar.gz, truncation, byte flips and field rewrites in the inflated tar
 * with and without a repaired header checksum). Fixed seeds and a fixed number of cases, so every run checks the
 * same inputs in a few seconds. The properties: readArchive and verifyBundle never throw and always return
 * findings; no mutation of a hashed or header byte is ever accepted as verified.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readArchive } from '../../src/bundle/reader.ts';
import { verifyBundle } from '../../src/verify/verify.ts';
import { makeFixture } from '../golden/verify/corpus.ts';
import { prng, type Prng } from '../helpers/prng.ts';

const fx = makeFixture();
const trust = { source: 'fuzz', keys: [{ name: 'collector', publicKey: fx.keys.collector.publicKey, keyId: fx.keys.collector.keyId }], threshold: 1, required: [] };
const tar = new Uint8Array(gunzipSync(fx.bytes));
/** Offsets of every header block in the writer's tar. */
const headers: number[] = [];
for (let off = 0; off + 512 <= tar.length; ) {
  if (tar[off] === 0) break;
  headers.push(off);
  const size = parseInt(new TextDecoder().decode(tar.subarray(off + 124, off + 135)), 8);
  off += 512 + Math.ceil(size / 512) * 512;
}

/** The gzip the writer writes, around `t` (no flags, MTIME 0, OS 255). */
function regzip(t: Uint8Array): Uint8Array {
  const gz = new Uint8Array(gzipSync(t, { level: 1 }));
  gz[9] = 0xff;
  return gz;
}

function fixChecksum(t: Uint8Array, off: number): void {
  t.fill(0x20, off + 148, off + 156);
  let sum = 0;
  for (let i = off; i < off + 512; i++) sum += t[i]!;
  const s = sum.toString(8).padStart(6, '0');
  for (let i = 0; i < 6; i++) t[off + 148 + i] = s.charCodeAt(i);
  t[off + 154] = 0;
  t[off + 155] = 0x20;
}

/** verifyBundle must return a report (never throw) and must not verify `bytes`; readArchive must not throw. */
function expectNotVerified(bytes: Uint8Array, what: string): void {
  let read;
  try {
    read = readArchive(bytes);
  } catch (e) {
    throw new Error(`${what}: readArchive threw ${(e as Error).stack}`);
  }
  expect(Array.isArray(read.findings), what).toBe(true);
  let v;
  try {
    v = verifyBundle(bytes, { trust });
  } catch (e) {
    throw new Error(`${what}: verifyBundle threw ${(e as Error).stack}`);
  }
  expect(v.findings.length, what).toBeGreaterThan(0);
  expect(v.verdict, what).toBe('failed');
}

const FIELDS: readonly (readonly [string, number, number])[] = [
  ['name', 0, 100],
  ['mode', 100, 8],
  ['uid', 108, 8],
  ['gid', 116, 8],
  ['size', 124, 12],
  ['mtime', 136, 12],
  ['typeflag', 156, 1],
  ['linkname', 157, 100],
  ['magic', 257, 8],
  ['uname', 265, 32],
  ['gname', 297, 32],
  ['devmajor', 329, 16],
  ['prefix', 345, 155],
  ['tail', 500, 12],
];
const INTERESTING = [0x00, 0x20, 0x30, 0x37, 0x38, 0x2f, 0x2e, 0x5c, 0x7f, 0x80, 0xff, 0x35, 0x78, 0x67, 0x4c];

function mutateField(r: Prng, t: Uint8Array): string {
  const off = r.pick(headers);
  const [field, at, len] = r.pick(FIELDS);
  const i = off + at + r.int(len);
  const old = t[i]!;
  let v = r.chance(0.5) ? r.pick(INTERESTING) : r.int(256);
  if (v === old) v = (old + 1) & 0xff;
  t[i] = v;
  return `header at ${off} field ${field} byte ${i - off}: 0x${old.toString(16)} -> 0x${v.toString(16)}`;
}

describe('fuzz: strict archive reader and verifier (fixed seeds)', () => {
  it('sanity: the unmutated fixture verifies, and re-gzipping the same tar still verifies', () => {
    expect(verifyBundle(fx.bytes, { trust }).verdict).toBe('verified');
    expect(verifyBundle(regzip(tar), { trust }).verdict).toBe('verified');
    expect(headers.length).toBeGreaterThan(5);
  });

  it('byte flips anywhere in the .tar.gz after the informational header bytes (seed 1, 150 cases)', () => {
    const r = prng(1);
    for (let n = 0; n < 150; n++) {
      const b = fx.bytes.slice();
      // Bytes 4-9 (MTIME, XFL, OS) carry no data and are not checked (docs/bundle-format.md section 3).
      const positions = 1 + r.int(3);
      const changed: number[] = [];
      for (let k = 0; k < positions; k++) {
        let i = r.int(b.length);
        if (i >= 4 && i <= 9) i = 3;
        b[i] = b[i]! ^ (1 + r.int(255));
        changed.push(i);
      }
      expectNotVerified(b, `case ${n}: flipped bytes at ${changed.join(',')}`);
    }
  });

  it('truncation and appended bytes (seed 2, 60 cases)', () => {
    const r = prng(2);
    for (let n = 0; n < 60; n++) {
      const cut = r.int(fx.bytes.length);
      expectNotVerified(fx.bytes.subarray(0, cut), `case ${n}: truncated to ${cut} bytes`);
      const extra = new Uint8Array(1 + r.int(600)).map(() => (r.chance(0.5) ? 0 : r.int(256)));
      const appended = new Uint8Array(fx.bytes.length + extra.length);
      appended.set(fx.bytes);
      appended.set(extra, fx.bytes.length);
      expectNotVerified(appended, `case ${n}: ${extra.length} bytes appended`);
    }
  });

  it('tar header field mutations, with the checksum repaired and the gzip rebuilt (seed 3, 200 cases)', () => {
    const r = prng(3);
    for (let n = 0; n < 200; n++) {
      const t = tar.slice();
      const what: string[] = [];
      const count = 1 + r.int(2);
      for (let k = 0; k < count; k++) what.push(mutateField(r, t));
      for (const off of headers) fixChecksum(t, off);
      expectNotVerified(regzip(t), `case ${n}: ${what.join('; ')}`);
    }
  });

  it('byte flips in the inflated tar, checksum not repaired (seed 4, 120 cases)', () => {
    const r = prng(4);
    for (let n = 0; n < 120; n++) {
      const t = tar.slice();
      // Anywhere before the end marker: headers, data and padding (every byte there is hashed or fixed).
      const end = tar.length - 1024;
      const i = r.int(end);
      t[i] = t[i]! ^ (1 + r.int(255));
      expectNotVerified(regzip(t), `case ${n}: tar byte ${i} flipped`);
    }
  });

  it('block-level edits: duplicated, dropped and swapped 512-byte blocks (seed 5, 80 cases)', () => {
    const r = prng(5);
    const blocks = tar.length / 512;
    for (let n = 0; n < 80; n++) {
      const list = Array.from({ length: blocks }, (_, i) => i);
      const op = r.pick(['dup', 'drop', 'swap'] as const);
      const i = r.int(blocks - 2);
      const j = r.int(blocks - 2);
      if (op === 'dup') list.splice(i, 0, j);
      else if (op === 'drop') list.splice(i, 1);
      else if (tar.subarray(i * 512, i * 512 + 512).some((x, k) => x !== tar[j * 512 + k])) [list[i], list[j]] = [list[j]!, list[i]!];
      else list.splice(i, 1);
      const t = new Uint8Array(list.length * 512);
      list.forEach((b, k) => t.set(tar.subarray(b * 512, b * 512 + 512), k * 512));
      expectNotVerified(regzip(t), `case ${n}: ${op} block ${i} / ${j}`);
    }
  });
});
