import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalize } from '../../../src/collector/normalize.ts';
import type { InputSet, RawObject } from '../../../src/collector/inputs.ts';
import { InputError } from '../../../src/errors.ts';
import type { ReducedSecret } from '../../../src/model/snapshot.ts';

const OPTS = { capturedAt: '2026-12-01T09:00:00Z', mode: 'files' as const, toolVersion: '0.1.0' };
const set = (...objs: Array<[Record<string, unknown>, string?]>): InputSet => ({
  objects: objs.map(([object, source], i): RawObject => ({ object: structuredClone(object), source: source ?? `in.yaml#${i + 1}` })),
  conformanceReports: [],
  sources: [{ name: 'in.yaml', sha256: '00'.repeat(32), bytes: 1 }],
});
const GW = 'gateway.networking.k8s.io';
const gateway = (extra: Record<string, unknown> = {}) => ({
  apiVersion: `${GW}/v1`, kind: 'Gateway',
  metadata: { name: 'gw', namespace: 'infra', uid: 'u1', resourceVersion: '5', generation: 2, creationTimestamp: '2026-01-01T00:00:00Z', selfLink: '/x', ownerReferences: [{ name: 'o' }],
    managedFields: [{ manager: 'kubectl' }], labels: { a: 'b' }, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"secret":1}', keep: 'me' } },
  spec: { gatewayClassName: 'eg', listeners: [{ name: 'https', port: 443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'opaque-cert' }] } }] },
  status: { conditions: [] },
  ...extra,
});

describe('normalize: kinds present (missing is not absent)', () => {
  it('records the kept kinds the inputs held, and warns naming the kubectl kinds to add for referenced kinds it lacks', () => {
    const cap = normalize(set([gateway()], [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'infra' } }], [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'r', namespace: 'infra' } }]), OPTS);
    // ConfigMap: skipped (unreferenced) but a kept kind, so present; ReplicaSet is never kept, so never present.
    expect(cap.record.kindsPresent).toEqual(['ConfigMap', `${GW}/Gateway`]);
    const missing = cap.record.warnings.filter((w) => w.code === 'CAPTURE_KIND_MISSING').map((w) => w.message);
    expect(missing.some((m) => m.includes('reference Secret objects') && m.includes('"secrets"'))).toBe(true);
    expect(missing.some((m) => m.includes('"gatewayclasses"'))).toBe(true);
  });

  it('a live capture records the kinds it listed, so an empty list means none rather than unknown', () => {
    const cap = normalize(set([gateway()]), { ...OPTS, mode: 'live', kindsListed: ['Secret', 'ConfigMap', `${GW}/GatewayClass`, `${GW}/ReferenceGrant`] });
    expect(cap.record.kindsPresent).toEqual(['ConfigMap', 'Secret', `${GW}/Gateway`, `${GW}/GatewayClass`, `${GW}/ReferenceGrant`]);
    expect(cap.record.warnings.filter((w) => w.code === 'CAPTURE_KIND_MISSING')).toEqual([]);
  });
});

