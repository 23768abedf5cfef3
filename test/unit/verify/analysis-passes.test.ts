// Issue 13 (one analysis pass): how many times analyzeCapture recomputes the resolution. The second, profiled
// recomputation is made only when a GatewayClass of the capture maps to a controller profile
// (resolve/profiles.ts PROFILE_CONTROLLERS); without one it would repeat the spec resolution.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as engine from '../../../src/resolve/index.ts';
import { analyzeCapture } from '../../../src/verify/analysis.ts';
import { captureOf } from '../../helpers/capture.ts';

vi.mock('../../../src/resolve/index.ts', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../../src/resolve/index.ts')>();
  return { ...m, resolve: vi.fn(m.resolve) };
});
const resolveSpy = vi.mocked(engine.resolve);

const cluster = (controllerName: string): string => `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: gc}
spec: {controllerName: ${controllerName}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: infra}
spec:
  gatewayClassName: gc
  listeners: [{name: http, port: 80, protocol: HTTP}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: infra}
spec:
  parentRefs: [{name: gw}]
  rules: [{backendRefs: [{name: svc, port: 80}]}]
`;

describe('analyzeCapture resolution passes', () => {
  beforeEach(() => {
    resolveSpy.mockClear();
  });

  it('resolves once when no GatewayClass has a controller profile', () => {
    const a = analyzeCapture(captureOf(cluster('example.com/some-controller')));
    expect(resolveSpy).toHaveBeenCalledTimes(1);
    expect(resolveSpy.mock.calls[0]![1]).toMatchObject({ semantics: 'spec' });
    expect(a.resolution).toBe(a.specResolution);
  });

  it('resolves twice (spec, then auto) when a GatewayClass maps to a profile', () => {
    const a = analyzeCapture(captureOf(cluster('istio.io/gateway-controller')));
    expect(resolveSpy).toHaveBeenCalledTimes(2);
    expect(resolveSpy.mock.calls.map((c) => c[1]?.semantics)).toEqual(['spec', 'auto']);
    expect(a.resolution).not.toBe(a.specResolution);
    expect(a.resolution.gatewayClasses[0]!.semantics).toBe('istio');
  });

  it('resolves twice with a named profile, which applies to every class', () => {
    const a = analyzeCapture(captureOf(cluster('example.com/some-controller')), { semantics: 'envoy-gateway' });
    expect(resolveSpy).toHaveBeenCalledTimes(2);
    expect(a.resolution.gatewayClasses[0]!.semantics).toBe('envoy-gateway');
  });

  it('resolves once with semantics spec whatever the controllers', () => {
    analyzeCapture(captureOf(cluster('istio.io/gateway-controller')), { semantics: 'spec' });
    expect(resolveSpy).toHaveBeenCalledTimes(1);
  });
});
