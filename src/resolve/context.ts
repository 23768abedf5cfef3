/**
 * Indexes over the input objects, built once per resolve() call so that every lookup is O(1) or bounded
 * by the size of one namespace (never a scan of all objects per route or listener).
 */
import { GATEWAY_GROUP, GATEWAY_X_GROUP, compareStrings, groupOf, type KubeObject } from '../model/object.ts';
import { isInferenceGroup } from '../model/inference.ts';
import type { Finding } from '../model/finding.ts';
import type { CertificateInfo } from '../model/snapshot.ts';
import { kindKey } from '../model/collection.ts';
import { PROFILE_SWITCHES, type Profile, type Semantics, type SwitchId } from './profiles.ts';
import type { Condition, ConditionStatus, ParentRefEcho, RoutingCertificate } from './types.ts';

/** Reason of a condition that cannot be predicted because a needed kind was not captured at all. */
export const CAPTURE_INCOMPLETE = 'CaptureIncomplete';

/**
 * A condition from a failure: False/<reason>, or Unknown/CaptureIncomplete when the failure is only that the
 * referenced kind was not captured (`offline`): missing is not absent.
 */
export function failCond(type: string, f: { reason: string; message: string; offline?: string }): Condition {
  return f.offline !== undefined ? cond(type, 'Unknown', CAPTURE_INCOMPLETE, f.message) : cond(type, 'False', f.reason, f.message);
}

/** Where a profile switch departed from the spec: the drift entry it explains (verify/drift-classify.ts). */
export interface SwitchTarget {
  object: { kind: string; namespace?: string; name: string };
  listener?: string;
  parentRef?: ParentRefEcho;
  /** Condition type, `attachedRoutes` or `supportedKinds`. */
  field: string;
}

export const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'] as const;
export type RouteKind = (typeof ROUTE_KINDS)[number];

export function cond(type: string, status: ConditionStatus, reason: string, message: string): Condition {
  return { type, status, reason, message };
}

export function sortConditions(c: Iterable<Condition>): Condition[] {
  const out = [...c];
  // Insertion sort by type (stable, like Array.prototype.sort): a status holds a handful of conditions.
  for (let i = 1; i < out.length; i++) {
    const x = out[i]!;
    let j = i - 1;
    while (j >= 0 && compareStrings(out[j]!.type, x.type) > 0) {
      out[j + 1] = out[j]!;
      j--;
    }
    out[j + 1] = x;
  }
  return out;
}

