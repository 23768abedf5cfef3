import { createHash } from 'node:crypto';
import { InputError } from '../errors.ts';
import type { Capture, CollectionGap, CollectionRecord, CollectionWarning } from '../model/collection.ts';
import { GATEWAY_GROUP, GATEWAY_X_GROUP, compareStrings, groupOf, refKey, refLabel, type KubeObject, type ObjectRef } from '../model/object.ts';
import type { ConformanceReportFile } from '../model/snapshot.ts';
import type { InputSet, RawObject } from './inputs.ts';
import { reduceMetadata } from './metadata.ts';
import { KeyCheckMemo, reduceSecret } from './secrets.ts';
import { identifyController } from '../model/controllers.ts';
import { parseCertificatePem, pemLabels } from './certs.ts';
import { INFERENCE_BUNDLE_VERSION_ANNOTATION, INFERENCE_GROUP, INFERENCE_KINDS, isInferenceGroup } from '../model/inference.ts';
import { POLICY_LABEL, discoverPolicyKinds, policyKindKey } from '../model/policy-kinds.ts';
import { findKeyMaterialInValue } from '../crypto/key-material.ts';
import { kindKey } from '../model/collection.ts';
import { captureAdvice, missingLookupKinds } from '../resolve/capture-kinds.ts';

export interface NormalizeOptions {
  /** RFC 3339, UTC, seconds precision. */
  capturedAt: string;
  clusterName?: string;
  /** Extra cluster identity (live capture: uid, server version, context). */
  cluster?: CollectionRecord['cluster'];
  mode: 'files' | 'live';
  toolVersion: string;
  scope?: CollectionRecord['scope'];
  /** Gaps found by the source (live: 403/404 on a list). */
  extraGaps?: CollectionGap[];
  /** Warnings found by the source. */
  extraWarnings?: CollectionWarning[];
  /** Live capture: the kinds the source listed (or read by name) without a gap, as kindKey strings. */
  kindsListed?: readonly string[];
}

/** Gateway API kinds kept, and the versions each has shipped with (standard and experimental channels). */
const GATEWAY_VERSIONS = ['v1', 'v1beta1', 'v1alpha2', 'v1alpha3'];
const GATEWAY_KINDS = new Set([
  'GatewayClass', 'Gateway', 'HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute', 'ReferenceGrant', 'BackendTLSPolicy', 'ListenerSet',
]);
/** gateway.networking.x-k8s.io: experimental kinds under an X prefix (XListenerSet). */
const X_GATEWAY_VERSIONS = ['v1alpha1'];
const X_GATEWAY_KINDS = new Set(['XListenerSet', 'ListenerSet']);
/** networking.x-k8s.io/v1alpha1: the Gateway API before v0.4.0 (then named service-apis). */
const PRE_V04_GROUP = 'networking.x-k8s.io';
const PRE_V04_KINDS = new Set(['GatewayClass', 'Gateway', 'HTTPRoute', 'TCPRoute', 'UDPRoute', 'TLSRoute', 'BackendPolicy']);
/**
 * Backend kinds of other API groups that routes may reference (HTTPBackendRef), kept like Services so the
 * resolver can check them: group -> kinds and served versions. multicluster.x-k8s.io ServiceImport (KEP-1645 MCS
 * API, Extended in the Gateway API).
 */
const BACKEND_GROUPS: Record<string, { kinds: ReadonlySet<string>; versions: readonly string[] }> = {
  'multicluster.x-k8s.io': { kinds: new Set(['ServiceImport']), versions: ['v1alpha1', 'v1beta1'] },
};
const WORKLOAD_KINDS: Record<string, string[]> = { Deployment: ['apps/v1'], DaemonSet: ['apps/v1'], Pod: ['v1'] };

type Classification =
  | { keep: 'gateway' | 'inference' | 'policy' | 'service' | 'namespace' | 'secret' | 'configmap' | 'crd' | 'workload' }
  | { keep: false; reason: string };

