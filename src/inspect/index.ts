/**
 * Browse a capture held in a bundle without extracting it (issue 5, "Inspect"): list objects, select by
 * kind/namespace/name, list certificates, show the collection record. Pure over a Capture.
 */
import { safeYamlStringify as yamlStringify } from '../model/display.ts';
import type { Capture } from '../model/collection.ts';
import { compareStrings, groupOf, refKey, refOf, type KubeObject } from '../model/object.ts';
import type { ReducedSecret } from '../model/snapshot.ts';
import { objectPath } from '../bundle/layout.ts';
import { termSafe } from '../report/text.ts';
import { selectorMatches, type LabelSelector } from '../resolve/labels.ts';

export interface ObjectFilter {
  /**
   * Kind, plural or short name as kubectl takes them (case-insensitive: `HTTPRoute`, `httproutes`, `gtw`,
   * `svc`), optionally with the group (`HTTPRoute.gateway.networking.k8s.io`, `httproutes.gateway.networking.k8s.io`).
   */
  kind?: string;
  /** One namespace (kept for the library API); `namespaces` takes several. */
  namespace?: string;
  namespaces?: string[];
  excludeNamespaces?: string[];
  /** Label selector (parsed kubectl `-l`); applies to every kind, as `kubectl get -l` does. */
  selector?: LabelSelector;
  name?: string;
}

/**
 * Plural and short names (the Gateway API CRDs' `names.plural`/`shortNames`, kubectl's built-in short
 * names) -> Kind. Keys are lower case.
 */
const KIND_NAMES: Record<string, string> = (() => {
  const t: Record<string, string> = {};
  const add = (kind: string, plural: string, ...short: string[]): void => {
    for (const n of [kind.toLowerCase(), plural, ...short]) t[n] = kind;
  };
  add('GatewayClass', 'gatewayclasses', 'gc');
  add('Gateway', 'gateways', 'gtw');
  add('HTTPRoute', 'httproutes');
  add('GRPCRoute', 'grpcroutes');
  add('TLSRoute', 'tlsroutes');
  add('TCPRoute', 'tcproutes');
  add('UDPRoute', 'udproutes');
  add('ReferenceGrant', 'referencegrants', 'refgrant');
  add('BackendTLSPolicy', 'backendtlspolicies', 'btlspolicy');
  add('ListenerSet', 'listenersets', 'lset');
  add('XListenerSet', 'xlistenersets', 'xlset');
  add('Service', 'services', 'svc');
  add('Namespace', 'namespaces', 'ns');
  add('Secret', 'secrets');
  add('ConfigMap', 'configmaps', 'cm');
  add('CustomResourceDefinition', 'customresourcedefinitions', 'crd', 'crds');
  add('Deployment', 'deployments', 'deploy');
  add('DaemonSet', 'daemonsets', 'ds');
  add('Pod', 'pods', 'po');
  return t;
})();

/** `httproutes.gateway.networking.k8s.io` -> { kind: 'httproute', group: 'gateway.networking.k8s.io' } (lower case). */
export function parseKindName(want: string): { kind: string; group?: string } {
  const w = want.toLowerCase();
  const dot = w.indexOf('.');
  const name = dot < 0 ? w : w.slice(0, dot);
  const kind = (KIND_NAMES[name] ?? name).toLowerCase();
  return dot < 0 ? { kind } : { kind, group: w.slice(dot + 1) };
}

export interface ObjectRow {
  kind: string;
  apiVersion: string;
  namespace: string;
  name: string;
  /** Path of the object file inside the bundle (docs/bundle-format.md §1.2). */
  file: string;
}

export function hasFilter(f: ObjectFilter): boolean {
  return (
    f.kind !== undefined ||
    f.namespace !== undefined ||
    (f.namespaces?.length ?? 0) > 0 ||
    (f.excludeNamespaces?.length ?? 0) > 0 ||
    f.selector !== undefined ||
    f.name !== undefined
  );
}

function kindMatches(want: string, obj: KubeObject): boolean {
  const w = parseKindName(want);
  if (w.kind !== obj.kind.toLowerCase()) return false;
  return w.group === undefined || w.group === groupOf(obj.apiVersion).toLowerCase();
}

function namespaceMatches(f: ObjectFilter, o: KubeObject): boolean {
  const ns = o.metadata.namespace ?? '';
  const only = [...(f.namespace !== undefined ? [f.namespace] : []), ...(f.namespaces ?? [])];
  // Like `kubectl get -n NS`: a namespace filter selects namespaced objects only.
  if (only.length > 0 && !only.includes(ns)) return false;
  return !(f.excludeNamespaces ?? []).includes(ns) || ns === '';
}

/** Objects matching every given field of the filter, in snapshot order (sorted by refKey). */
export function selectObjects(capture: Capture, f: ObjectFilter): KubeObject[] {
  return capture.snapshot.objects
    .filter((o) => f.kind === undefined || kindMatches(f.kind, o))
    .filter((o) => namespaceMatches(f, o))
    .filter((o) => f.selector === undefined || selectorMatches(f.selector, o.metadata.labels ?? {}))
    .filter((o) => f.name === undefined || o.metadata.name === f.name)
    .sort((a, b) => compareStrings(refKey(refOf(a)), refKey(refOf(b))));
}

export function objectRows(objects: readonly KubeObject[]): ObjectRow[] {
  return objects.map((o) => ({ kind: o.kind, apiVersion: o.apiVersion, namespace: o.metadata.namespace ?? '', name: o.metadata.name, file: objectPath(o) }));
}

