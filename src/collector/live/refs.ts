/**
 * The Secrets and ConfigMaps a live capture reads by name: only those that Gateway API objects reference
 * as certificates (issue 4: "only the Secrets that listeners (and BackendTLSPolicies, frontend validation)
 * actually reference"). Every apiVersion's field layout is covered.
 */
export interface CertRef {
  kind: 'Secret' | 'ConfigMap';
  namespace: string;
  name: string;
  /** Referring objects, e.g. `Gateway infra/shared`, for messages. */
  from: string[];
}

type Obj = Record<string, unknown>;

function asObj(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}
function asArr(v: unknown): Obj[] {
  return Array.isArray(v) ? (v.map(asObj).filter((x) => x !== undefined) as Obj[]) : [];
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Returns the referenced Secrets/ConfigMaps, deduplicated and sorted (kind, namespace, name). */
export function collectReferences(objects: readonly Obj[]): CertRef[] {
  const found = new Map<string, CertRef>();
  const add = (ref: Obj | undefined, defaultKind: 'Secret' | 'ConfigMap' | undefined, ownerNs: string, from: string, allowCrossNamespace: boolean): void => {
    if (!ref) return;
    const group = str(ref['group']) ?? '';
    const kind = str(ref['kind']) ?? defaultKind;
    const name = str(ref['name']);
    // Only core-group Secrets and ConfigMaps are read; other kinds (e.g. cert-manager objects) are not ours to fetch.
    if (group !== '' || (kind !== 'Secret' && kind !== 'ConfigMap') || !name) return;
    const namespace = (allowCrossNamespace ? str(ref['namespace']) : undefined) ?? ownerNs;
    const key = `${kind}/${namespace}/${name}`;
    const cur = found.get(key);
    if (cur) {
      if (!cur.from.includes(from)) cur.from.push(from);
    } else found.set(key, { kind, namespace, name, from: [from] });
  };

  for (const o of objects) {
    const kind = String(o['kind'] ?? '');
    const meta = asObj(o['metadata']) ?? {};
    const ns = str(meta['namespace']) ?? 'default';
    const from = `${kind} ${ns}/${String(meta['name'] ?? '')}`;
    const spec = asObj(o['spec']) ?? {};
    if (kind === 'Gateway' || kind === 'ListenerSet' || kind === 'XListenerSet') {
      for (const l of asArr(spec['listeners'])) {
        const tls = asObj(l['tls']);
        if (!tls) continue;
        // GatewayTLSConfig.certificateRefs: SecretObjectReference, kind defaults to Secret, namespace to the Gateway's.
        for (const r of asArr(tls['certificateRefs'])) add(r, 'Secret', ns, from, true);
        // v1.1-v1.3 experimental: listeners[].tls.frontendValidation.caCertificateRefs (ObjectReference).
        for (const r of asArr(asObj(tls['frontendValidation'])?.['caCertificateRefs'])) add(r, 'ConfigMap', ns, from, true);
      }
    }
    if (kind === 'Gateway') {
      // v1.4: spec.tls.frontend.{default,perPort[].tls}.validation.caCertificateRefs, spec.tls.backend.clientCertificateRef.
      const tls = asObj(spec['tls']);
      const frontend = asObj(tls?.['frontend']);
      for (const r of asArr(asObj(asObj(frontend?.['default'])?.['validation'])?.['caCertificateRefs'])) add(r, 'ConfigMap', ns, from, true);
      for (const p of asArr(frontend?.['perPort'])) {
        for (const r of asArr(asObj(asObj(p['tls'])?.['validation'])?.['caCertificateRefs'])) add(r, 'ConfigMap', ns, from, true);
      }
      add(asObj(asObj(tls?.['backend'])?.['clientCertificateRef']), 'Secret', ns, from, true);
      // v1.3: spec.backendTLS.clientCertificateRef.
      add(asObj(asObj(spec['backendTLS'])?.['clientCertificateRef']), 'Secret', ns, from, true);
    }
    if (kind === 'BackendTLSPolicy') {
      // v1alpha3/v1: spec.validation.caCertificateRefs (LocalObjectReference: the policy's namespace).
      for (const r of asArr(asObj(spec['validation'])?.['caCertificateRefs'])) add(r, 'ConfigMap', ns, from, false);
      // v1alpha2: spec.tls.caCertRefs.
      for (const r of asArr(asObj(spec['tls'])?.['caCertRefs'])) add(r, 'ConfigMap', ns, from, false);
    }
  }
  return [...found.values()].sort((a, b) => {
    const ka = `${a.kind}\u0000${a.namespace}\u0000${a.name}`;
    const kb = `${b.kind}\u0000${b.namespace}\u0000${b.name}`;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}
