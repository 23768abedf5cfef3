/** ReferenceGrant edges (from group/kind/namespace -> to group/kind/name in the grant's namespace). */
import { compareStrings, GATEWAY_GROUP, GATEWAY_X_GROUP, groupOf, type KubeObject } from '../model/object.ts';
import type { GrantEdge, GrantsDiff } from './types.ts';

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** GEP-709: a ReferenceGrant in namespace T with from {group, kind, namespace F} and to {group, kind, name?} lets F refer into T. */
export function grantEdges(objects: readonly KubeObject[]): GrantEdge[] {
  const out: GrantEdge[] = [];
  for (const o of objects) {
    const g = groupOf(o.apiVersion);
    if (o.kind !== 'ReferenceGrant' || (g !== GATEWAY_GROUP && g !== GATEWAY_X_GROUP)) continue;
    const ns = o.metadata.namespace ?? 'default';
    const froms: unknown[] = Array.isArray(o.spec?.from) ? o.spec.from : [];
    const tos: unknown[] = Array.isArray(o.spec?.to) ? o.spec.to : [];
    for (const f of froms) {
      const fr = (f ?? {}) as Record<string, unknown>;
      const fromNs = str(fr['namespace']);
      const fromKind = str(fr['kind']);
      if (fromNs === undefined || fromKind === undefined) continue;
      for (const t of tos) {
        const to = (t ?? {}) as Record<string, unknown>;
        const toKind = str(to['kind']);
        if (toKind === undefined) continue;
        const edge: GrantEdge = {
          grant: `${ns}/${o.metadata.name}`,
          from: { group: str(fr['group']) ?? '', kind: fromKind, namespace: fromNs },
          to: { group: str(to['group']) ?? '', kind: toKind, namespace: ns },
        };
        const name = str(to['name']);
        if (name !== undefined && name !== '') edge.to.name = name;
        out.push(edge);
      }
    }
  }
  return out.sort((a, b) => compareStrings(edgeKey(a), edgeKey(b)));
}

/** Identity of an edge without the grant that carries it: moving a permission to another grant is not a new permission. */
function edgeKey(e: GrantEdge): string {
  return [e.from.group, e.from.kind, e.from.namespace, e.to.group, e.to.kind, e.to.namespace, e.to.name ?? '*', e.grant].join('\u0000');
}

function permissionKey(e: GrantEdge): string {
  return [e.from.group, e.from.kind, e.from.namespace, e.to.group, e.to.kind, e.to.namespace, e.to.name ?? '*'].join('\u0000');
}

export function diffGrants(oldObjs: readonly KubeObject[], newObjs: readonly KubeObject[]): GrantsDiff {
  const o = grantEdges(oldObjs);
  const n = grantEdges(newObjs);
  const oKeys = new Set(o.map(permissionKey));
  const nKeys = new Set(n.map(permissionKey));
  const dedupe = (edges: GrantEdge[]): GrantEdge[] => {
    const seen = new Set<string>();
    return edges.filter((e) => !seen.has(permissionKey(e)) && (seen.add(permissionKey(e)), true));
  };
  return {
    added: dedupe(n.filter((e) => !oKeys.has(permissionKey(e)))),
    removed: dedupe(o.filter((e) => !nKeys.has(permissionKey(e)))),
  };
}

/** `HTTPRoute in tools -> Service svc in models (grant models/allow-tools)`. */
export function grantLabel(e: GrantEdge): string {
  return `${e.from.kind} in ${e.from.namespace} -> ${e.to.kind} ${e.to.name ?? '*'} in ${e.to.namespace} (grant ${e.grant})`;
}
