import { describe, expect, it } from 'vitest';
import { diffObjects, diffValues, jsonPath } from '../../../src/diff/objects.ts';
import { allowedNamespaces, diffAllowedNamespaces } from '../../../src/diff/namespaces.ts';
import { selectorMatches } from '../../../src/resolve/labels.ts';
import { diffGrants } from '../../../src/diff/grants.ts';
import { diffCertificates } from '../../../src/diff/certificates.ts';
import { diffFindings } from '../../../src/diff/findings.ts';
import type { FieldChange } from '../../../src/diff/types.ts';
import { grant, ns, platform } from './fixtures.ts';

describe('object diff', () => {
  it('ignores resourceVersion, uid, generation and status timestamps but reports a weight change by JSON path', () => {
    const a = platform({ weights: [90, 10], resourceVersion: '1' });
    const b = platform({ weights: [50, 50], resourceVersion: '2' });
    const d = diffObjects(a.snapshot.objects, b.snapshot.objects);
    expect(d.added).toEqual([]);
    expect(d.removed).toEqual([]);
    // The Gateway only changed resourceVersion and status noise: not modified. The tools route only rv/uid/generation.
    expect(d.modified.map((m) => m.ref)).toEqual(['HTTPRoute.gateway.networking.k8s.io/models/chat']);
    expect(d.modified[0]!.changes).toEqual([
      { path: "$.spec.rules[0].backendRefs[?(@.name=='llm-v1')].weight", op: 'changed', old: 90, new: 50 },
      { path: "$.spec.rules[0].backendRefs[?(@.name=='llm-v2')].weight", op: 'changed', old: 10, new: 50 },
    ]);
  });

  it('reports added and removed objects by refKey', () => {
    const a = platform();
    const b = platform({ extra: [ns('eval')] });
    expect(diffObjects(a.snapshot.objects, b.snapshot.objects).added.map((o) => o.ref)).toEqual(['Namespace/eval']);
    expect(diffObjects(b.snapshot.objects, a.snapshot.objects).removed.map((o) => o.ref)).toEqual(['Namespace/eval']);
  });

  it('quotes keys that are not identifiers and matches named list items by name', () => {
    const out: FieldChange[] = [];
    diffValues(
      { metadata: { labels: { 'app.kubernetes.io/name': 'a' } }, spec: { listeners: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }] } },
      { metadata: { labels: { 'app.kubernetes.io/name': 'b' } }, spec: { listeners: [{ name: 'https', port: 8443 }, { name: 'http', port: 80 }] } },
      [],
      out,
    );
    expect(out).toEqual([
      { path: "$.metadata.labels['app.kubernetes.io/name']", op: 'changed', old: 'a', new: 'b' },
      { path: "$.spec.listeners[?(@.name=='https')].port", op: 'changed', old: 443, new: 8443 },
      { path: '$.spec.listeners', op: 'changed', old: ['http', 'https'], new: ['https', 'http'] },
    ]);
  });

  it('ignores the last-applied-configuration annotation but not other annotations', () => {
    const out: FieldChange[] = [];
    diffValues(
      { metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', team: 'a' } } },
      { metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"x":1}', team: 'b' } } },
      [],
      out,
    );
    expect(out.map((c) => c.path)).toEqual(['$.metadata.annotations.team']);
  });

  it('a status change that is not a timestamp is reported', () => {
    const out: FieldChange[] = [];
    diffValues(
      { status: { conditions: [{ type: 'Accepted', status: 'True', lastTransitionTime: 'x' }] } },
      { status: { conditions: [{ type: 'Accepted', status: 'False', lastTransitionTime: 'y' }] } },
      [],
      out,
    );
    expect(out).toEqual([{ path: "$.status.conditions[?(@.type=='Accepted')].status", op: 'changed', old: 'True', new: 'False' }]);
  });

  it('renders JSON paths', () => {
    expect(jsonPath(['spec', 'rules', 0, "it's"])).toBe("$.spec.rules[0]['it\\'s']");
  });
});

describe('listener namespaces', () => {
  it('a namespace label change newly allows that namespace on the Selector listener', () => {
    const a = platform();
    const b = platform({ nsLabels: { admin: { 'gateway-access': 'shared' } } });
    expect(allowedNamespaces(a.snapshot.objects)).toEqual([{ owner: 'infra/shared', listener: 'https', from: 'Selector', namespaces: ['models', 'tools'] }]);
    expect(diffAllowedNamespaces(a.snapshot.objects, b.snapshot.objects)).toEqual([
      { gateway: 'infra/shared', listener: 'https', oldFrom: 'Selector', newFrom: 'Selector', newlyAllowed: ['admin'], noLongerAllowed: [] },
    ]);
    expect(diffAllowedNamespaces(a.snapshot.objects, a.snapshot.objects)).toEqual([]);
  });

  it('evaluates matchExpressions and the implicit kubernetes.io/metadata.name label', () => {
    const labels = { 'kubernetes.io/metadata.name': 'tools', tier: 'b' };
    expect(selectorMatches({ matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['tools'] }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['b'] }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'x', operator: 'DoesNotExist' }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'x', operator: 'Exists' }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'x', operator: 'Bogus' }] }, labels)).toBe(false);
    expect(selectorMatches({}, labels)).toBe(true);
  });
});