/**
 * @param policyKinds `Kind.group` of the adjacent policy kinds (model/policy-kinds.ts: the built-in table plus the
 * CRDs of this input labelled gateway.networking.k8s.io/policy). Any version of a policy kind is kept as captured.
 */
function classify(apiVersion: string, kind: string, policyKinds: ReadonlySet<string>): Classification {
  const group = groupOf(apiVersion);
  const version = apiVersion.slice(group.length === 0 ? 0 : group.length + 1);
  if (isInferenceGroup(group)) {
    const versions = INFERENCE_KINDS[group]?.[kind];
    if (versions) return versions.includes(version) ? { keep: 'inference' } : { keep: false, reason: `unknown version ${version} of ${kind}` };
  }
  if (group !== GATEWAY_GROUP && group !== GATEWAY_X_GROUP && policyKinds.has(policyKindKey(group, kind))) return { keep: 'policy' };
  if (group === GATEWAY_GROUP && GATEWAY_KINDS.has(kind)) {
    return GATEWAY_VERSIONS.includes(version) ? { keep: 'gateway' } : { keep: false, reason: `unknown version ${version} of ${kind}` };
  }
  if (group === GATEWAY_X_GROUP && X_GATEWAY_KINDS.has(kind)) {
    return X_GATEWAY_VERSIONS.includes(version) ? { keep: 'gateway' } : { keep: false, reason: `unknown version ${version} of ${kind}` };
  }
  if (group === PRE_V04_GROUP && PRE_V04_KINDS.has(kind)) {
    // service-apis v0.1-v0.3 shipped these kinds in networking.x-k8s.io/v1alpha1; their schema predates every
    // version the resolver knows, so they are skipped, counted and named in a warning (never silently).
    return { keep: false, reason: `${apiVersion} is the pre-v0.4 service-apis group, not gateway.networking.k8s.io; convert to a served version first` };
  }
  if (apiVersion === 'v1') {
    if (kind === 'Service') return { keep: 'service' };
    if (kind === 'Namespace') return { keep: 'namespace' };
    if (kind === 'Secret') return { keep: 'secret' };
    if (kind === 'ConfigMap') return { keep: 'configmap' };
  }
  const backend = Object.hasOwn(BACKEND_GROUPS, group) ? BACKEND_GROUPS[group] : undefined;
  if (backend?.kinds.has(kind)) {
    return backend.versions.includes(version) ? { keep: 'service' } : { keep: false, reason: `unknown version ${version} of ${kind}` };
  }
  if (group === 'apiextensions.k8s.io' && kind === 'CustomResourceDefinition') return { keep: 'crd' };
  if (WORKLOAD_KINDS[kind]?.includes(apiVersion)) return { keep: 'workload' };
  return { keep: false, reason: 'not evidence' };
}

interface Entry {
  object: KubeObject;
  source: string;
}

/**
 * Raw objects -> Capture. Pure apart from X.509 parsing (node:crypto). Keeps the evidence kinds, reduces
 * Secrets to certificate metadata, drops managedFields/selfLink/last-applied-configuration, detects
 * duplicates, validates minimal shapes (warnings), sorts by refKey and writes the collection record.
 * @throws InputError for duplicates with different content, or objects without a name.
 */
