import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { ConformanceReportFile, KubeObject } from '../../../src/model/index.ts';
import { resolve } from '../../../src/resolve/index.ts';
import { certificateCrosschecks, conformanceCrosschecks, parseConformanceReport, sanCoversName } from '../../../src/verify/crosscheck.ts';

function objects(text: string): KubeObject[] {
  return parseAllDocuments(text).map((d) => d.toJS() as KubeObject).filter(Boolean);
}

function certSecret(name: string, dnsNames: string[], notBefore: string, notAfter: string): string {
  return `---
apiVersion: v1
kind: Secret
metadata: {name: ${name}, namespace: infra}
type: kubernetes.io/tls
dataKeys: [tls.crt, tls.key]
certificateMetadata:
  tls.crt:
    status: valid
    chain:
    - {subject: CN=${name}, issuer: CN=ca, serialNumber: "1", dnsNames: ${JSON.stringify(dnsNames)}, ipAddresses: [], notBefore: "${notBefore}", notAfter: "${notAfter}", publicKeyAlgorithm: ec, signatureAlgorithm: ecdsa-with-SHA256, sha256Fingerprint: "00", isCA: false}
`;
}

const CLASS = `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: eg}
spec: {controllerName: gateway.envoyproxy.io/gatewayclass-controller}
`;

function tlsGateway(listeners: Array<{ name: string; hostname?: string; cert: string; port: number }>): string {
  return `---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: infra}
spec:
  gatewayClassName: eg
  listeners:
${listeners.map((l) => `  - {name: ${l.name}, port: ${l.port}, protocol: HTTPS${l.hostname ? `, hostname: "${l.hostname}"` : ''}, tls: {certificateRefs: [{name: ${l.cert}}]}}`).join('\n')}
`;
}

describe('sanCoversName (RFC 6125: a wildcard SAN matches exactly one label)', () => {
  it.each([
    ['example.com', 'example.com', true],
    ['EXAMPLE.com', 'example.COM', true],
    ['*.example.com', 'a.example.com', true],
    ['*.example.com', 'a.b.example.com', false],
    ['*.example.com', 'example.com', false],
    ['*.example.com', '*.example.com', true],
    ['a.example.com', '*.example.com', false],
    ['*.example.com', 'badexample.com', false],
    ['*.com', 'example.com', true],
  ])('SAN %s covers %s: %s', (san, name, covered) => {
    expect(sanCoversName(san, name)).toBe(covered);
  });
});

describe('certificateCrosschecks', () => {
  const text =
    CLASS +
    certSecret('wild', ['*.example.com'], '2026-01-01T00:00:00Z', '2026-07-01T00:00:00Z') +
    tlsGateway([
      { name: 'one-label', hostname: 'api.example.com', cert: 'wild', port: 443 },
      { name: 'two-labels', hostname: 'a.b.example.com', cert: 'wild', port: 8443 },
      { name: 'wild', hostname: '*.example.com', cert: 'wild', port: 9443 },
    ]);
  const res = resolve(objects(text));

  it('reports a listener hostname the certificate SANs do not cover (wildcard SAN vs two labels)', () => {
    const f = certificateCrosschecks(res, '2026-03-01T00:00:00Z', 30).filter((x) => x.code === 'CERT_HOSTNAME_NOT_COVERED');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({
      severity: 'warning',
      subject: 'Gateway infra/gw listener two-labels',
      message: 'Gateway infra/gw listener two-labels: hostname a.b.example.com is not covered by the certificate SANs [*.example.com] of infra/wild (a wildcard SAN matches one label)',
    });
  });

  it('checks validity against the capture time: expired = error, within the window = warning, outside = nothing', () => {
    const codes = (at: string, days = 30) => certificateCrosschecks(res, at, days).filter((x) => x.code.startsWith('CERT_') && x.code !== 'CERT_HOSTNAME_NOT_COVERED').map((x) => `${x.code}/${x.severity}`);
    expect(codes('2026-03-01T00:00:00Z')).toEqual([]);
    expect(codes('2026-06-15T00:00:00Z')).toEqual(['CERT_EXPIRING/warning']);
    expect(codes('2026-03-01T00:00:00Z', 200)).toEqual(['CERT_EXPIRING/warning']);
    expect(codes('2026-07-01T00:00:00Z')).toEqual(['CERT_EXPIRED/error']);
    expect(codes('2025-06-01T00:00:00Z')).toEqual(['CERT_NOT_YET_VALID/warning']);
    const expiring = certificateCrosschecks(res, '2026-06-15T00:00:00Z', 30).find((x) => x.code === 'CERT_EXPIRING');
    expect(expiring?.message).toBe('Secret infra/wild certificate (CN=wild) expires at 2026-07-01T00:00:00Z, 16 days after the capture at 2026-06-15T00:00:00Z (window 30 days)');
    expect(expiring?.subject).toBe('Secret infra/wild');
  });

  it('reports an unparseable capture time instead of guessing one', () => {
    const f = certificateCrosschecks(res, 'yesterday', 30);
    expect(f.find((x) => x.code === 'CAPTURE_TIME_INVALID')?.severity).toBe('warning');
    expect(f.some((x) => x.code === 'CERT_EXPIRED' || x.code === 'CERT_EXPIRING')).toBe(false);
  });
});

function report(name: string, yaml: string): ConformanceReportFile {
  return { name, sha256: '0'.repeat(64), bytes: new TextEncoder().encode(yaml) };
}