describe('grants', () => {
  it('reports a new cross-namespace grant and ignores a rename that keeps the permission', () => {
    const a = platform({ grants: [grant('models', 'allow-tools', 'tools')] });
    const b = platform({ grants: [grant('models', 'allow-tools-renamed', 'tools'), grant('admin', 'allow-tools-admin', 'tools', 'Service', 'console')] });
    const d = diffGrants(a.snapshot.objects, b.snapshot.objects);
    expect(d.removed).toEqual([]);
    expect(d.added).toEqual([
      {
        grant: 'admin/allow-tools-admin',
        from: { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'tools' },
        to: { group: '', kind: 'Service', namespace: 'admin', name: 'console' },
      },
    ]);
  });
});

describe('certificates', () => {
  it('reports a rotation (fingerprint changed) and a certificate expiring within the window', () => {
    const a = platform({ cert: { fingerprint: 'aa'.repeat(32), notAfter: '2026-04-15T00:00:00Z' } });
    const b = platform({ cert: { fingerprint: 'bb'.repeat(32), notAfter: '2026-07-10T00:00:00Z' }, capturedAt: '2026-06-30T00:00:00Z' });
    const d = diffCertificates(a.snapshot.objects, b.snapshot.objects, '2026-06-30T00:00:00Z', 30);
    expect(d.rotated).toHaveLength(1);
    expect(d.rotated[0]!.old.sha256Fingerprint).toBe('aa'.repeat(32));
    expect(d.rotated[0]!.new.sha256Fingerprint).toBe('bb'.repeat(32));
    expect(d.expiring).toEqual([expect.objectContaining({ secret: 'infra/wildcard-tls', daysLeft: 10, expired: false })]);
    const same = diffCertificates(a.snapshot.objects, a.snapshot.objects, '2026-06-30T00:00:00Z', 30);
    expect(same.rotated).toEqual([]);
    expect(same.expiring).toEqual([expect.objectContaining({ expired: true, daysLeft: -76 })]);
  });
});

describe('findings', () => {
  it('splits findings into introduced, fixed and unchanged', () => {
    const f = (code: string, subject: string) => ({ code, severity: 'error' as const, subject, message: `${code} on ${subject}` });
    const d = diffFindings([f('RefNotPermitted', 'a'), f('CERT_EXPIRED', 'b')], [f('CERT_EXPIRED', 'b'), f('UNCLASSIFIED_SERVICE', 'c')]);
    expect(d.fixed.map((x) => x.code)).toEqual(['RefNotPermitted']);
    expect(d.introduced.map((x) => x.code)).toEqual(['UNCLASSIFIED_SERVICE']);
    expect(d.unchanged.map((x) => x.code)).toEqual(['CERT_EXPIRED']);
  });
});

describe('findings with moving numbers', () => {
  it('a certificate expiring at both captures is unchanged, not fixed and introduced', () => {
    const f = (days: number, at: string) => ({ code: 'CERT_EXPIRING', severity: 'warning' as const, subject: 'Secret infra/tls', message: `expires ${days} days after the capture at ${at}` });
    const d = diffFindings([f(40, '2026-03-31T00:00:00Z')], [f(10, '2026-06-30T00:00:00Z')]);
    expect(d).toEqual({ introduced: [], fixed: [], unchanged: [f(10, '2026-06-30T00:00:00Z')] });
    // A different subject is still a different finding.
    const e = diffFindings([f(40, 'x')], [{ ...f(40, 'x'), subject: 'Secret infra/other' }]);
    expect([e.introduced.length, e.fixed.length, e.unchanged.length]).toEqual([1, 1, 0]);
  });
});

describe('ignore paths', () => {
  it('extra ignore paths (with escaped dots) silence a field; replacing the defaults brings resourceVersion back', () => {
    const a = platform({ resourceVersion: '1' });
    const b = platform({ resourceVersion: '2', nsLabels: { admin: { 'team.example.com/owner': 'x' } } });
    expect(diffObjects(a.snapshot.objects, b.snapshot.objects).modified.map((m) => m.ref)).toEqual(['Namespace/admin']);
    expect(diffObjects(a.snapshot.objects, b.snapshot.objects, { ignorePaths: ['metadata.labels.team\\.example\\.com/owner'] }).modified).toEqual([]);
    const raw = diffObjects(a.snapshot.objects, b.snapshot.objects, { replaceDefaultIgnores: true });
    expect(raw.modified.find((m) => m.ref === 'HTTPRoute.gateway.networking.k8s.io/models/chat')!.changes.map((c) => c.path)).toEqual([
      '$.metadata.generation',
      '$.metadata.resourceVersion',
      '$.metadata.uid',
    ]);
  });
});
