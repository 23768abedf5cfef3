/**
 * The collector keeps the Inference Extension kinds (InferencePool v1 and v1alpha2, InferenceObjective,
 * InferenceModel) with their CRDs, and the adjacent policy kinds of the built-in table or of CRDs labelled
 * gateway.networking.k8s.io/policy, with those CRDs (label kept, so discovery repeats offline). Policies that
 * name Secrets keep the reference only. Real CRDs come from ../shared (skipped with a message when absent).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { normalize } from '../../../src/collector/normalize.ts';
import type { InputSet, RawObject } from '../../../src/collector/inputs.ts';
import { InputError } from '../../../src/errors.ts';
import { discoverPolicyKinds } from '../../../src/model/policy-kinds.ts';
import type { KubeObject } from '../../../src/model/object.ts';

const OPTS = { capturedAt: '2026-12-01T09:00:00Z', mode: 'files' as const, toolVersion: '0.1.0' };
const set = (...objs: Array<Record<string, unknown>>): InputSet => ({
  objects: objs.map((object, i): RawObject => ({ object: structuredClone(object), source: `in.yaml#${i + 1}` })),
  conformanceReports: [],
  sources: [{ name: 'in.yaml', sha256: '00'.repeat(32), bytes: 1 }],
});
const SHARED = resolvePath(process.cwd(), '../shared');
const readDocs = (file: string): Record<string, unknown>[] =>
  parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as Record<string, unknown>).filter((o) => o && typeof o === 'object');

const pool = (apiVersion: string, name: string, spec: Record<string, unknown>) => ({ apiVersion, kind: 'InferencePool', metadata: { name, namespace: 'ai' }, spec, status: { parents: [] } });

describe('collector: Inference Extension kinds', () => {
  it('keeps InferencePool v1 and v1alpha2, InferenceObjective and InferenceModel; skips unknown versions with a warning', () => {
    const cap = normalize(
      set(
        pool('inference.networking.k8s.io/v1', 'chat', { selector: { matchLabels: { app: 'vllm' } }, targetPorts: [{ number: 8000 }], endpointPickerRef: { name: 'epp', port: { number: 9002 } } }),
        pool('inference.networking.x-k8s.io/v1alpha2', 'old', { selector: { app: 'vllm' }, targetPortNumber: 8000, extensionRef: { name: 'epp' } }),
        { apiVersion: 'inference.networking.x-k8s.io/v1alpha2', kind: 'InferenceObjective', metadata: { name: 'default', namespace: 'ai' }, spec: { priority: 1, poolRef: { name: 'chat' } } },
        { apiVersion: 'inference.networking.x-k8s.io/v1alpha2', kind: 'InferenceModel', metadata: { name: 'llama', namespace: 'ai' }, spec: { modelName: 'llama-3', poolRef: { name: 'old' } } },
        pool('inference.networking.k8s.io/v9', 'future', {}),
      ),
      OPTS,
    );
    expect(cap.record.counts).toEqual({ InferenceModel: 1, InferenceObjective: 1, InferencePool: 2 });
    expect(cap.record.skipped).toEqual({ 'inference.networking.k8s.io/v9 InferencePool': 1 });
    expect(cap.record.warnings.map((w) => w.code)).toContain('KIND_VERSION_UNKNOWN');
    const chat = cap.snapshot.objects.find((o) => o.metadata.name === 'chat')!;
    expect(chat.spec.endpointPickerRef).toEqual({ name: 'epp', port: { number: 9002 } });
    expect(chat.status).toEqual({ parents: [] });
  });

  it('warns on an InferencePool without selector or target ports, naming it', () => {
    const cap = normalize(set(pool('inference.networking.k8s.io/v1', 'bare', {})), OPTS);
    const shapes = cap.record.warnings.filter((w) => w.code === 'OBJECT_SHAPE').map((w) => w.message);
    expect(shapes).toEqual(['InferencePool ai/bare: expected spec.selector', 'InferencePool ai/bare: expected spec.targetPorts (v1) or spec.targetPortNumber (v1alpha2)']);
  });

  it.skipIf(!existsSync(join(SHARED, 'conformance-inference/crds')))('keeps the real Inference Extension CRDs with their bundle-version annotation', () => {
    const dir = join(SHARED, 'conformance-inference/crds');
    const docs = readdirSync(dir).sort().flatMap((f) => readDocs(join(dir, f)));
    const cap = normalize(set(...docs), OPTS);
    const crds = cap.snapshot.objects.filter((o) => o.kind === 'CustomResourceDefinition');
    expect(crds.map((c) => c.metadata.name)).toEqual(['inferencepoolimports.inference.networking.x-k8s.io', 'inferencepools.inference.networking.k8s.io']);
    const pools = crds.find((c) => c.metadata.name === 'inferencepools.inference.networking.k8s.io')!;
    expect(pools.metadata.annotations).toEqual({ 'inference.networking.k8s.io/bundle-version': 'main-dev' });
    expect(pools.spec.versions).toEqual([{ name: 'v1', served: true, storage: true }]);
  });
});

describe('collector: adjacent policy kinds', () => {
  const sp = {
    apiVersion: 'gateway.envoyproxy.io/v1alpha1', kind: 'SecurityPolicy', metadata: { name: 'jwt', namespace: 'ai' },
    spec: { targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'chat' }], oidc: { clientID: 'c', clientSecret: { name: 'oidc-secret' } } },
    status: { ancestors: [] },
  };
  const labelledCrd = {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
    metadata: { name: 'quotas.example.com', labels: { 'gateway.networking.k8s.io/policy': 'Inherited', 'app.kubernetes.io/name': 'quota' } },
    spec: { group: 'example.com', names: { kind: 'QuotaPolicy', plural: 'quotas' }, scope: 'Namespaced', versions: [{ name: 'v1', served: true, storage: true }] },
  };
  const quota = { apiVersion: 'example.com/v1', kind: 'QuotaPolicy', metadata: { name: 'q', namespace: 'ai' }, spec: { targetRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gw' } } };

  it('keeps built-in table kinds without a CRD, and kinds declared by a labelled CRD only when that CRD is in the input', () => {
    expect(normalize(set(sp, quota), OPTS).record.counts).toEqual({ SecurityPolicy: 1 });
    const cap = normalize(set(sp, quota, labelledCrd), OPTS);
    expect(cap.record.counts).toEqual({ CustomResourceDefinition: 1, QuotaPolicy: 1, SecurityPolicy: 1 });
    const crd = cap.snapshot.objects.find((o) => o.kind === 'CustomResourceDefinition')!;
    // Only the policy label is kept on a CRD (discovery must repeat from the bundle).
    expect(crd.metadata.labels).toEqual({ 'gateway.networking.k8s.io/policy': 'Inherited' });
  });

  it('keeps a Secret reference in a policy but never reads or keeps the Secret (a non-TLS Secret is skipped)', () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: 'oidc-secret', namespace: 'ai' }, data: { 'client-secret': Buffer.from('s3cr3t-value').toString('base64') } };
    const cap = normalize(set(sp, secret), OPTS);
    expect(cap.snapshot.objects.map((o) => o.kind)).toEqual(['SecurityPolicy']);
    expect(JSON.stringify(cap)).not.toContain(Buffer.from('s3cr3t-value').toString('base64'));
    expect(cap.snapshot.objects[0]!.spec.oidc.clientSecret).toEqual({ name: 'oidc-secret' });
  });

  it('refuses a policy that holds a PEM private key inline', () => {
    const bad = structuredClone(sp) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    bad['spec']['extAuth'] = { note: '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----' };
    expect(() => normalize(set(bad), OPTS)).toThrow(InputError);
  });

  it.skipIf(!existsSync(join(SHARED, 'real-world/implementations/envoy-gateway/crds')))('discovers the real Envoy Gateway and Istio policy CRDs by the built-in table and keeps exactly those CRDs', () => {
    const eg = join(SHARED, 'real-world/implementations/envoy-gateway/crds');
    const docs = [
      ...readdirSync(eg).sort().flatMap((f) => readDocs(join(eg, f))),
      ...readDocs(join(SHARED, 'real-world/implementations/istio/crds/crd-all.gen.yaml')),
    ];
    const cap = normalize(set(...docs), OPTS);
    const kept = cap.snapshot.objects.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => `${o.spec.names.kind}.${o.spec.group}`);
    expect(kept.sort()).toEqual([
      'AuthorizationPolicy.security.istio.io',
      'BackendTrafficPolicy.gateway.envoyproxy.io',
      'ClientTrafficPolicy.gateway.envoyproxy.io',
      'EnvoyExtensionPolicy.gateway.envoyproxy.io',
      'RequestAuthentication.security.istio.io',
      'SecurityPolicy.gateway.envoyproxy.io',
    ]);
    // The real CRDs carry no GEP-713 label: discovery of these kinds is the table's doing.
    const kinds = discoverPolicyKinds(docs as unknown as KubeObject[]);
    expect([...kinds.values()].filter((k) => k.sources.includes('crd-label'))).toEqual([]);
    // Every table kind of these implementations has targetRef or targetRefs in its real schema.
    for (const d of docs as Array<Record<string, any>>) { // eslint-disable-line @typescript-eslint/no-explicit-any
      const key = `${d['spec']?.['names']?.['kind']}.${d['spec']?.['group']}`;
      if (!kept.includes(key)) continue;
      const props = d['spec']['versions'][0]['schema']['openAPIV3Schema']['properties']['spec']['properties'];
      expect(Object.keys(props).some((p) => p === 'targetRef' || p === 'targetRefs'), key).toBe(true);
    }
  });
});