export interface CertificateRow {
  secret: string; // namespace/name
  key: string; // tls.crt | ca.crt
  /** Position in the chain, 0 = leaf. */
  index: number;
  subject: string;
  issuer: string;
  sans: string[];
  notBefore: string;
  notAfter: string;
  sha256Fingerprint: string;
  isCA: boolean;
  /** Set when the block did not parse: the reason, other fields empty. */
  error?: string;
}

/** Every certificate of every ReducedSecret, leaf first, sorted by secret and key. */
export function certificateRows(capture: Capture): CertificateRow[] {
  const rows: CertificateRow[] = [];
  for (const o of capture.snapshot.objects) {
    if (o.kind !== 'Secret' || groupOf(o.apiVersion) !== '' || typeof o['certificateMetadata'] !== 'object' || o['certificateMetadata'] === null) continue;
    const s = o as ReducedSecret;
    const secret = `${s.metadata.namespace ?? ''}/${s.metadata.name}`;
    for (const key of Object.keys(s.certificateMetadata).sort(compareStrings)) {
      const block = s.certificateMetadata[key]!;
      if (block.status === 'invalid') {
        rows.push({ secret, key, index: 0, subject: '', issuer: '', sans: [], notBefore: '', notAfter: '', sha256Fingerprint: '', isCA: false, error: block.error });
        continue;
      }
      block.chain.forEach((c, index) =>
        rows.push({
          secret,
          key,
          index,
          subject: c.subject,
          issuer: c.issuer,
          sans: [...c.dnsNames, ...c.ipAddresses, ...(c.uris ?? []), ...(c.emailAddresses ?? [])],
          notBefore: c.notBefore,
          notAfter: c.notAfter,
          sha256Fingerprint: c.sha256Fingerprint,
          isCA: c.isCA,
        }),
      );
    }
  }
  return rows.sort((a, b) => compareStrings(a.secret, b.secret) || compareStrings(a.key, b.key) || a.index - b.index);
}

/** A fixed-width text table; the last column is not padded. Cells pass through termSafe (bundle-controlled). */
export function table(headers: string[], cells: string[][]): string {
  const rows = cells.map((r) => r.map(termSafe));
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}

export type InspectOutput = 'table' | 'yaml' | 'json';

export function renderObjects(objects: readonly KubeObject[], output: InspectOutput): string {
  switch (output) {
    case 'table':
      return table(
        ['KIND', 'NAMESPACE', 'NAME', 'FILE'],
        objectRows(objects).map((r) => [r.kind, r.namespace || '-', r.name, r.file]),
      );
    case 'json':
      return `${JSON.stringify(objects.length === 1 ? objects[0] : objects, null, 2)}\n`;
    case 'yaml':
      // Multi-document YAML, one object per document (kubectl get -o yaml style for several objects).
      return objects.map((o) => yamlStringify(o, { sortMapEntries: false, lineWidth: 0 })).join('---\n');
  }
}

export function renderCertificates(rows: readonly CertificateRow[], output: InspectOutput): string {
  switch (output) {
    case 'table':
      return table(
        ['SECRET', 'KEY', '#', 'SUBJECT', 'SANS', 'NOT AFTER', 'SHA256 FINGERPRINT'],
        rows.map((r) =>
          r.error !== undefined
            ? [r.secret, r.key, '-', `(invalid: ${r.error})`, '-', '-', '-']
            : [r.secret, r.key, String(r.index), r.subject, r.sans.join(',') || '-', r.notAfter, r.sha256Fingerprint],
        ),
      );
    case 'json':
      return `${JSON.stringify(rows, null, 2)}\n`;
    case 'yaml':
      return yamlStringify(rows, { lineWidth: 0 });
  }
}

export function renderRecord(capture: Capture, output: InspectOutput): string {
  const r = capture.record;
  switch (output) {
    case 'json':
      return `${JSON.stringify(r, null, 2)}\n`;
    case 'yaml':
      return yamlStringify(r, { lineWidth: 0 });
    case 'table': {
      const rows: string[][] = [
        ['tool', `${r.tool.name} ${r.tool.version}`],
        ['capturedAt', r.capturedAt],
        ['mode', r.mode],
        ['partial', String(r.partial)],
        ['cluster', [r.cluster.name, r.cluster.uid, r.cluster.serverVersion].filter((x) => x).join(' ') || '-'],
        ['scope', [r.scope.namespaces ? `namespaces=${r.scope.namespaces.join(',')}` : '', r.scope.excludeNamespaces ? `exclude=${r.scope.excludeNamespaces.join(',')}` : ''].filter((x) => x).join(' ') || 'all namespaces'],
        ['sources', String(r.sources.length)],
        ...Object.entries(r.counts)
          .sort(([a], [b]) => compareStrings(a, b))
          .map(([k, v]) => [`count ${k}`, String(v)]),
        ...Object.entries(r.skipped)
          .sort(([a], [b]) => compareStrings(a, b))
          .map(([k, v]) => [`skipped ${k}`, String(v)]),
        ...r.gaps.map((g) => ['gap', `${g.kind}${g.namespace ? ` ${g.namespace}` : ''}${g.name ? `/${g.name}` : ''}${g.status ? ` (${g.status})` : ''}: ${g.message}`]),
        ...r.warnings.map((w) => ['warning', `${w.code}: ${w.message}`]),
      ];
      return table(['FIELD', 'VALUE'], rows);
    }
  }
}