export function normalize(input: InputSet, opts: NormalizeOptions): Capture {
  const warnings: CollectionWarning[] = [...(opts.extraWarnings ?? [])];
  const skipped: Record<string, number> = {};
  const skip = (raw: RawObject, reason: string, warn: boolean): void => {
    const k = `${String(raw.object['apiVersion'])} ${String(raw.object['kind'])}`;
    skipped[k] = (skipped[k] ?? 0) + 1;
    if (warn) warnings.push({ code: 'KIND_VERSION_UNKNOWN', message: `${k} ${nameOf(raw.object)}: ${reason}; skipped`, source: raw.source });
  };

  for (const d of input.skippedDocuments ?? []) {
    skipped['(not a Kubernetes object)'] = (skipped['(not a Kubernetes object)'] ?? 0) + 1;
    warnings.push({ code: 'NOT_A_KUBERNETES_OBJECT', message: `"${d.source}": ${d.reason}; skipped`, source: d.source });
  }

  // Pass 0: the policy kinds this input declares (CRDs with the GEP-713 policy label) plus the built-in table.
  const policyKinds = new Set(discoverPolicyKinds(input.objects.map((r) => r.object as unknown as KubeObject).filter(isCrdLike)).keys());
  // Pass 1: classify; collect the references that decide which Secrets and ConfigMaps are kept.
  const classified: Array<{ raw: RawObject; cls: Classification & { keep: string } }> = [];
  const secretRefs = new Set<string>();
  const configMapRefs = new Set<string>();
  for (const raw of input.objects) {
    const apiVersion = String(raw.object['apiVersion']);
    const kind = String(raw.object['kind']);
    const cls = classify(apiVersion, kind, policyKinds);
    if (cls.keep === false) {
      skip(raw, cls.reason, cls.reason !== 'not evidence');
      continue;
    }
    classified.push({ raw, cls });
    if (cls.keep === 'gateway') collectCertRefs(raw.object, secretRefs, configMapRefs);
  }

  const byKey = new Map<string, Entry>();
  const keyChecks = new KeyCheckMemo();
  for (const { raw, cls } of classified) {
    const obj = raw.object;
    const label = `${String(obj['kind'])} ${nameOf(obj)}`;
    const name = (obj['metadata'] as Record<string, unknown> | undefined)?.['name'];
    if (typeof name !== 'string' || name === '') {
      throw new InputError('INPUT_INVALID', `"${raw.source}": expected metadata.name on ${String(obj['apiVersion'])} ${String(obj['kind'])}, found ${JSON.stringify(name)}`, { file: raw.source, fields: ['metadata.name'] });
    }
    let reduced: KubeObject | undefined;
    switch (cls.keep) {
      case 'gateway':
      case 'inference':
      case 'policy':
      case 'service':
      case 'namespace':
        reduced = reduceGeneric(obj, raw.source, label, warnings);
        break;
      case 'secret': {
        const ns = namespaceOf(obj);
        const isTls = obj['type'] === 'kubernetes.io/tls';
        if (!isTls && !secretRefs.has(`${ns}/${name}`)) {
          skip(raw, 'unreferenced non-TLS Secret', false);
          continue;
        }
        reduced = reduceSecret(obj, raw.source, label, warnings, keyChecks);
        break;
      }
      case 'configmap': {
        if (!configMapRefs.has(`${namespaceOf(obj)}/${name}`)) {
          skip(raw, 'ConfigMap not referenced as a CA certificate', false);
          continue;
        }
        reduced = reduceConfigMap(obj, raw.source, label, warnings);
        break;
      }
      case 'crd': {
        const spec = (obj['spec'] ?? {}) as Record<string, unknown>;
        const group = spec['group'];
        const crdKind = ((spec['names'] ?? {}) as Record<string, unknown>)['kind'];
        const isPolicy = typeof group === 'string' && typeof crdKind === 'string' && policyKinds.has(policyKindKey(group, crdKind));
        if (group !== GATEWAY_GROUP && group !== GATEWAY_X_GROUP && !(typeof group === 'string' && isInferenceGroup(group)) && !isPolicy) {
          skip(raw, 'CRD outside the Gateway API, Inference Extension and policy kinds', false);
          continue;
        }
        reduced = reduceCrd(obj, raw.source, label, warnings);
        break;
      }
      case 'workload': {
        const w = reduceWorkload(obj, raw.source, label, warnings);
        if (!w) {
          skip(raw, 'not a gateway controller', false);
          continue;
        }
        reduced = w;
        break;
      }
    }
    if (reduced === undefined) continue;
    validateShape(reduced, raw.source, warnings);
    if (isNamespaced(reduced) && reduced.metadata.namespace === undefined) {
      reduced.metadata.namespace = 'default';
      warnings.push({ code: 'NAMESPACE_DEFAULTED', message: `${label}: no metadata.namespace on a namespaced object; assumed "default" as kubectl would`, source: raw.source, object: label });
    }
    const ref = refOfReduced(reduced);
    const key = refKey(ref);
    const keyHit = findKeyMaterialInValue(reduced);
    if (keyHit) {
      // Attack 12 / issue 8 item 4: evidence must never carry key material; stop rather than write it.
      throw new InputError('INPUT_INVALID', `"${raw.source}": ${refLabel(ref)} holds ${keyHit.form} at ${keyHit.path}; refusing to put private key material in evidence (remove it from the input)`, { file: raw.source, fields: [keyHit.path] });
    }
    const prev = byKey.get(key);
    if (prev) {
      // Key-order-independent comparison, computed only when a duplicate shows up.
      // managedFields times differ between dumps of the same object; they are not its content (issue 9 keeps them for owners).
      if (stableStringify(withoutManagers(prev.object)) !== stableStringify(withoutManagers(reduced))) {
        throw new InputError('INPUT_DUPLICATE', `${refLabel(ref)} appears twice with different content: in "${prev.source}" and in "${raw.source}"; expected one version of each object`, { file: raw.source });
      }
      warnings.push({ code: 'DUPLICATE_IDENTICAL', message: `${refLabel(ref)} appears twice with identical content, in "${prev.source}" and in "${raw.source}"; kept once`, source: raw.source, object: refLabel(ref) });
      continue;
    }
    byKey.set(key, { object: reduced, source: raw.source });
  }

  const keys = [...byKey.keys()].sort(compareStrings);
  const objects = keys.map((k) => byKey.get(k)!.object);
  const counts: Record<string, number> = {};
  for (const o of objects) counts[o.kind] = (counts[o.kind] ?? 0) + 1;

  const conformanceReports = reduceReports(input, warnings);
  if (conformanceReports.length > 0) counts['ConformanceReport'] = conformanceReports.length;

  // The kinds the capture held (files: the kept kinds the inputs held at all; live: the kinds listed), so that a
  // reference to a kind the dump never asked for is unknown rather than missing (issue 11 section 4); warn now,
  // naming the `kubectl get` kinds to add.
  let kindsPresent: string[] | undefined;
  if (opts.mode === 'files' || opts.kindsListed !== undefined) {
    // Only kinds the collector keeps: a skipped kind (an EnvoyProxy, say) never reaches the snapshot, so its objects
    // stay unknown even when the dump held them.
    const seen = new Set<string>(opts.kindsListed ?? []);
    for (const { raw } of classified) seen.add(kindKey(groupOf(String(raw.object['apiVersion'])), String(raw.object['kind'])));
    kindsPresent = [...seen].sort(compareStrings);
    for (const n of missingLookupKinds(objects, kindsPresent)) {
      if (n.resource === '') continue; // a parameters kind the collector never keeps: nothing to add to the dump
      warnings.push({
        code: 'CAPTURE_KIND_MISSING',
        message: `${n.count} object(s) reference ${n.kind} objects (${n.referencedBy.join(', ')}${n.count > n.referencedBy.length ? ', ...' : ''}), but the inputs hold no ${n.kind} at all; ${captureAdvice(n.kind)} (verify treats these references as unknown, not missing)`,
      });
    }
  }

  const gaps = [...(opts.extraGaps ?? [])];
  // Issue 8 item 12: inputs that could not be read (dangling/looping links, FIFOs, devices) are gaps, never silent.
  for (const sk of input.skippedSources ?? []) gaps.push({ kind: 'Source', name: sk.source, message: `input "${sk.source}": ${sk.reason}` });
  const cluster: CollectionRecord['cluster'] = { ...(opts.cluster ?? {}) };
  if (opts.clusterName !== undefined) cluster.name = opts.clusterName;
  const record: CollectionRecord = {
    tool: { name: 'gateway-evidence', version: opts.toolVersion },
    capturedAt: opts.capturedAt,
    mode: opts.mode,
    cluster,
    scope: opts.scope ?? {},
    sources: input.sources,
    counts: sortRecord(counts),
    skipped: sortRecord(skipped),
    gaps,
    warnings,
    partial: gaps.length > 0,
    ...(kindsPresent !== undefined ? { kindsPresent } : {}),
  };
  return { snapshot: { objects, conformanceReports }, record };
}

