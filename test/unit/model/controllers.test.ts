import { describe, expect, it } from 'vitest';
import { identifyController } from '../../../src/model/controllers.ts';

describe('identifyController', () => {
  it('recognises controllers by well-known labels', () => {
    expect(identifyController({ 'control-plane': 'envoy-gateway' }, [])).toBe('envoy-gateway');
    expect(identifyController({ app: 'istiod' }, [])).toBe('istio');
    expect(identifyController({ 'app.kubernetes.io/name': 'nginx-gateway-fabric' }, [])).toBe('nginx-gateway-fabric');
    expect(identifyController({ 'k8s-app': 'cilium' }, [])).toBe('cilium');
    expect(identifyController({ 'app.kubernetes.io/name': 'agentgateway' }, [])).toBe('agentgateway');
    // GEP-1762 data planes, whatever the implementation
    expect(identifyController({ 'gateway.networking.k8s.io/gateway-name': 'gw' }, ['example.com/proxy:1'])).toBe('gateway-api');
  });

  it('recognises controllers by image', () => {
    expect(identifyController({}, ['docker.io/envoyproxy/gateway:v1.6.0'])).toBe('envoy-gateway');
    expect(identifyController({}, ['ghcr.io/projectcontour/contour:v1.33.0'])).toBe('contour');
    expect(identifyController({}, ['kong/kubernetes-ingress-controller:3.5'])).toBe('kong');
    expect(identifyController({}, ['docker.io/traefik:v3.5'])).toBe('traefik');
    expect(identifyController({}, ['cr.kgateway.dev/kgateway-dev/kgateway:v2.1.0'])).toBe('kgateway');
    expect(identifyController({}, ['quay.io/cilium/operator-generic:v1.18.0@sha256:abc'])).toBe('cilium');
  });

  it('does not take application workloads or istio sidecars for controllers', () => {
    expect(identifyController({ app: 'web', 'istio.io/rev': 'default' }, ['nginx:1.27', 'docker.io/istio/proxyv2:1.27.0'])).toBeUndefined();
    expect(identifyController({ 'app.kubernetes.io/name': 'my-traefik-fan-club' }, ['example.com/traefikish-app:1'])).toBeUndefined();
  });
});
