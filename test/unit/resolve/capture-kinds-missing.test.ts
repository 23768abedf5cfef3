// Issue 13: missingLookupKinds collects references only for the kinds the capture did not hold (and skips the routes
// when every kind a route can reference was held). It must equal referencedLookupKinds filtered to those kinds.
import { describe, expect, it } from 'vitest';
import { kindKey } from '../../../src/model/collection.ts';
import type { KubeObject } from '../../../src/model/object.ts';
import { missingLookupKinds, referencedLookupKinds } from '../../../src/resolve/capture-kinds.ts';

const G = 'gateway.networking.k8s.io';
const objects: KubeObject[] = [
  { apiVersion: `${G}/v1`, kind: 'GatewayClass', metadata: { name: 'gc' }, spec: { controllerName: 'x/y', parametersRef: { group: 'example.com', kind: 'Params', name: 'p' } } },
  {
    apiVersion: `${G}/v1`,
    kind: 'Gateway',
    metadata: { namespace: 'infra', name: 'gw' },
    spec: { gatewayClassName: 'gc', listeners: [{ name: 'https', port: 443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'c', namespace: 'certs' }] }, allowedRoutes: { namespaces: { from: 'Selector', selector: {} } } }] },
  },
  ...Array.from({ length: 8 }, (_, i): KubeObject => ({
    apiVersion: `${G}/v1`,
    kind: 'HTTPRoute',
    metadata: { namespace: `ns-${i}`, name: `r-${i}` },
    spec: {
      rules: [
        {
          backendRefs: [
            { name: 'svc', port: 80 },
            { name: 'other', namespace: 'shared', port: 80 },
            ...(i % 2 ? [{ group: 'multicluster.x-k8s.io', kind: 'ServiceImport', name: 'imp', port: 80 }] : []),
            ...(i % 3 ? [{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'pool' }] : []),
          ],
        },
      ],
    },
  })),
];
const all = referencedLookupKinds(objects).map((n) => n.kind);

describe('missingLookupKinds', () => {
  const subsets: string[][] = [[], all, ['Service'], ['Service', kindKey(G, 'ReferenceGrant')], ['Secret', 'Namespace'], all.filter((k) => k !== 'multicluster.x-k8s.io/ServiceImport'), all.filter((k) => k !== 'example.com/Params')];
  for (const present of subsets) {
    it(`is referencedLookupKinds without the kinds held: [${present.join(', ')}]`, () => {
      const held = new Set(present);
      expect(missingLookupKinds(objects, present)).toEqual(referencedLookupKinds(objects).filter((n) => !held.has(n.kind)));
    });
  }

  it('knows the route kinds of this fixture (so the subsets above cover route skipping)', () => {
    expect(all).toEqual(expect.arrayContaining(['Service', kindKey(G, 'ReferenceGrant'), 'multicluster.x-k8s.io/ServiceImport', 'inference.networking.k8s.io/InferencePool', 'example.com/Params', 'Secret', 'Namespace']));
    expect(missingLookupKinds(objects, all)).toEqual([]);
    expect(missingLookupKinds(objects, undefined)).toEqual([]);
  });
});