/**
 * ConformanceReports, byte for byte. Upstream names reports per implementation directory, so different files
 * can share a basename (v1.3.0/buoyant-enterprise-for-linkerd and v1.3.0/linkerd-linkerd both ship
 * standard-2.18-default-report.yaml): distinct bytes are all kept (the bundle layout gives clashing names
 * -2, -3 suffixes); the same bytes given twice are kept once with a warning.
 */
function reduceReports(input: InputSet, warnings: CollectionWarning[]): ConformanceReportFile[] {
  const bySha = new Map<string, ConformanceReportFile & { path: string }>();
  for (const f of input.conformanceReports) {
    const sha256 = createHash('sha256').update(f.bytes).digest('hex');
    const prev = bySha.get(sha256);
    if (prev) {
      warnings.push({ code: 'DUPLICATE_IDENTICAL', message: `ConformanceReport "${f.name}" given twice with identical bytes ("${prev.path}", "${f.path}"); kept once`, source: f.path });
      continue;
    }
    bySha.set(sha256, { name: f.name, sha256, bytes: f.bytes, path: f.path });
  }
  return [...bySha.values()]
    .sort((a, b) => compareStrings(a.name, b.name) || compareStrings(a.sha256, b.sha256))
    .map(({ name, sha256, bytes }) => ({ name, sha256, bytes }));
}