/** `ns/name` key. */
export function nsName(ns: string | undefined, name: string): string {
  return `${ns ?? ''}/${name}`;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** A grant match: the ReferenceGrant that allowed the reference (`namespace/name`). */
export interface GrantIndex {
  /** key: `${toNs}|${fromGroup}|${fromKind}|${fromNs}|${toGroup}|${toKind}` -> name-specific grants and grants for all names. */
  entries: Map<string, { all?: string; names: Map<string, string> }>;
}

export interface SecretView {
  exists: boolean;
  /** Not found because the capture holds no object of that kind at all: unknown, not missing. */
  offline?: string;
  /** tls.crt holds a parseable certificate (ReducedSecret: status 'valid'; raw Secret: a PEM CERTIFICATE block). */
  certValid: boolean;
  hasKey: boolean;
  /** ReducedSecret.keyMatchesCertificate === false: tls.key is not the key of the tls.crt leaf (InvalidCertificateRef). */
  keyMismatch?: boolean;
  error?: string;
  chain: RoutingCertificate[];
}

/** What the routing table shows of a Service: its type and copies of its labels and annotations (read-only). */
export interface ServiceView {
  type: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** An indexed Service; `view` is built on first use and shared by every backendRef to the Service. */
export interface ServiceEntry {
  obj: KubeObject;
  view: ServiceView | undefined;
}

export function serviceView(e: ServiceEntry): ServiceView {
  const svc = e.obj;
  return (e.view ??= { type: str(svc.spec?.type) ?? 'ClusterIP', labels: { ...(svc.metadata.labels ?? {}) }, annotations: { ...(svc.metadata.annotations ?? {}) } });
}

export class Context {
  readonly findings: Finding[] = [];
  readonly namespaces = new Map<string, Record<string, string>>();
  private servicesIndex: Map<string, KubeObject> | undefined;
  /** Services by namespace, then name: the per-backendRef lookup needs no `ns/name` key string. */
  private readonly servicesByNs = new Map<string, Map<string, ServiceEntry>>();
  readonly secrets = new Map<string, KubeObject>();
  readonly configMaps = new Map<string, KubeObject>();
  private allIndex: Map<string, KubeObject> | undefined;
  readonly grants: GrantIndex = { entries: new Map() };
  readonly gatewayClasses: KubeObject[] = [];
  readonly gateways: KubeObject[] = [];
  readonly listenerSets: KubeObject[] = [];
  readonly routes: KubeObject[] = [];
  readonly backendTLSPolicies: KubeObject[] = [];
  readonly crds: KubeObject[] = [];
  /** InferencePools of both Inference Extension groups (v1 and v1alpha2). */
  readonly inferencePools: KubeObject[] = [];
  /** InferenceObjectives and the older InferenceModels (they name the pool they serve through poolRef). */
  readonly inferenceObjectives: KubeObject[] = [];
  private readonly missingNamespaceReported = new Set<string>();

  /** The semantics asked for (profiles.ts); each GatewayClass gets its profile from it (ClassState.profile). */
  readonly semantics: Semantics;
  private readonly kindsPresent: ReadonlySet<string> | undefined;
  private readonly onKindNotCaptured: ((kind: string) => void) | undefined;

  constructor(
    objects: readonly KubeObject[],
    readonly features: ReadonlySet<string>,
    options: { semantics?: Semantics; kindsPresent?: readonly string[]; onKindNotCaptured?: (kind: string) => void } = {},
  ) {
    this.semantics = options.semantics ?? 'spec';
    this.kindsPresent = options.kindsPresent ? new Set(options.kindsPresent) : undefined;
    this.onKindNotCaptured = options.onKindNotCaptured;
    this.objects = objects;
    for (const o of objects) {
      if (!o || typeof o !== 'object' || !o.metadata || typeof o.metadata.name !== 'string') continue;
      const group = groupOf(o.apiVersion);
      if (group === '') {
        const ns = o.metadata.namespace;
        switch (o.kind) {
          case 'Namespace':
            this.namespaces.set(o.metadata.name, { ...(o.metadata.labels ?? {}) });
            break;
          case 'Service': {
            let byName = this.servicesByNs.get(ns ?? '');
            if (!byName) this.servicesByNs.set(ns ?? '', (byName = new Map()));
            byName.set(o.metadata.name, { obj: o, view: undefined });
            break;
          }
          case 'Secret':
            this.secrets.set(nsName(ns, o.metadata.name), o);
            break;
          case 'ConfigMap':
            this.configMaps.set(nsName(ns, o.metadata.name), o);
            break;
        }
        continue;
      }
      if (group === 'apiextensions.k8s.io' && o.kind === 'CustomResourceDefinition') {
        this.crds.push(o);
        continue;
      }
      if (group === GATEWAY_GROUP) {
        if (o.kind === 'GatewayClass') this.gatewayClasses.push(o);
        else if (o.kind === 'Gateway') this.gateways.push(o);
        else if (o.kind === 'ListenerSet') this.listenerSets.push(o);
        else if ((ROUTE_KINDS as readonly string[]).includes(o.kind)) this.routes.push(o);
        else if (o.kind === 'ReferenceGrant') this.addGrant(o);
        else if (o.kind === 'BackendTLSPolicy') this.backendTLSPolicies.push(o);
      } else if (group === GATEWAY_X_GROUP && o.kind === 'XListenerSet') {
        this.listenerSets.push(o);
      } else if (isInferenceGroup(group)) {
        if (o.kind === 'InferencePool') this.inferencePools.push(o);
        else if (o.kind === 'InferenceObjective' || o.kind === 'InferenceModel') this.inferenceObjectives.push(o);
      }
    }
  }

  private readonly objects: readonly KubeObject[];

  /**
   * `${group}|${kind}|${ns}|${name}` for any object (parametersRef, InferencePool and ServiceImport lookups), built on
   * first use: most captures never look anything up in it (issue 13).
   */
  get all(): ReadonlyMap<string, KubeObject> {
    if (!this.allIndex) {
      this.allIndex = new Map();
      for (const o of this.objects) {
        if (!o || typeof o !== 'object' || !o.metadata || typeof o.metadata.name !== 'string') continue;
        this.allIndex.set(`${groupOf(o.apiVersion)}|${o.kind}|${o.metadata.namespace ?? ''}|${o.metadata.name}`, o);
      }
    }
    return this.allIndex;
  }

  has(feature: string): boolean {
    return this.features.has(feature);
  }

  /** False when the capture did not hold the kind at all (a files capture that never asked for it). */
  kindCaptured(group: string, kind: string): boolean {
    if (this.kindsPresent === undefined) return true;
    const key = kindKey(group, kind);
    if (this.kindsPresent.has(key)) return true;
    this.onKindNotCaptured?.(key);
    return false;
  }

  /**
   * Records that profile switch `id` made `profile`'s result differ from the spec's at `target` (an info
   * PROFILE_SWITCH finding; verify names the switch when the recorded status matches this result).
   */
  depart(profile: Profile, id: SwitchId, subject: string, target: SwitchTarget, what: string): void {
    const s = PROFILE_SWITCHES[id];
    this.findings.push({
      code: 'PROFILE_SWITCH',
      severity: 'info',
      subject,
      message: `${subject}: ${what} under ${profile} semantics (switch ${id}: ${s.summary}; the spec: ${s.spec})`,
      detail: { switch: id, profile, ...target },
    });
  }

  /** Services by `ns/name`, built on first use (the backendRef lookups go through service()). */
  get services(): ReadonlyMap<string, KubeObject> {
    if (!this.servicesIndex) {
      this.servicesIndex = new Map();
      for (const [ns, byName] of this.servicesByNs) for (const [name, e] of byName) this.servicesIndex.set(nsName(ns, name), e.obj);
    }
    return this.servicesIndex;
  }

  /** The Service `namespace/name` (same answer as `services.get(nsName(namespace, name))`). */
  service(namespace: string, name: string): KubeObject | undefined {
    return this.servicesByNs.get(namespace)?.get(name)?.obj;
  }

  /** The Service `namespace/name` with the view the routing table shows of it (serviceView). */
  serviceEntry(namespace: string, name: string): ServiceEntry | undefined {
    return this.servicesByNs.get(namespace)?.get(name);
  }

  /**
   * ReferenceGrant (apis/v1beta1/referencegrant_types.go): lives in the TARGET namespace; from[] and to[]
   * are ORed; from needs exact group, kind and namespace; to needs exact group and kind, and name when set.
   */
  private addGrant(g: KubeObject): void {
    const toNs = g.metadata.namespace ?? '';
    const id = nsName(toNs, g.metadata.name);
    const from: unknown[] = Array.isArray(g.spec?.from) ? g.spec.from : [];
    const to: unknown[] = Array.isArray(g.spec?.to) ? g.spec.to : [];
    for (const f of from as Record<string, unknown>[]) {
      for (const t of to as Record<string, unknown>[]) {
        const key = `${toNs}|${str(f?.['group']) ?? ''}|${str(f?.['kind']) ?? ''}|${str(f?.['namespace']) ?? ''}|${str(t?.['group']) ?? ''}|${str(t?.['kind']) ?? ''}`;
        let e = this.grants.entries.get(key);
        if (!e) this.grants.entries.set(key, (e = { names: new Map() }));
        const name = str(t?.['name']);
        if (name === undefined || name === '') {
          if (e.all === undefined || compareStrings(id, e.all) < 0) e.all = id;
        } else {
          const prev = e.names.get(name);
          if (prev === undefined || compareStrings(id, prev) < 0) e.names.set(name, id);
        }
      }
    }
  }

  /** The grant (`ns/name`) permitting `from` to reference `to`, or undefined. Same-namespace refs need none. */
  findGrant(
    from: { group: string; kind: string; namespace: string },
    to: { group: string; kind: string; namespace: string; name: string },
  ): string | undefined {
    const e = this.grants.entries.get(`${to.namespace}|${from.group}|${from.kind}|${from.namespace}|${to.group}|${to.kind}`);
    if (!e) return undefined;
    return e.names.get(to.name) ?? e.all;
  }

  /** Labels of a Namespace; when the Namespace object is absent, only the automatic kubernetes.io/metadata.name label. */
  namespaceLabels(ns: string): Record<string, string> {
    const l = this.namespaces.get(ns);
    if (l) return l.hasOwnProperty('kubernetes.io/metadata.name') ? l : { ...l, 'kubernetes.io/metadata.name': ns };
    if (!this.missingNamespaceReported.has(ns)) {
      this.missingNamespaceReported.add(ns);
      this.findings.push({
        code: 'NAMESPACE_NOT_IN_SNAPSHOT',
        severity: 'warning',
        subject: `Namespace ${ns}`,
        message: `a namespace selector was evaluated for namespace ${ns}, but the snapshot has no Namespace object; only the automatic kubernetes.io/metadata.name label was assumed`,
      });
    }
    return { 'kubernetes.io/metadata.name': ns };
  }

  /** What a Secret offers as a TLS certificate: ReducedSecret (certificateMetadata) or raw (data / stringData). */
  secretView(ns: string, name: string, key = 'tls.crt'): SecretView {
    const s = this.secrets.get(nsName(ns, name));
    if (!s && !this.kindCaptured('', 'Secret')) return { exists: false, certValid: false, hasKey: false, chain: [], offline: 'Secret', error: `secret ${ns}/${name}: unknown, the capture holds no Secrets at all` };
    if (!s) return { exists: false, certValid: false, hasKey: false, chain: [], error: `secret ${ns}/${name} not found` };
    return pemView(s, key, key === 'tls.crt' ? 'tls.key' : undefined);
  }

  /** What a ConfigMap (or Secret) offers as a CA bundle under `ca.crt`. */
  caView(kind: 'ConfigMap' | 'Secret', ns: string, name: string): SecretView {
    const o = kind === 'ConfigMap' ? this.configMaps.get(nsName(ns, name)) : this.secrets.get(nsName(ns, name));
    if (!o && !this.kindCaptured('', kind)) return { exists: false, certValid: false, hasKey: false, chain: [], offline: kind, error: `${kind.toLowerCase()} ${ns}/${name}: unknown, the capture holds no ${kind}s at all` };
    if (!o) return { exists: false, certValid: false, hasKey: false, chain: [], error: `${kind.toLowerCase()} ${ns}/${name} not found` };
    return pemView(o, 'ca.crt', undefined);
  }
}

const PEM_CERT = '-----BEGIN CERTIFICATE-----';

function decodeBase64(v: string): string | undefined {
  try {
    return atob(v.replace(/\s+/g, ''));
  } catch {
    return undefined;
  }
}

function pemView(o: KubeObject, certKey: string, keyKey: string | undefined): SecretView {
  const meta = (o as { certificateMetadata?: Record<string, unknown> }).certificateMetadata;
  const dataKeys = (o as { dataKeys?: unknown }).dataKeys;
  if (meta && typeof meta === 'object' && Array.isArray(dataKeys)) {
    // ReducedSecret (src/model/snapshot.ts): certificate metadata computed by the collector.
    const hasKey = keyKey === undefined || dataKeys.includes(keyKey);
    const block = meta[certKey] as { status?: string; chain?: CertificateInfo[]; error?: string } | undefined;
    if (!block) return { exists: true, certValid: false, hasKey, chain: [], error: `no ${certKey} key` };
    if (block.status !== 'valid') return { exists: true, certValid: false, hasKey, chain: [], error: `${certKey} does not parse: ${block.error ?? 'invalid'}` };
    const chain = (block.chain ?? []).map(toRoutingCert);
    if (!hasKey) return { exists: true, certValid: true, hasKey, chain, error: `no ${keyKey} key` };
    if (keyKey !== undefined && (o as { keyMatchesCertificate?: unknown }).keyMatchesCertificate === false) {
      return { exists: true, certValid: true, hasKey, keyMismatch: true, chain, error: `${keyKey} is not the private key of the ${certKey} certificate` };
    }
    return { exists: true, certValid: true, hasKey, chain };
  }
  // Raw object: Secret data (base64) / stringData, or ConfigMap data (plain text).
  const data = (o as { data?: Record<string, unknown> }).data ?? {};
  const stringData = (o as { stringData?: Record<string, unknown> }).stringData ?? {};
  const isSecret = o.kind === 'Secret';
  const read = (k: string): string | undefined => {
    const sd = stringData[k];
    if (typeof sd === 'string') return sd;
    const d = data[k];
    if (typeof d !== 'string') return undefined;
    return isSecret ? decodeBase64(d) : d;
  };
  const hasKey = keyKey === undefined || read(keyKey) !== undefined;
  const cert = read(certKey);
  if (cert === undefined) return { exists: true, certValid: false, hasKey, chain: [], error: `no ${certKey} key` };
  if (!cert.includes(PEM_CERT)) return { exists: true, certValid: false, hasKey, chain: [], error: `${certKey} holds no PEM CERTIFICATE block` };
  return { exists: true, certValid: true, hasKey, chain: [], ...(hasKey ? {} : { error: `no ${keyKey} key` }) };
}

function toRoutingCert(c: CertificateInfo): RoutingCertificate {
  return {
    subject: c.subject,
    issuer: c.issuer,
    sha256Fingerprint: c.sha256Fingerprint,
    dnsNames: [...(c.dnsNames ?? [])],
    ipAddresses: [...(c.ipAddresses ?? [])],
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    isCA: c.isCA,
  };
}
