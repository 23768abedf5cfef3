// Issue 8 item 7: an object name of 96-100 characters made the whole capture fail ("path too long for a ustar
// header"): names up to 95 fit, 101+ were hashed, 96-100 fell between. Long namespaces failed the same way.
// Gateway API names may be 253 characters. Now objectPath hashes the name, then the namespace, kind and group,
// until the path fits; every path the old rule could write is unchanged (old bundles keep verifying).
import { describe, expect, it } from 'vitest';
import { buildBundle } from '../../src/bundle/build.ts';
import { objectPath } from '../../src/bundle/layout.ts';
import { readArchive } from '../../src/bundle/reader.ts';
import { verifyBundle } from '../../src/verify/verify.ts';
import { sha256Hex } from '../../src/crypto/index.ts';
import type { Capture } from '../../src/model/collection.ts';
import type { KubeObject } from '../../src/model/index.ts';
import { sampleCapture, sampleKey } from '../unit/bundle/fixture.ts';

/** A DNS-1123 subdomain of exactly `n` characters (labels of <= 63, dots between). */
function dnsName(n: number, seed: string): string {
  let s = '';
  let i = 0;
  while (s.length < n) {
    const c = s.length > 0 && s.length % 60 === 59 && s.length < n - 1 ? '.' : 'abcdefghijklmnopqrstuvwxyz0123456789'[(seed.charCodeAt(i % seed.length) + i) % 36]!;
    s += c;
    i++;
  }
  return s.replace(/^[^a-z]/, 'a').replace(/[^a-z0-9]$/, 'z');
}

const trust = () => ({ source: 'test', keys: [{ name: 'collector', publicKey: sampleKey('collector').publicKey, keyId: sampleKey('collector').keyId }], threshold: 1, required: [] });

/** The rule before the fix, where it could write a path (else undefined): kept to prove paths did not move. */
function v1Path(o: KubeObject): string | undefined {
  const seg = (v: string): string => (/^[a-z0-9._-]+$/.test(v) && v !== '.' && v !== '..' && v.length <= 100 && !v.startsWith('_h') ? v : `_h${sha256Hex(new TextEncoder().encode(v)).slice(0, 32)}`);
  const g = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0]! : 'core';
  const p = `data/objects/${seg(g)}/${seg(o.kind.toLowerCase())}/${o.metadata.namespace ? seg(o.metadata.namespace) : '_cluster'}/${seg(o.metadata.name)}.json`;
  const full = `${'x'.repeat(37)}/${p}`;
  if (p.length > 240 || full.length > 255) return undefined; // 256 was writable, but the reader always rejected it
  if (full.length <= 100) return p;
  for (let i = full.length - 101; i < full.length; i++) if (i > 0 && full[i] === '/' && i <= 155 && full.length - i - 1 <= 100) return p;
  return undefined;
}

function captureWith(objects: KubeObject[]): Capture {
  const c = sampleCapture();
  c.snapshot.objects.push(...objects);
  return c;
}

describe('regression: object-name-96-100-path-too-long', () => {
  it('names of every length 90..253 (namespaced and cluster-scoped) build, verify and round-trip', () => {
    const objects: KubeObject[] = [];
    for (let n = 90; n <= 253; n++) {
      const name = dnsName(n, `r${n}`);
      expect(name.length).toBe(n);
      objects.push({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name, namespace: 'shop' }, spec: {} });
      objects.push({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name }, spec: { controllerName: 'x.io/y' } });
    }
    const built = buildBundle(captureWith(objects), { signers: [sampleKey('collector')] });
    const report = verifyBundle(built.bytes, { trust: trust() });
    expect(report.verdict, JSON.stringify(report.findings.filter((f) => f.severity === 'error').slice(0, 3))).not.toBe('failed');
    expect(report.findings.filter((f) => f.code === 'OBJECT_PATH_MISMATCH')).toEqual([]);
    const files = readArchive(built.bytes).files;
    for (const o of objects) expect(files.has(objectPath(o)), o.metadata.name).toBe(true);
  });

  it('long namespaces (63, the Kubernetes maximum, and longer hostile ones) with long names fit', () => {
    const objects: KubeObject[] = [];
    for (const nsLen of [1, 40, 63, 64, 100, 150, 253]) {
      for (const n of [1, 63, 95, 96, 100, 101, 253]) {
        objects.push({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'ReferenceGrant', metadata: { name: dnsName(n, `g${n}`), namespace: dnsName(nsLen, `n${nsLen}`) }, spec: { from: [], to: [] } });
      }
    }
    const built = buildBundle(captureWith(objects), { signers: [sampleKey('collector')] });
    const rep = verifyBundle(built.bytes, { trust: trust() });
    expect(rep.verdict, JSON.stringify(rep.findings.filter((f) => f.severity === 'error').slice(0, 3))).not.toBe('failed');
  });

  it('every path the old rule could write is unchanged (older bundles keep verifying)', () => {
    let kept = 0;
    for (const nsLen of [0, 5, 63, 100]) {
      for (let n = 1; n <= 253; n += 3) {
        const o: KubeObject = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: dnsName(n, 'x'), ...(nsLen > 0 ? { namespace: dnsName(nsLen, 'y') } : {}) } };
        const old = v1Path(o);
        if (old !== undefined) {
          expect(objectPath(o)).toBe(old);
          kept++;
        }
      }
    }
    expect(kept).toBeGreaterThan(100);
  });
});