function nameOf(obj: Record<string, unknown>): string {
  const m = (obj['metadata'] ?? {}) as Record<string, unknown>;
  const ns = typeof m['namespace'] === 'string' ? `${m['namespace']}/` : '';
  return `${ns}${typeof m['name'] === 'string' ? m['name'] : '<no name>'}`;
}

function namespaceOf(obj: Record<string, unknown>): string {
  const m = (obj['metadata'] ?? {}) as Record<string, unknown>;
  return typeof m['namespace'] === 'string' && m['namespace'] !== '' ? m['namespace'] : 'default';
}

function isNamespaced(o: KubeObject): boolean {
  if (o.kind === 'Namespace' || o.kind === 'CustomResourceDefinition' || o.kind === 'GatewayClass') return false;
  return true;
}

function refOfReduced(o: KubeObject): ObjectRef {
  const ref: ObjectRef = { group: groupOf(o.apiVersion), kind: o.kind, name: o.metadata.name };
  if (o.metadata.namespace !== undefined && isNamespaced(o)) ref.namespace = o.metadata.namespace;
  return ref;
}

function reduceGeneric(obj: Record<string, unknown>, source: string, label: string, warnings: CollectionWarning[]): KubeObject {
  const out: KubeObject = { apiVersion: String(obj['apiVersion']), kind: String(obj['kind']), metadata: reduceMetadata(obj['metadata'], source, label, warnings) };
  if (!isNamespaced(out)) delete out.metadata.namespace;
  if (obj['spec'] !== undefined) out.spec = obj['spec'];
  if (obj['status'] !== undefined) out.status = obj['status'];
  return out;
}

/** ConfigMaps referenced as CA certificates: only `ca.crt` (public) is kept. */
function reduceConfigMap(obj: Record<string, unknown>, source: string, label: string, warnings: CollectionWarning[]): KubeObject {
  const out: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: reduceMetadata(obj['metadata'], source, label, warnings) };
  const data = (obj['data'] ?? {}) as Record<string, unknown>;
  const ca = data['ca.crt'];
  if (typeof ca === 'string') {
    const parsed = parseCertificatePem(ca);
    if (parsed.ignoredBlocks.length > 0) {
      // Keep only the CERTIFICATE blocks: anything else pasted into ca.crt is not public.
      warnings.push({ code: 'CONFIGMAP_CA_HAS_OTHER_PEM', message: `${label}: ca.crt holds PEM blocks other than certificates (${pemLabels(parsed.ignoredBlocks)}); only the certificates were kept`, source, object: label });
    }
    const certs = [...ca.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)].map((m) => m[0]);
    out['data'] = { 'ca.crt': certs.length > 0 ? certs.join('\n') + '\n' : ca.includes('-----BEGIN') ? '' : ca };
  } else {
    warnings.push({ code: 'CONFIGMAP_CA_MISSING', message: `${label}: referenced as a CA certificate but has no data."ca.crt"`, source, object: label });
    out['data'] = {};
  }
  return out;
}

