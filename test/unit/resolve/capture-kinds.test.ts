import { describe, expect, it } from 'vitest';
import { kindKey } from '../../../src/model/collection.ts';
import type { KubeObject } from '../../../src/model/object.ts';
import { captureAdvice, kubectlResourceOf, LOOKUP_KINDS, missingLookupKinds, referencedLookupKinds } from '../../../src/resolve/capture-kinds.ts';
import { normalize } from '../../../src/collector/normalize.ts';

/** The advice each known lookup kind must give: the kubectl resource (plural) and, outside the core group, the group. */
const EXPECTED: Record<string, { resource: string; kubectl: string }> = {
  Secret: { resource: 'secrets', kubectl: 'secrets' },
  ConfigMap: { resource: 'configmaps', kubectl: 'configmaps' },
  Service: { resource: 'services', kubectl: 'services' },
  Namespace: { resource: 'namespaces', kubectl: 'namespaces' },
  'gateway.networking.k8s.io/ReferenceGrant': { resource: 'referencegrants', kubectl: 'referencegrants.gateway.networking.k8s.io' },
  'gateway.networking.k8s.io/GatewayClass': { resource: 'gatewayclasses', kubectl: 'gatewayclasses.gateway.networking.k8s.io' },
  'multicluster.x-k8s.io/ServiceImport': { resource: 'serviceimports', kubectl: 'serviceimports.multicluster.x-k8s.io' },
  'inference.networking.k8s.io/InferencePool': { resource: 'inferencepools', kubectl: 'inferencepools.inference.networking.k8s.io' },
  'inference.networking.x-k8s.io/InferencePool': { resource: 'inferencepools', kubectl: 'inferencepools.inference.networking.x-k8s.io' },
};

function route(backendRefs: Record<string, unknown>[]): KubeObject {
  return { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { namespace: 'app', name: 'r' }, spec: { rules: [{ backendRefs }] } };
}

describe('capture-kinds: the advice for every kind it knows', () => {
  it('knows exactly the expected kinds (a new kind needs its advice checked here)', () => {
    expect(Object.keys(LOOKUP_KINDS).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [kind, want] of Object.entries(EXPECTED)) {
    it(`${kind}: resource "${want.resource}", kubectl get ${want.kubectl}`, () => {
      expect(LOOKUP_KINDS[kind]).toBe(want.resource);
      expect(kubectlResourceOf(kind)).toBe(want.kubectl);
      const advice = captureAdvice(kind);
      expect(advice).toContain(`add "${want.resource}"`);
      expect(advice).toContain(`kubectl get ${want.kubectl} -A`);
      const group = kind.includes('/') ? kind.slice(0, kind.lastIndexOf('/')) : '';
      if (group) expect(advice).toContain(`(group ${group})`);
      else expect(advice).not.toContain('(group');
    });
  }

  it('ServiceImport is no longer advised as a kind the collector does not keep', () => {
    const si = kindKey('multicluster.x-k8s.io', 'ServiceImport');
    expect(captureAdvice(si)).not.toContain('does not keep');
    const need = missingLookupKinds([route([{ group: 'multicluster.x-k8s.io', kind: 'ServiceImport', name: 'svc', port: 80 }])], ['gateway.networking.k8s.io/HTTPRoute']);
    expect(need.map((n) => [n.kind, n.resource])).toEqual([[si, 'serviceimports']]);
  });

  it('every advised group/kind is one the collector keeps, so following the advice fills the gap', () => {
    const versions: Record<string, string> = { 'gateway.networking.k8s.io': 'v1', 'multicluster.x-k8s.io': 'v1alpha1', 'inference.networking.k8s.io': 'v1', 'inference.networking.x-k8s.io': 'v1alpha2' };
    const objects = Object.keys(LOOKUP_KINDS).map((kk, i) => {
      const at = kk.lastIndexOf('/');
      const group = at < 0 ? '' : kk.slice(0, at);
      const kind = at < 0 ? kk : kk.slice(at + 1);
      const namespaced = kind !== 'Namespace' && kind !== 'GatewayClass';
      const object: Record<string, unknown> = { apiVersion: group ? `${group}/${versions[group]}` : 'v1', kind, metadata: { name: `o${i}`, ...(namespaced ? { namespace: 'app' } : {}) } };
      if (kind === 'Secret') object['type'] = 'Opaque';
      return { object, source: `in.yaml#${i + 1}` };
    });
    const cap = normalize({ objects, conformanceReports: [], sources: [{ name: 'in.yaml', sha256: '00'.repeat(32), bytes: 1 }] }, { capturedAt: '2026-12-01T09:00:00Z', mode: 'files', toolVersion: '0.1.0' });
    for (const kind of Object.keys(LOOKUP_KINDS)) expect(cap.record.kindsPresent, kind).toContain(kind);
  });

  it('a parameters kind the collector does not keep says so instead of advising a kubectl kind', () => {
    expect(kubectlResourceOf('gateway.envoyproxy.io/EnvoyProxy')).toBe('');
    expect(captureAdvice('gateway.envoyproxy.io/EnvoyProxy')).toContain('does not keep this kind');
  });

  it('InferencePool backendRefs need the InferencePool kind of their own group', () => {
    const needs = referencedLookupKinds([route([{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'p' }, { group: 'inference.networking.x-k8s.io', kind: 'InferencePool', name: 'q' }])]);
    expect(needs.map((n) => n.kind)).toEqual(['inference.networking.k8s.io/InferencePool', 'inference.networking.x-k8s.io/InferencePool']);
  });

  it('skip leaves the given kinds out and the others exactly as without it (missingLookupKinds passes the kinds present)', () => {
    const objs = [route([{ name: 's', port: 80 }, { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'p' }])];
    const all = referencedLookupKinds(objs);
    expect(all.map((n) => n.kind)).toContain('Service');
    const skipped = referencedLookupKinds(objs, new Set(['Service']));
    expect(skipped).toEqual(all.filter((n) => n.kind !== 'Service'));
    expect(missingLookupKinds(objs, ['Service'])).toEqual(all.filter((n) => n.kind !== 'Service'));
  });
});
