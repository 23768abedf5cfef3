/**
 * Real-world CRDs (../shared/real-world/crds/<tag>-<channel>.yaml: every Gateway API CRD of five releases, both
 * channels, exactly as a cluster holds them) through the collector, the bundle and the resolver.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { readInputs, type InputSet } from '../../src/collector/inputs.ts';
import { captureFromInputs } from '../../src/collect.ts';
import { buildBundle } from '../../src/bundle/build.ts';
import { openBundle } from '../../src/bundle/open.ts';
import { parsePrivateKeyPem } from '../../src/crypto/index.ts';
import { verifyBundle } from '../../src/verify/verify.ts';
import { trustFromPublicKey } from '../../src/verify/trust.ts';
import { resolve, capturedBundleVersion, defaultAttachedRoutesSemantics } from '../../src/resolve/index.ts';
import type { KubeObject } from '../../src/model/object.ts';
import type { Capture } from '../../src/model/collection.ts';
import { InputError } from '../../src/errors.ts';
import { CAPTURED_AT, HAVE_REAL_WORLD, KEY_FILE, PUB_FILE, REAL_WORLD, SKIP_MESSAGE } from './shared.ts';

if (!HAVE_REAL_WORLD) console.warn(SKIP_MESSAGE);

const BV = 'gateway.networking.k8s.io/bundle-version';
const CH = 'gateway.networking.k8s.io/channel';

/**
 * Known gaps in code this suite does not own (src/collector/**): each entry asserts the CURRENT wrong behaviour,
 * so the test fails (and must be flipped) once the collector is fixed.
 */

interface CrdFile {
  file: string;
  tag: string;
  channel: 'standard' | 'experimental';
  path: string;
  /** The raw CRD documents, parsed independently of the code under test. */
  raw: Array<Record<string, any>>;
  /** Documents that are not Kubernetes objects (no apiVersion/kind). */
  nonObjects: number;
}

function loadCrdFiles(): CrdFile[] {
  if (!HAVE_REAL_WORLD) return [];
  const dir = join(REAL_WORLD, 'crds');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((file) => {
      const m = /^(v\d+\.\d+\.\d+)-(standard|experimental)\.yaml$/.exec(file);
      if (!m) throw new Error(`crds/${file}: expected <tag>-<channel>.yaml`);
      const docs = parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((d) => d.toJS() as Record<string, any> | null).filter((d) => d !== null);
      return {
        file,
        tag: m[1]!,
        channel: m[2] as 'standard' | 'experimental',
        path: join(dir, file),
        raw: docs.filter((d) => typeof d['kind'] === 'string'),
        nonObjects: docs.filter((d) => typeof d['kind'] !== 'string').length,
      };
    });
}

const FILES = loadCrdFiles();
const key = HAVE_REAL_WORLD ? parsePrivateKeyPem(readFileSync(KEY_FILE, 'utf8'), 'collector.test-only.key.pem') : undefined;
const trust = HAVE_REAL_WORLD ? trustFromPublicKey(readFileSync(PUB_FILE, 'utf8'), 'collector.pub.pem') : undefined;

/** readInputs on the file; for a known-gap file, the same input minus the non-object documents (built by hand). */
async function inputsFor(f: CrdFile): Promise<{ input: InputSet; readError?: unknown }> {
  try {
    return { input: await readInputs([f.path], { cwd: REAL_WORLD, readStdin: async () => new Uint8Array() }) };
  } catch (e) {
    const input: InputSet = {
      objects: f.raw.map((o, i) => ({ object: structuredClone(o), source: `crds/${f.file}#${i + 1}` })),
      conformanceReports: [],
      sources: [{ name: `crds/${f.file}`, sha256: '0'.repeat(64), bytes: 0 }],
    };
    return { input, readError: e };
  }
}

// Built once per file and reused by every test below.
const built = new Map<string, { capture: Capture; readError?: unknown; bundle: Uint8Array }>();
async function get(f: CrdFile): Promise<{ capture: Capture; readError?: unknown; bundle: Uint8Array }> {
  let b = built.get(f.file);
  if (!b) {
    const { input, readError } = await inputsFor(f);
    const capture = captureFromInputs(input, { capturedAt: CAPTURED_AT, mode: 'files' });
    b = { capture, readError, bundle: buildBundle(capture, { signers: [key!] }).bytes };
    built.set(f.file, b);
  }
  return b;
}

/**
 * Expectations from ../shared/docs/gateway-api-semantics.md section 7 (checked against the files): per release and
 * channel, kinds present (served versions, storage version) or absent. `null` = the CRD is absent.
 */