const CRD_ANNOTATIONS = ['gateway.networking.k8s.io/bundle-version', 'gateway.networking.k8s.io/channel', INFERENCE_BUNDLE_VERSION_ANNOTATION];
/** The one CRD label kept (not on Gateway API CRDs): GEP-713 policy discovery must be repeatable from the bundle alone. */
const CRD_LABELS = [POLICY_LABEL];

/** Gateway API CRDs: name, group, kind, scope, served/storage versions, bundle-version and channel annotations. */
function reduceCrd(obj: Record<string, unknown>, source: string, label: string, warnings: CollectionWarning[]): KubeObject {
  const meta = reduceMetadata(obj['metadata'], source, label, warnings);
  delete meta.namespace;
  const annotations: Record<string, string> = {};
  for (const a of CRD_ANNOTATIONS) if (meta.annotations?.[a] !== undefined) annotations[a] = meta.annotations[a];
  const labels: Record<string, string> = {};
  // Gateway API CRDs carry the policy label too (BackendTLSPolicy: Direct), but the resolver handles those kinds
  // itself; dropping it there keeps their reduced form as it always was (no diff noise between tool versions).
  const crdGroup = ((obj['spec'] ?? {}) as Record<string, unknown>)['group'];
  const gatewayApi = crdGroup === GATEWAY_GROUP || crdGroup === GATEWAY_X_GROUP;
  if (!gatewayApi) for (const l of CRD_LABELS) if (meta.labels?.[l] !== undefined) labels[l] = meta.labels[l];
  if (Object.keys(labels).length > 0) meta.labels = labels;
  else delete meta.labels;
  if (Object.keys(annotations).length > 0) meta.annotations = annotations;
  else delete meta.annotations;
  const spec = (obj['spec'] ?? {}) as Record<string, unknown>;
  const names = (spec['names'] ?? {}) as Record<string, unknown>;
  const versions = Array.isArray(spec['versions']) ? (spec['versions'] as Array<Record<string, unknown>>) : [];
  const out: KubeObject = {
    apiVersion: String(obj['apiVersion']),
    kind: 'CustomResourceDefinition',
    metadata: meta,
    spec: {
      group: spec['group'],
      names: { kind: names['kind'], plural: names['plural'] },
      scope: spec['scope'],
      versions: versions.map((v) => ({ name: v['name'], served: v['served'] === true, storage: v['storage'] === true })),
    },
  };
  const status = (obj['status'] ?? {}) as Record<string, unknown>;
  if (Array.isArray(status['storedVersions'])) out.status = { storedVersions: status['storedVersions'] };
  return out;
}

