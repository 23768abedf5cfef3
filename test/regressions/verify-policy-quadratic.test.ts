/**
 * Regression (issue 13 item 1): `gwe verify --policy` was quadratic and read the bundle twice. applyPolicy
 * compared every policy finding with every analysis finding (sameFact: 223 million pairs at 10k routes, 114 s),
 * and it opened, parsed and resolved the bundle a second time. Now verifyBundle(bytes, {policy}) folds the policy
 * over the capture and spec resolution the analysis already has, and pairs findings through an index by object.
 * The report must be exactly what the two-pass path gave (same findings, same sameFactAs pairs, same order).
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, sampleBundle } from './report-sample-bundle.ts';
import { parseTrust } from '../../src/verify/trust.ts';
import { verifyBundle } from '../../src/verify/verify.ts';
import { verifyBundleParallel, type ParallelMode } from '../../src/verify-parallel.ts';
import { loadPolicy } from '../../src/policy/load.ts';
import { applyPolicy } from '../../src/policy/verify-hook.ts';
import { sameFact, sameFactIndex } from '../../src/model/same-fact.ts';
import type { Finding } from '../../src/model/finding.ts';
import type { Policy } from '../../src/policy/types.ts';
import type { TrustRoot } from '../../src/verify/trust.ts';

let dir = '';
let bytes: Uint8Array;
let trust: TrustRoot;
let policy: Policy;
beforeAll(async () => {
  dir = await sampleBundle();
  bytes = new Uint8Array(readFileSync(join(dir, 'b.tar.gz')));
  trust = parseTrust(readFileSync(join(ROOT, 'keys/trust.yaml'), 'utf8'), 'keys/trust.yaml');
  policy = loadPolicy(readFileSync(join(ROOT, 'samples/policy.yaml'), 'utf8'), 'samples/policy.yaml');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('verify --policy: one pass, indexed pairing', () => {
  it('verifyBundle with a policy gives the report of the two-pass path (verify, then open + resolve + pair again)', () => {
    const onePass = verifyBundle(bytes, { trust, policy });
    const twoPass = applyPolicy(verifyBundle(bytes, { trust }), bytes, policy);
    expect(onePass.analysis.findings.some((f) => f.code.startsWith('POLICY_'))).toBe(true);
    expect(onePass.analysis.findings.some((f) => Array.isArray(f.detail?.sameFactAs))).toBe(true);
    expect(JSON.stringify(onePass)).toBe(JSON.stringify(twoPass));
  });

  it('verifyBundleParallel with a policy gives verifyBundle\'s report', async () => {
    const stats: { mode?: ParallelMode } = {};
    const par = await verifyBundleParallel(bytes, { trust, policy }, { force: true, stats });
    expect(stats.mode).toBe('worker');
    expect(JSON.stringify(par)).toBe(JSON.stringify(verifyBundle(bytes, { trust, policy })));
  });

  it('a bundle that fails verification gets no policy findings', () => {
    const wrong = { ...trust, keys: trust.keys.filter((k) => k.role !== 'collector') };
    const r = verifyBundle(bytes, { trust: wrong, policy });
    expect(r.verdict).toBe('failed');
    expect(r.analysis.ran).toBe(false);
    expect(r.analysis.findings).toEqual([]);
  });

  it('sameFactIndex(analysis)(p) gives the indices of analysis.filter((a) => sameFact(a, p)), in order, for real and crafted findings', () => {
    const r = verifyBundle(bytes, { trust, policy });
    const real = r.analysis.findings;
    const mk = (code: string, subject: string | undefined, detail: Record<string, unknown>, message = 'm'): Finding => ({ code, severity: 'warning', ...(subject !== undefined ? { subject } : {}), message, detail });
    // Crafted: values sameFact compares as undefined, subjects that only agree after objectOf, ports, collisions.
    const analysis: Finding[] = [
      ...real.filter((f) => !f.code.startsWith('POLICY_')),
      mk('CERT_EXPIRING', 'Gateway.gateway.networking.k8s.io/infra/gw listener https', {}),
      mk('CERT_EXPIRED', undefined, { secret: 'infra/tls', sha256Fingerprint: 'aa' }),
      mk('CERT_EXPIRING', 'Secret infra/tls', { secret: 42 }),
      mk('EXPOSURE_PLAINTEXT_HOSTNAME', 'x', { listener: 'http' }),
      mk('EXPOSURE_PLAINTEXT_HOSTNAME', 'x', { gateway: 'infra/gw', listener: 'http' }),
      mk('EXPOSURE_SERVICE_TYPE', 's', { backend: 'Service a/b:80' }),
      mk('EXPOSURE_SERVICE_TYPE', 's', { route: '\u0000none', backend: 'Service a/b' }),
      mk('EXPOSURE_SERVICE_TYPE', 's', { route: 'HTTPRoute a/r', backend: 'Service a/b:8080' }),
      mk('UNCLASSIFIED_SERVICE', 'Service.v1/a/b', {}),
      mk('UNCLASSIFIED_SERVICE', 'HTTPRoute a/r', {}),
      mk('RefNotPermitted', 'HTTPRoute.gateway.networking.k8s.io/a/r rule 0', {}, 'references Service b/c.d port 80'),
      mk('EXPOSURE_CROSS_NAMESPACE_BACKEND', 'HTTPRoute a/r', {}, 'backend Service b/c'),
      mk('RefNotPermitted', 'HTTPRoute a/r', {}, 'backend Service b/c-2'),
    ];
    const policyFindings: Finding[] = [
      ...real.filter((f) => f.code.startsWith('POLICY_')),
      mk('POLICY_CERTIFICATE_EXPIRING', 'Gateway infra/gw', {}),
      mk('POLICY_CERTIFICATE_EXPIRED', 'Secret infra/tls', { sha256Fingerprint: 'aa' }),
      mk('POLICY_CERTIFICATE_EXPIRED', 'Secret infra/tls', { sha256Fingerprint: 'bb' }),
      mk('POLICY_TLS_REQUIRED', 'Gateway ', { listener: 'http' }),
      mk('POLICY_TLS_REQUIRED', 'Gateway.gateway.networking.k8s.io/infra/gw', { listener: 'http' }),
      mk('POLICY_SERVICE_TYPE_NOT_ALLOWED', 'HTTPRoute a/r', { evidence: { backend: 'Service a/b' } }),
      mk('POLICY_SERVICE_TYPE_NOT_ALLOWED', 'HTTPRoute a/r', { evidence: { route: 'HTTPRoute a/r', backend: 'Service a/b:8080' } }),
      mk('POLICY_SERVICE_TYPE_NOT_ALLOWED', 'Service a/b', { evidence: 'not an object' }),
      mk('POLICY_UNEXPECTED_CROSS_NAMESPACE', 'HTTPRoute a/r', { evidence: { backend: 'Service b/c:80' } }),
      mk('POLICY_UNEXPECTED_CROSS_NAMESPACE', 'HTTPRoute.gateway.networking.k8s.io/a/r', { evidence: { backend: 'Service b/c.d' } }),
      mk('POLICY_SIGNER_MISSING', 'HTTPRoute a/r', {}),
    ];
    const index = sameFactIndex(analysis);
    let pairs = 0;
    for (const p of policyFindings) {
      const naive = analysis.filter((a) => sameFact(a, p));
      pairs += naive.length;
      expect(index(p).map((i) => analysis[i]), `${p.code} ${p.subject}`).toEqual(naive);
    }
    expect(pairs).toBeGreaterThan(8); // the corpus really exercises the pairing
  });
});