type Expect = { served: string[]; storage: string } | null;
const TABLE: Record<string, Record<string, Expect>> = {
  'v1.0.0-standard': {
    'gateways.gateway.networking.k8s.io': { served: ['v1', 'v1beta1'], storage: 'v1beta1' },
    'grpcroutes.gateway.networking.k8s.io': null, // GRPCRoute was experimental-only (v1alpha2) in v1.0
    'referencegrants.gateway.networking.k8s.io': { served: ['v1alpha2', 'v1beta1'], storage: 'v1beta1' },
    'tlsroutes.gateway.networking.k8s.io': null,
    'backendtlspolicies.gateway.networking.k8s.io': null,
  },
  'v1.0.0-experimental': {
    'grpcroutes.gateway.networking.k8s.io': { served: ['v1alpha2'], storage: 'v1alpha2' },
    'backendtlspolicies.gateway.networking.k8s.io': { served: ['v1alpha2'], storage: 'v1alpha2' },
    'tlsroutes.gateway.networking.k8s.io': { served: ['v1alpha2'], storage: 'v1alpha2' },
    'listenersets.gateway.networking.k8s.io': null,
  },
  'v1.2.1-standard': {
    'gateways.gateway.networking.k8s.io': { served: ['v1', 'v1beta1'], storage: 'v1' },
    'grpcroutes.gateway.networking.k8s.io': { served: ['v1'], storage: 'v1' }, // std v1 since v1.1, v1alpha2 removed in v1.2
    'referencegrants.gateway.networking.k8s.io': { served: ['v1beta1'], storage: 'v1beta1' },
    'backendtlspolicies.gateway.networking.k8s.io': null,
  },
  'v1.2.1-experimental': {
    'backendtlspolicies.gateway.networking.k8s.io': { served: ['v1alpha3'], storage: 'v1alpha3' },
    'xlistenersets.gateway.networking.x-k8s.io': null, // XListenerSet from v1.3
  },
  'v1.4.0-standard': {
    'backendtlspolicies.gateway.networking.k8s.io': { served: ['v1'], storage: 'v1' }, // v1alpha3 unserved
    'tlsroutes.gateway.networking.k8s.io': null,
    'listenersets.gateway.networking.k8s.io': null,
    'referencegrants.gateway.networking.k8s.io': { served: ['v1beta1'], storage: 'v1beta1' },
  },
  'v1.4.0-experimental': {
    'tlsroutes.gateway.networking.k8s.io': { served: ['v1alpha2', 'v1alpha3'], storage: 'v1alpha3' },
    'xlistenersets.gateway.networking.x-k8s.io': { served: ['v1alpha1'], storage: 'v1alpha1' },
  },
  'v1.5.1-standard': {
    'listenersets.gateway.networking.k8s.io': { served: ['v1'], storage: 'v1' }, // std v1 ListenerSet
    'tlsroutes.gateway.networking.k8s.io': { served: ['v1'], storage: 'v1' }, // v1alpha2/3 unserved
    'referencegrants.gateway.networking.k8s.io': { served: ['v1', 'v1beta1'], storage: 'v1beta1' }, // v1 served from v1.5
    'tcproutes.gateway.networking.k8s.io': null,
    'xlistenersets.gateway.networking.x-k8s.io': null,
  },
  'v1.5.1-experimental': {
    'tlsroutes.gateway.networking.k8s.io': { served: ['v1', 'v1alpha2', 'v1alpha3'], storage: 'v1' },
    'tcproutes.gateway.networking.k8s.io': { served: ['v1alpha2'], storage: 'v1alpha2' },
    'referencegrants.gateway.networking.k8s.io': { served: ['v1', 'v1beta1'], storage: 'v1beta1' },
  },
  'v1.6.1-standard': {
    'tcproutes.gateway.networking.k8s.io': { served: ['v1'], storage: 'v1' }, // v1alpha2 unserved in std
    'udproutes.gateway.networking.k8s.io': { served: ['v1'], storage: 'v1' },
    'tlsroutes.gateway.networking.k8s.io': { served: ['v1'], storage: 'v1' },
    'listenersets.gateway.networking.k8s.io': { served: ['v1'], storage: 'v1' },
  },
  'v1.6.1-experimental': {
    'tcproutes.gateway.networking.k8s.io': { served: ['v1', 'v1alpha2'], storage: 'v1' }, // v1alpha2 served (deprecated) in exp
    'xbackends.gateway.networking.x-k8s.io': { served: ['v1alpha1'], storage: 'v1alpha1' },
    'xmeshes.gateway.networking.x-k8s.io': { served: ['v1alpha1'], storage: 'v1alpha1' },
  },
};

function versionsOf(crd: KubeObject): { served: string[]; storage: string[] } {
  const vs = (crd.spec?.versions ?? []) as Array<{ name: string; served: boolean; storage: boolean }>;
  return { served: vs.filter((v) => v.served).map((v) => v.name).sort(), storage: vs.filter((v) => v.storage).map((v) => v.name) };
}