/** Controller workloads: name, namespace, labels, container images, readiness counts. Never env, args or volumes. */
function reduceWorkload(obj: Record<string, unknown>, source: string, label: string, warnings: CollectionWarning[]): KubeObject | undefined {
  const kind = String(obj['kind']);
  const spec = (obj['spec'] ?? {}) as Record<string, unknown>;
  const podSpec = (kind === 'Pod' ? spec : (((spec['template'] ?? {}) as Record<string, unknown>)['spec'] ?? {})) as Record<string, unknown>;
  const templateLabels = kind === 'Pod' ? {} : ((((spec['template'] ?? {}) as Record<string, unknown>)['metadata'] ?? {}) as Record<string, unknown>)['labels'];
  const containers = (key: string): Array<{ name: string; image: string }> =>
    (Array.isArray(podSpec[key]) ? (podSpec[key] as Array<Record<string, unknown>>) : []).map((c) => ({ name: String(c['name'] ?? ''), image: String(c['image'] ?? '') }));
  const main = containers('containers');
  const init = containers('initContainers');
  const meta = reduceMetadata(obj['metadata'], source, label, warnings);
  const labels: Record<string, string> = { ...stringRecord(templateLabels), ...(meta.labels ?? {}) };
  const impl = identifyController(labels, [...main, ...init].map((c) => c.image));
  if (impl === undefined) return undefined;
  const out: KubeObject = { apiVersion: String(obj['apiVersion']), kind, metadata: meta };
  const reducedPod: Record<string, unknown> = { containers: main };
  if (init.length > 0) reducedPod['initContainers'] = init;
  if (kind === 'Pod') {
    out.spec = reducedPod;
    const st = (obj['status'] ?? {}) as Record<string, unknown>;
    if (typeof st['phase'] === 'string') out.status = { phase: st['phase'] };
  } else {
    out.spec = { template: { metadata: { labels: stringRecord(templateLabels) }, spec: reducedPod } };
    if (typeof spec['replicas'] === 'number') out.spec.replicas = spec['replicas'];
    const st = (obj['status'] ?? {}) as Record<string, unknown>;
    const status: Record<string, unknown> = {};
    for (const k of ['replicas', 'readyReplicas', 'availableReplicas', 'updatedReplicas', 'desiredNumberScheduled', 'numberReady', 'numberAvailable']) {
      if (typeof st[k] === 'number') status[k] = st[k];
    }
    if (Object.keys(status).length > 0) out.status = status;
  }
  return out;
}

function stringRecord(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return out;
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) if (typeof val === 'string') out[k] = val;
  return out;
}

/**
 * Secrets and ConfigMaps referenced by Gateway API objects: listener `tls.certificateRefs` (Secret by default),
 * frontend validation and BackendTLSPolicy `caCertificateRefs` (v1alpha2 `caCertRefs`), client certificate refs.
 * Walks the spec so that every version's field placement is covered.
 */
function collectCertRefs(obj: Record<string, unknown>, secrets: Set<string>, configMaps: Set<string>): void {
  const ns = namespaceOf(obj);
  const visit = (v: unknown, depth: number): void => {
    if (depth > 12 || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      for (const x of v) visit(x, depth + 1);
      return;
    }
    for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
      if (k === 'certificateRefs' || k === 'caCertificateRefs' || k === 'caCertRefs' || k === 'clientCertificateRef') {
        const refs = Array.isArray(val) ? val : [val];
        for (const r of refs) {
          if (r === null || typeof r !== 'object') continue;
          const ref = r as Record<string, unknown>;
          if (typeof ref['name'] !== 'string') continue;
          const group = typeof ref['group'] === 'string' ? ref['group'] : '';
          if (group !== '' && group !== 'core') continue;
          const kind = typeof ref['kind'] === 'string' ? ref['kind'] : k === 'certificateRefs' || k === 'clientCertificateRef' ? 'Secret' : 'ConfigMap';
          const refNs = typeof ref['namespace'] === 'string' ? ref['namespace'] : ns;
          if (kind === 'Secret') secrets.add(`${refNs}/${ref['name']}`);
          else if (kind === 'ConfigMap') configMaps.add(`${refNs}/${ref['name']}`);
        }
      } else visit(val, depth + 1);
    }
  };
  visit(obj['spec'], 0);
}

function isCrdLike(o: KubeObject): boolean {
  return o && typeof o === 'object' && o.kind === 'CustomResourceDefinition' && typeof o.apiVersion === 'string' && o.metadata !== null && typeof o.metadata === 'object';
}

