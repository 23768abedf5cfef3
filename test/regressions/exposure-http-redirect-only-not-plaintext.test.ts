import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../src/verify/analysis.ts';
import { captureOf } from '../helpers/capture.ts';

// Bug: an HTTP listener whose only route redirects every request to HTTPS (the upstream simple-http-https example)
// was reported as EXPOSURE_PLAINTEXT_HOSTNAME, as if content were served over HTTP. It is a redirect: an info
// finding and a redirect edge; a hostname that really serves content over HTTP keeps the plaintext warning.
describe('regression: an HTTP->HTTPS redirect-only hostname is not plaintext exposure', () => {
  const text = `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: gc}
spec: {controllerName: example.com/gc}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: infra}
spec: {ports: [{port: 8080}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: infra}
spec:
  gatewayClassName: gc
  listeners:
  - {name: http, port: 80, protocol: HTTP}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: redirect, namespace: infra}
spec:
  parentRefs: [{name: gw, sectionName: http}]
  hostnames: [shop.example.com]
  rules:
  - filters:
    - {type: RequestRedirect, requestRedirect: {scheme: https, statusCode: 301}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: plain, namespace: infra}
spec:
  parentRefs: [{name: gw, sectionName: http}]
  hostnames: [legacy.example.com]
  rules:
  - backendRefs: [{name: web, port: 8080}]
`;

  it('reports the redirect as info with its edge, and keeps the plaintext warning for the hostname that serves content', () => {
    const r = analyzeCapture(captureOf(text));
    const plaintext = r.findings.filter((f) => f.code === 'EXPOSURE_PLAINTEXT_HOSTNAME');
    expect(plaintext.map((f) => (f.detail as { hostname: string }).hostname)).toEqual(['legacy.example.com']);
    const redirect = r.findings.filter((f) => f.code === 'EXPOSURE_HTTP_REDIRECT');
    expect(redirect).toHaveLength(1);
    expect(redirect[0]!.severity).toBe('info');
    expect(redirect[0]!.message).toContain('https://shop.example.com');
    expect(r.exposure.redirects).toEqual([{ gateway: 'infra/gw', listener: 'http', port: 80, hostname: 'shop.example.com', routes: ['HTTPRoute infra/redirect'], to: { scheme: 'https', statusCode: 301 } }]);
  });

  it('a redirect that keeps the http scheme is still plaintext', () => {
    const r = analyzeCapture(captureOf(text.replace('scheme: https, ', '')));
    expect(r.findings.filter((f) => f.code === 'EXPOSURE_PLAINTEXT_HOSTNAME').map((f) => (f.detail as { hostname: string }).hostname).sort()).toEqual(['legacy.example.com', 'shop.example.com']);
    expect(r.exposure.redirects).toEqual([]);
  });
});