const REPORT = `apiVersion: gateway.networking.k8s.io/v1
kind: ConformanceReport
date: "2026-05-01T00:00:00Z"
gatewayAPIVersion: v1.4.0
gatewayAPIChannel: standard
mode: default
implementation:
  organization: envoyproxy
  project: envoy-gateway
  url: https://github.com/envoyproxy/gateway
  version: v1.6.0
  contact: ["@envoyproxy/gateway-maintainers"]
profiles:
- name: GATEWAY-HTTP
  summary: Core tests succeeded. Extended tests succeeded.
  core: {result: success, statistics: {Passed: 33, Skipped: 0, Failed: 0}}
  extended:
    result: success
    statistics: {Passed: 20, Skipped: 0, Failed: 0}
    supportedFeatures: [HTTPRouteHostRewrite, HTTPRouteMethodMatching]
- name: GATEWAY-TLS
  summary: Core tests failed.
  core: {result: failure, statistics: {Passed: 9, Skipped: 0, Failed: 2}, failedTests: [TLSRouteSimpleSameNamespace]}
`;

describe('conformanceCrosschecks', () => {
  const cluster = (features: string, bundle = 'v1.4.0') =>
    objects(`apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: eg}
spec: {controllerName: gateway.envoyproxy.io/gatewayclass-controller}
status:
  supportedFeatures: ${features}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gateways.gateway.networking.k8s.io, annotations: {gateway.networking.k8s.io/bundle-version: ${bundle}}}
spec: {group: gateway.networking.k8s.io, names: {kind: Gateway, plural: gateways}, scope: Namespaced}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: httproutes.gateway.networking.k8s.io, annotations: {gateway.networking.k8s.io/bundle-version: v1.4.0}}
spec: {group: gateway.networking.k8s.io, names: {kind: HTTPRoute, plural: httproutes}, scope: Namespaced}
`);

  it('parses the report: implementation, profiles, passed and failed features', () => {
    const r = parseConformanceReport(report('eg.yaml', REPORT));
    if ('error' in r) throw new Error(r.error);
    expect(r.implementation).toEqual({ organization: 'envoyproxy', project: 'envoy-gateway', version: 'v1.6.0' });
    expect([...r.passed].sort()).toEqual(['Gateway', 'HTTPRoute', 'HTTPRouteHostRewrite', 'HTTPRouteMethodMatching', 'ReferenceGrant']);
    expect([...r.failed]).toEqual(['TLSRoute']);
  });

  it('compares GatewayClass supportedFeatures ({name} objects or strings) with what the report shows passed', () => {
    const f = conformanceCrosschecks(cluster('[{name: HTTPRoute}, {name: Gateway}, {name: TLSRoute}, {name: GRPCRoute}, {name: HTTPRouteMethodMatching}, {name: ReferenceGrant}]'), [report('eg.yaml', REPORT)]);
    const by = (code: string) => f.filter((x) => x.code === code).map((x) => x.message);
    expect(by('CONFORMANCE_FEATURE_FAILED')).toEqual(['GatewayClass eg claims feature TLSRoute; ConformanceReport eg.yaml lists it only in a failed profile']);
    expect(by('CONFORMANCE_FEATURE_UNPROVEN')).toEqual(['GatewayClass eg claims feature GRPCRoute; ConformanceReport eg.yaml does not show it passed']);
    expect(by('CONFORMANCE_FEATURE_UNCLAIMED')).toEqual(['GatewayClass eg does not claim features that ConformanceReport eg.yaml shows passed: HTTPRouteHostRewrite']);
    expect(by('CONFORMANCE_REPORT')[0]).toContain('envoyproxy/envoy-gateway v1.6.0 against Gateway API v1.4.0 standard');
    const strings = conformanceCrosschecks(cluster('[HTTPRoute, Gateway, ReferenceGrant, HTTPRouteHostRewrite, HTTPRouteMethodMatching]'), [report('eg.yaml', REPORT)]);
    expect(strings.filter((x) => x.code.startsWith('CONFORMANCE_FEATURE'))).toEqual([]);
  });

  it('compares CRD bundle-version with the report gatewayAPIVersion, and flags mixed CRD versions', () => {
    expect(conformanceCrosschecks(cluster('[]'), [report('eg.yaml', REPORT)]).filter((x) => x.code.startsWith('CRD_'))).toEqual([]);
    const f = conformanceCrosschecks(cluster('[]', 'v1.5.1'), [report('eg.yaml', REPORT)]);
    expect(f.find((x) => x.code === 'CRD_VERSION_MISMATCH')?.message).toBe(
      'ConformanceReport eg.yaml was run against Gateway API v1.4.0, but the captured CRDs are bundle-version v1.5.1 (gateways.gateway.networking.k8s.io)',
    );
    expect(f.find((x) => x.code === 'CRD_BUNDLE_VERSIONS_MIXED')?.severity).toBe('warning');
  });

  it('reports unreadable reports, missing implementation fields and claims with no report', () => {
    const bad = conformanceCrosschecks([], [report('bad.yaml', 'kind: [unclosed'), report('other.yaml', 'kind: Something')]);
    expect(bad.map((x) => `${x.code} ${x.subject}`)).toEqual(['CONFORMANCE_REPORT_INVALID ConformanceReport bad.yaml', 'CONFORMANCE_REPORT_INVALID ConformanceReport other.yaml']);
    const incomplete = conformanceCrosschecks([], [report('inc.yaml', 'kind: ConformanceReport\nimplementation: {organization: x}\n')]);
    expect(incomplete.filter((x) => x.code === 'CONFORMANCE_REPORT_INCOMPLETE').map((x) => x.message)).toEqual([
      'ConformanceReport inc.yaml: expected implementation.project (required by GEP-1709), found none',
      'ConformanceReport inc.yaml: expected implementation.version (required by GEP-1709), found none',
    ]);
    expect(conformanceCrosschecks(cluster('[HTTPRoute]'), []).map((x) => x.code)).toEqual(['CONFORMANCE_REPORT_ABSENT']);
  });
});