describe('normalize', () => {
  it('keeps metadata fields named in the contract, managedFields reduced to managers, and drops selfLink and last-applied', () => {
    const cap = normalize(set([gateway()]), OPTS);
    expect(cap.snapshot.objects).toHaveLength(1);
    const o = cap.snapshot.objects[0]!;
    // ownerReferences without apiVersion/kind are not owners; managedFields keep manager/operation/time only.
    expect(o.metadata).toEqual({ name: 'gw', namespace: 'infra', uid: 'u1', resourceVersion: '5', generation: 2, creationTimestamp: '2026-01-01T00:00:00Z', managedFields: [{ manager: 'kubectl' }], labels: { a: 'b' }, annotations: { keep: 'me' } });
    expect(o.spec.gatewayClassName).toBe('eg');
    expect(o.status).toEqual({ conditions: [] });
    expect(cap.record.counts).toEqual({ Gateway: 1 });
    expect(cap.record.capturedAt).toBe(OPTS.capturedAt);
    expect(cap.record.partial).toBe(false);
  });

  it('keeps every shipped apiVersion of the Gateway API kinds, skips unknown versions and other kinds with counts', () => {
    const route = (v: string, name: string, kind = 'HTTPRoute', group = GW) => ({ apiVersion: `${group}/${v}`, kind, metadata: { name, namespace: 'a' }, spec: { rules: [] } });
    const cap = normalize(set(
      [route('v1', 'r1')], [route('v1beta1', 'r2')], [route('v1alpha2', 'r3', 'TLSRoute')], [route('v1alpha3', 'r4', 'BackendTLSPolicy')],
      [route('v1alpha1', 'ls', 'XListenerSet', 'gateway.networking.x-k8s.io')], [route('v9', 'r5')],
      [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs', namespace: 'a' } }],
      [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'a' }, data: { x: 'y' } }],
      [{ apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: 's', namespace: 'a' }, data: { x: 'eQ==' } }],
    ), OPTS);
    expect(cap.snapshot.objects.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.name}`)).toEqual([
      'gateway.networking.k8s.io/v1alpha3 BackendTLSPolicy r4',
      'gateway.networking.k8s.io/v1 HTTPRoute r1',
      'gateway.networking.k8s.io/v1beta1 HTTPRoute r2',
      'gateway.networking.k8s.io/v1alpha2 TLSRoute r3',
      'gateway.networking.x-k8s.io/v1alpha1 XListenerSet ls',
    ]);
    expect(cap.record.skipped).toEqual({ 'apps/v1 ReplicaSet': 1, 'gateway.networking.k8s.io/v9 HTTPRoute': 1, 'v1 ConfigMap': 1, 'v1 Secret': 1 });
    expect(cap.record.warnings.map((w) => w.code)).toContain('KIND_VERSION_UNKNOWN');
  });

  it('keeps multicluster.x-k8s.io ServiceImport objects (ServiceImport backends, issue 11), skips unknown versions and look-alike groups', () => {
    const si = (apiVersion: string, name: string) => ({ apiVersion, kind: 'ServiceImport', metadata: { name, namespace: 'a', labels: { x: 'y' } }, spec: { type: 'ClusterSetIP', ports: [{ port: 80, protocol: 'TCP' }] } });
    const cap = normalize(set([si('multicluster.x-k8s.io/v1alpha1', 'one')], [si('multicluster.x-k8s.io/v1beta1', 'two')], [si('multicluster.x-k8s.io/v9', 'three')], [si('__proto__/v1alpha1', 'four')], [si('constructor/v1alpha1', 'five')]), OPTS);
    expect(cap.snapshot.objects.map((o) => `${o.apiVersion} ${o.metadata.name}`)).toEqual(['multicluster.x-k8s.io/v1alpha1 one', 'multicluster.x-k8s.io/v1beta1 two']);
    expect(cap.snapshot.objects[0]!.spec).toEqual({ type: 'ClusterSetIP', ports: [{ port: 80, protocol: 'TCP' }] });
    expect(cap.record.counts).toEqual({ ServiceImport: 2 });
    expect(cap.record.skipped).toEqual({ 'multicluster.x-k8s.io/v9 ServiceImport': 1, '__proto__/v1alpha1 ServiceImport': 1, 'constructor/v1alpha1 ServiceImport': 1 });
  });

  it('sorts objects by refKey whatever the input order', () => {
    const svc = (ns: string, name: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { ports: [] } });
    const cap = normalize(set([svc('b', 'z')], [svc('a', 'y')], [svc('a', 'x')], [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } }]), OPTS);
    expect(cap.snapshot.objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`)).toEqual(['Namespace//a', 'Service/a/x', 'Service/a/y', 'Service/b/z']);
  });

  it('rejects duplicates with different content, naming both sources; keeps identical duplicates once with a warning', () => {
    const a = gateway();
    const b = gateway({ spec: { gatewayClassName: 'other', listeners: [{ name: 'h', port: 80, protocol: 'HTTP' }] } });
    let err: unknown;
    try {
      normalize(set([a, 'one.yaml#1'], [b, 'two.json#items[3]']), OPTS);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).code).toBe('INPUT_DUPLICATE');
    expect((err as Error).message).toContain('one.yaml#1');
    expect((err as Error).message).toContain('two.json#items[3]');
    expect((err as Error).message).toContain('Gateway infra/gw');
    // managedFields differ (another manager/time) but are not content: still identical evidence
    const c = gateway();
    (c.metadata as Record<string, unknown>)['managedFields'] = [{ manager: 'other' }];
    const cap = normalize(set([a, 'one.yaml'], [c, 'two.yaml']), OPTS);
    expect(cap.snapshot.objects).toHaveLength(1);
    const w = cap.record.warnings.find((x) => x.code === 'DUPLICATE_IDENTICAL')!;
    expect(w.message).toContain('one.yaml');
    expect(w.message).toContain('two.yaml');
  });

  it('warns on invalid shapes, naming source and object', () => {
    const cap = normalize(set([{ apiVersion: `${GW}/v1`, kind: 'Gateway', metadata: { name: 'g', namespace: 'n' }, spec: { listeners: [] } }, 'bad.yaml#2']), OPTS);
    const msgs = cap.record.warnings.filter((w) => w.code === 'OBJECT_SHAPE');
    expect(msgs.map((m) => m.message)).toEqual(['Gateway n/g: expected spec.gatewayClassName (string)', 'Gateway n/g: expected spec.listeners (a non-empty list)']);
    expect(msgs[0]!.source).toBe('bad.yaml#2');
  });

  it('errors on an object without a name, naming the source', () => {
    expect(() => normalize(set([{ apiVersion: 'v1', kind: 'Service', metadata: {} }, 'svc.json#items[0]']), OPTS)).toThrow(/svc\.json#items\[0\].*metadata\.name/);
  });

  it('reduces Gateway API CRDs and skips other CRDs', () => {
    const crd = (group: string, name: string) => ({
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
      metadata: { name, labels: { x: 'y' }, annotations: { 'gateway.networking.k8s.io/bundle-version': 'v1.4.0', 'gateway.networking.k8s.io/channel': 'standard', 'api-approved.kubernetes.io': 'u' } },
      spec: { group, scope: 'Namespaced', names: { kind: 'HTTPRoute', plural: 'httproutes', listKind: 'L' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { huge: 1 } } }, { name: 'v1beta1', served: true, storage: false }] },
      status: { storedVersions: ['v1'], conditions: [] },
    });
    const cap = normalize(set([crd(GW, 'httproutes.gateway.networking.k8s.io')], [crd('cert-manager.io', 'certificates.cert-manager.io')]), OPTS);
    expect(cap.snapshot.objects).toEqual([{
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
      metadata: { name: 'httproutes.gateway.networking.k8s.io', annotations: { 'gateway.networking.k8s.io/bundle-version': 'v1.4.0', 'gateway.networking.k8s.io/channel': 'standard' } },
      spec: { group: GW, names: { kind: 'HTTPRoute', plural: 'httproutes' }, scope: 'Namespaced', versions: [{ name: 'v1', served: true, storage: true }, { name: 'v1beta1', served: true, storage: false }] },
      status: { storedVersions: ['v1'] },
    }]);
    expect(cap.record.skipped).toEqual({ 'apiextensions.k8s.io/v1 CustomResourceDefinition': 1 });
  });

  it('keeps gateway controller workloads (by label or image) with images only, and skips other workloads', () => {
    const dep = (name: string, labels: Record<string, string>, image: string) => ({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'sys', labels },
      spec: { replicas: 2, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image, env: [{ name: 'TOKEN', value: 'hunter2' }], args: ['--secret=x'] }] } } },
      status: { replicas: 2, readyReplicas: 1, conditions: [] },
    });
    const cap = normalize(set(
      [dep('envoy-gateway', { 'control-plane': 'envoy-gateway' }, 'envoyproxy/gateway:v1.6.0')],
      [dep('ngf', {}, 'ghcr.io/nginx/nginx-gateway-fabric:2.1.0')],
      [dep('app', { app: 'web' }, 'nginx:1.27')],
      [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'istiod-1', namespace: 'istio-system', labels: { app: 'istiod' } }, spec: { containers: [{ name: 'discovery', image: 'istio/pilot:1.27.0' }] }, status: { phase: 'Running', podIP: '1.2.3.4' } }],
    ), OPTS);
    expect(cap.snapshot.objects.map((o) => o.metadata.name)).toEqual(['envoy-gateway', 'ngf', 'istiod-1']);
    const eg = cap.snapshot.objects[0]!;
    expect(eg.spec).toEqual({ replicas: 2, template: { metadata: { labels: { 'control-plane': 'envoy-gateway' } }, spec: { containers: [{ name: 'c', image: 'envoyproxy/gateway:v1.6.0' }] } } });
    expect(eg.status).toEqual({ replicas: 2, readyReplicas: 1 });
    expect(cap.snapshot.objects[2]!.status).toEqual({ phase: 'Running' });
    expect(JSON.stringify(cap)).not.toContain('hunter2');
    expect(cap.record.skipped).toEqual({ 'apps/v1 Deployment': 1 });
  });

  it('keeps ConfigMaps referenced as CA certificates (ca.crt only) and skips the rest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gwe-n-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'k'), '-out', join(dir, 'c'), '-days', '2', '-subj', '/CN=ca'], { stdio: 'ignore' });
    const ca = readFileSync(join(dir, 'c'), 'utf8');
    const policy = { apiVersion: `${GW}/v1`, kind: 'BackendTLSPolicy', metadata: { name: 'p', namespace: 'n' },
      spec: { targetRefs: [{ group: '', kind: 'Service', name: 's' }], validation: { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'ca' }], hostname: 's' } } };
    const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'n' }, data: { 'ca.crt': ca, password: 'hunter2' } });
    const cap = normalize(set([cm('ca')], [cm('other')], [policy]), OPTS);
    const kept = cap.snapshot.objects.find((o) => o.kind === 'ConfigMap')!;
    expect(kept.metadata.name).toBe('ca');
    expect(kept['data']).toEqual({ 'ca.crt': ca });
    expect(cap.record.skipped).toEqual({ 'v1 ConfigMap': 1 });
    expect(JSON.stringify(cap)).not.toContain('hunter2');
  });

  it('reduces Secrets: TLS ones always, referenced non-TLS ones, never data/stringData', () => {
    const cap = normalize(set(
      [gateway()],
      [{ apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: 'opaque-cert', namespace: 'infra' }, stringData: { 'tls.crt': 'garbage', other: 'hunter2' } }],
      [{ apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', metadata: { name: 'unreferenced-tls', namespace: 'x' }, data: { 'tls.crt': 'bm90IGEgY2VydA==', 'tls.key': 'aHVudGVyMg==' } }],
    ), OPTS);
    const secrets = cap.snapshot.objects.filter((o) => o.kind === 'Secret') as ReducedSecret[];
    expect(secrets.map((s) => [s.metadata.name, s.type, s.dataKeys])).toEqual([
      ['opaque-cert', 'Opaque', ['other', 'tls.crt']],
      ['unreferenced-tls', 'kubernetes.io/tls', ['tls.crt', 'tls.key']],
    ]);
    expect(secrets[0]!.certificateMetadata['tls.crt']!.status).toBe('invalid');
    expect(secrets[1]!.certificateMetadata['tls.crt']).toEqual({ status: 'invalid', error: 'expected one or more PEM "CERTIFICATE" blocks, found none' });
    expect(JSON.stringify(cap)).not.toMatch(/hunter2|aHVudGVyMg|bm90IGEgY2VydA/);
  });

  it('records sources, gaps and partial from the source', () => {
    const cap = normalize(set([gateway()]), { ...OPTS, mode: 'live', clusterName: 'prod', extraGaps: [{ kind: 'Secret', status: 403, message: 'forbidden' }] });
    expect(cap.record.partial).toBe(true);
    expect(cap.record.cluster).toEqual({ name: 'prod' });
    expect(cap.record.sources[0]!.name).toBe('in.yaml');
  });

  it('refuses a private key hidden in a spec', () => {
    const g = gateway();
    (g.spec as Record<string, unknown>)['note'] = '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----';
    expect(() => normalize(set([g, 'g.yaml']), OPTS)).toThrow(/g\.yaml.*private key/);
  });
});

describe('normalize: owners (issue 9)', () => {
  it('keeps ownerReferences and managedFields reduced to manager/operation/time/subresource, never fieldsV1', () => {
    const g = gateway();
    (g.metadata as Record<string, unknown>)['ownerReferences'] = [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: 'x', controller: true, blockOwnerDeletion: true }];
    (g.metadata as Record<string, unknown>)['managedFields'] = [
      { manager: 'kubectl-client-side-apply', operation: 'Update', time: '2026-11-02T10:00:00Z', apiVersion: `${GW}/v1`, fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:listeners': {} } } },
      { manager: 'envoy-gateway', operation: 'Update', subresource: 'status', time: '2026-11-02T10:00:05Z', fieldsV1: {} },
    ];
    const o = normalize(set([g]), OPTS).snapshot.objects[0]!;
    expect(o.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', controller: true }]);
    expect(o.metadata.managedFields).toEqual([
      { manager: 'envoy-gateway', operation: 'Update', subresource: 'status', time: '2026-11-02T10:00:05Z' },
      { manager: 'kubectl-client-side-apply', operation: 'Update', time: '2026-11-02T10:00:00Z' },
    ]);
    expect(JSON.stringify(o)).not.toContain('fieldsV1');
  });
});