describe.skipIf(!HAVE_REAL_WORLD)('real-world CRDs: every release and channel', () => {
  it('finds the 10 CRD files of five releases, both channels', () => {
    expect(FILES.map((f) => `${f.tag}-${f.channel}`)).toEqual(Object.keys(TABLE).sort());
  });

  for (const f of FILES) {
    describe(`crds/${f.file}`, () => {
      it('is read by readInputs; a non-object document (the kustomization) is skipped, counted and named', async () => {
        const { readError, capture } = await get(f);
        expect(readError).toBeUndefined();
        // regression (realworld kustomization document): it used to abort the whole file with INPUT_INVALID
        const skippedDocs = capture.record.skipped['(not a Kubernetes object)'] ?? 0;
        expect(skippedDocs, `crds/${f.file}`).toBe(f.nonObjects);
        expect(capture.record.warnings.filter((w) => w.code === 'NOT_A_KUBERNETES_OBJECT').length).toBe(f.nonObjects);
      });

      it('collects into reduced CRDs: names, served/storage versions, bundle-version and channel', async () => {
        const { capture } = await get(f);
        const objects = capture.snapshot.objects;
        expect(objects.length, `crds/${f.file}: one reduced object per CRD document`).toBe(f.raw.length);
        // A CRD file holds only CRDs: nothing else sneaks in, nothing is skipped.
        expect(objects.every((o) => o.kind === 'CustomResourceDefinition' && o.apiVersion === 'apiextensions.k8s.io/v1')).toBe(true);
        expect(capture.record.counts).toEqual({ CustomResourceDefinition: f.raw.length });
        expect(capture.record.skipped).toEqual(f.nonObjects > 0 ? { '(not a Kubernetes object)': f.nonObjects } : {});
        expect(capture.snapshot.conformanceReports).toEqual([]);
        const byName = new Map(objects.map((o) => [o.metadata.name, o]));
        for (const raw of f.raw) {
          const name = raw['metadata']['name'] as string;
          const o = byName.get(name);
          expect(o, `crds/${f.file}: CRD ${name} kept`).toBeDefined();
          expect(name).toBe(`${raw['spec']['names']['plural']}.${raw['spec']['group']}`);
          expect(o!.spec.group).toBe(raw['spec']['group']);
          expect(o!.spec.names).toEqual({ kind: raw['spec']['names']['kind'], plural: raw['spec']['names']['plural'] });
          expect(o!.spec.versions).toEqual((raw['spec']['versions'] as any[]).map((v) => ({ name: v.name, served: v.served === true, storage: v.storage === true })));
          expect(o!.metadata.annotations).toEqual({ [BV]: f.tag, [CH]: f.channel });
          // Reduced: no schema, no labels, no other annotations.
          expect(JSON.stringify(o)).not.toContain('openAPIV3Schema');
          expect(o!.metadata.labels).toBeUndefined();
          expect(versionsOf(o!).storage).toHaveLength(1);
        }
      });

      it('matches the release table of the semantics digest (section 7)', async () => {
        const { capture } = await get(f);
        const byName = new Map(capture.snapshot.objects.map((o) => [o.metadata.name, o]));
        const table = TABLE[`${f.tag}-${f.channel}`]!;
        for (const [name, exp] of Object.entries(table)) {
          const o = byName.get(name);
          if (exp === null) {
            expect(o, `crds/${f.file}: expected ${name} absent, found it`).toBeUndefined();
            continue;
          }
          expect(o, `crds/${f.file}: expected ${name} present, found none`).toBeDefined();
          expect(versionsOf(o!), `crds/${f.file}: ${name} versions`).toEqual({ served: [...exp.served].sort(), storage: [exp.storage] });
        }
        // Every release serves Gateway and HTTPRoute at v1 in both channels.
        for (const n of ['gateways', 'httproutes', 'gatewayclasses']) expect(versionsOf(byName.get(`${n}.gateway.networking.k8s.io`)!).served).toContain('v1');
      });

      it('makes the resolver pick the bundle-version, attachedRoutes semantics and SupportedVersion=True', async () => {
        const { capture } = await get(f);
        const objects = capture.snapshot.objects;
        expect(capturedBundleVersion(objects)).toBe(f.tag);
        const minor = Number(f.tag.split('.')[1]);
        // ListenerStatus.AttachedRoutes doc changed in v1.5.0 (gateway-api#4341).
        expect(defaultAttachedRoutesSemantics(objects)).toEqual({ semantics: minor < 5 ? 'v1.4' : 'v1.5', bundleVersion: f.tag });
        const gc: KubeObject = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'real' }, spec: { controllerName: 'example.com/gateway' } };
        const res = resolve([...objects, gc]);
        const sv = res.gatewayClasses[0]!.conditions.find((c) => c.type === 'SupportedVersion');
        expect(sv, `crds/${f.file}: SupportedVersion condition`).toMatchObject({ status: 'True', reason: 'SupportedVersion' });
        expect(sv!.message).toContain(f.tag);
        expect(res.findings.find((x) => x.code === 'ATTACHED_ROUTES_SEMANTICS')?.detail).toEqual({ semantics: minor < 5 ? 'v1.4' : 'v1.5', bundleVersion: f.tag });
      });

      it('round-trips through a signed bundle that verifies', async () => {
        const { capture, bundle } = await get(f);
        const opened = openBundle(bundle);
        expect(opened.integrityOk).toBe(true);
        expect(opened.capture.snapshot.objects).toEqual(capture.snapshot.objects);
        const report = verifyBundle(bundle, { trust: trust! });
        expect(report.verdict, JSON.stringify(report.findings.filter((x) => x.severity === 'error'))).not.toBe('failed');
        expect(report.signatures.some((s) => s.counted)).toBe(true);
      });
    });
  }
});
