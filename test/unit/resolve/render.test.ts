import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/model/object.ts';
import { renderResolutionText, resolve } from '../../../src/resolve/index.ts';

describe('renderResolutionText', () => {
  it('shows a ServiceImport backend with its kind and type (issue 11: the routing table shows them)', () => {
    const G = 'gateway.networking.k8s.io/v1';
    const objects: KubeObject[] = [
      { apiVersion: G, kind: 'GatewayClass', metadata: { name: 'c' }, spec: { controllerName: 'example.com/gw' } },
      { apiVersion: G, kind: 'Gateway', metadata: { namespace: 'ns', name: 'gw' }, spec: { gatewayClassName: 'c', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] } },
      { apiVersion: 'multicluster.x-k8s.io/v1alpha1', kind: 'ServiceImport', metadata: { namespace: 'ns', name: 'orders' }, spec: { type: 'ClusterSetIP', ports: [{ port: 8080 }] } },
      { apiVersion: G, kind: 'HTTPRoute', metadata: { namespace: 'ns', name: 'r' }, spec: { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ group: 'multicluster.x-k8s.io', kind: 'ServiceImport', name: 'orders', port: 8080 }] }] } },
    ];
    const text = renderResolutionText(resolve(objects));
    expect(text).toMatch(/100%\s+ServiceImport ns\/orders:8080 {2}weight 1 {2}\[ServiceImport type ClusterSetIP\]/);
  });
});