/** Minimal shape checks per kind (the Gateway API CRD schemas' required fields): problems become warnings. */
function validateShape(o: KubeObject, source: string, warnings: CollectionWarning[]): void {
  const problems: string[] = [];
  const spec = o.spec as Record<string, unknown> | undefined;
  const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (groupOf(o.apiVersion) === GATEWAY_GROUP || groupOf(o.apiVersion) === GATEWAY_X_GROUP) {
    if (!isObj(spec)) problems.push('expected a spec object, found none');
    else {
      switch (o.kind) {
        case 'GatewayClass':
          if (typeof spec['controllerName'] !== 'string') problems.push('expected spec.controllerName (string)');
          break;
        case 'Gateway':
          if (typeof spec['gatewayClassName'] !== 'string') problems.push('expected spec.gatewayClassName (string)');
          if (!Array.isArray(spec['listeners']) || spec['listeners'].length === 0) problems.push('expected spec.listeners (a non-empty list)');
          else (spec['listeners'] as unknown[]).forEach((l, i) => {
            if (!isObj(l) || typeof l['name'] !== 'string' || typeof l['port'] !== 'number' || typeof l['protocol'] !== 'string') problems.push(`expected spec.listeners[${i}] with name, port (number) and protocol`);
          });
          break;
        case 'ListenerSet':
        case 'XListenerSet':
          if (!isObj(spec['parentRef'])) problems.push('expected spec.parentRef');
          if (!Array.isArray(spec['listeners'])) problems.push('expected spec.listeners (a list)');
          break;
        case 'HTTPRoute':
        case 'GRPCRoute':
        case 'TLSRoute':
        case 'TCPRoute':
        case 'UDPRoute':
          if (spec['parentRefs'] !== undefined && !Array.isArray(spec['parentRefs'])) problems.push('expected spec.parentRefs to be a list');
          if (spec['rules'] !== undefined && !Array.isArray(spec['rules'])) problems.push('expected spec.rules to be a list');
          if ((o.kind === 'TCPRoute' || o.kind === 'UDPRoute' || o.kind === 'TLSRoute') && !Array.isArray(spec['rules'])) problems.push('expected spec.rules (a list)');
          break;
        case 'ReferenceGrant':
          if (!Array.isArray(spec['from']) || !Array.isArray(spec['to'])) problems.push('expected spec.from and spec.to (lists)');
          break;
        case 'BackendTLSPolicy':
          if (!Array.isArray(spec['targetRefs']) && !isObj(spec['targetRef'])) problems.push('expected spec.targetRefs (a list)');
          break;
      }
    }
  } else if (isInferenceGroup(groupOf(o.apiVersion))) {
    // Inference Extension CRD schemas (api/v1/inferencepool_types.go; apix/v1alpha2): required fields only.
    if (!isObj(spec)) problems.push('expected a spec object, found none');
    else if (o.kind === 'InferencePool') {
      if (!isObj(spec['selector'])) problems.push('expected spec.selector');
      if (groupOf(o.apiVersion) === INFERENCE_GROUP ? !Array.isArray(spec['targetPorts']) : spec['targetPorts'] === undefined && typeof spec['targetPortNumber'] !== 'number') {
        problems.push('expected spec.targetPorts (v1) or spec.targetPortNumber (v1alpha2)');
      }
    } else if ((o.kind === 'InferenceObjective' || o.kind === 'InferenceModel') && !isObj(spec['poolRef'])) problems.push('expected spec.poolRef');
  } else if (o.kind === 'Service') {
    if (!isObj(spec)) problems.push('expected a spec object, found none');
    else if (spec['ports'] !== undefined && !Array.isArray(spec['ports'])) problems.push('expected spec.ports to be a list');
  }
  if (problems.length === 0) return;
  // The label only when there is something to say (issue 13: not one ref and string per kept object).
  const label = refLabel(refOfReduced(o));
  for (const p of problems) warnings.push({ code: 'OBJECT_SHAPE', message: `${label}: ${p}`, source, object: label });
}

function sortRecord(r: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(r).sort(compareStrings)) out[k] = r[k]!;
  return out;
}

/** Key-sorted JSON, used to compare duplicates (content equality independent of key order). */
export function stableStringify(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  const keys = Object.keys(v as Record<string, unknown>).filter((k) => (v as Record<string, unknown>)[k] !== undefined).sort(compareStrings);
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify((v as Record<string, unknown>)[k])}`).join(',')}}`;
}

function withoutManagers(o: KubeObject): KubeObject {
  if (o.metadata.managedFields === undefined) return o;
  const { managedFields: _m, ...metadata } = o.metadata;
  return { ...o, metadata };
}
