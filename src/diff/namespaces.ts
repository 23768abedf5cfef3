/**
 * Which namespaces each Gateway listener allows routes from, recomputed from the Namespace labels of
 * each capture (a label change on a Namespace can open a listener without any Gateway edit).
 */
import { compareStrings, GATEWAY_GROUP, GATEWAY_X_GROUP, groupOf, type KubeObject } from '../model/object.ts';
import type { ListenerNamespacesChange } from './types.ts';
import { listMemo } from './memo.ts';
// One implementation of metav1.LabelSelector semantics, shared with the resolver (allowedRoutes Selector).
import { labelSelectorProblem, selectorMatches, type LabelSelector } from '../resolve/labels.ts';


/**
 * Namespaces known in a capture with their labels: every Namespace object, plus every namespace an object
 * lives in. The API server sets `kubernetes.io/metadata.name` on every Namespace (Kubernetes >= 1.22), so
 * selectors on it work even when the captured labels lack it.
 */
export function namespaceLabels(objects: readonly KubeObject[]): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const o of objects) {
    if (o.kind === 'Namespace' && groupOf(o.apiVersion) === '') {
      out.set(o.metadata.name, { ...(o.metadata.labels ?? {}), 'kubernetes.io/metadata.name': o.metadata.name });
    }
  }
  for (const o of objects) {
    const ns = o.metadata.namespace;
    if (ns !== undefined && !out.has(ns)) out.set(ns, { 'kubernetes.io/metadata.name': ns });
  }
  return out;
}

export interface ListenerAllowed {
  owner: string; // `namespace/name` for a Gateway, `ListenerSet namespace/name` for a ListenerSet
  listener: string;
  from: string;
  namespaces: string[];
}

const LISTENER_OWNERS: ReadonlyArray<{ group: string; kind: string }> = [
  { group: GATEWAY_GROUP, kind: 'Gateway' },
  { group: GATEWAY_GROUP, kind: 'ListenerSet' },
  { group: GATEWAY_X_GROUP, kind: 'XListenerSet' },
];

const OWNER_KINDS = new Set(LISTENER_OWNERS.map((k) => k.kind));

/**
 * The namespaces (of `nsLabels`, in its order) whose labels `sel` selects: selectorMatches on each, asked once per
 * distinct set of values of the label keys the selector reads. A selector's answer depends on those keys alone
 * (matchLabels keys, matchExpressions keys; k8s.io/apimachinery labels.Selector.Matches reads no other label), and
 * selectorMatches validates the selector on every call (issue 13: 800 Selector listeners x 502 namespaces per side
 * in the 10k-route bench bundle). A selector it rejects selects nothing, as selectorMatches says.
 */
function selectedNamespaces(sel: LabelSelector | undefined, nsLabels: ReadonlyMap<string, Record<string, string>>): string[] {
  if (sel === undefined || sel === null || labelSelectorProblem(sel) !== undefined) return [];
  const keys = [...Object.keys(sel.matchLabels ?? {}), ...(sel.matchExpressions ?? []).map((e) => e.key)];
  // The answers, by the value (or ABSENT) of each key in turn: Map lookups only, no key string per namespace.
  const answers: Trie = new Map();
  const out: string[] = [];
  for (const [ns, labels] of nsLabels) {
    let node = answers;
    let yes: boolean | undefined;
    for (let i = 0; i < keys.length && yes === undefined; i++) {
      const v = Object.prototype.hasOwnProperty.call(labels, keys[i]!) ? labels[keys[i]!]! : ABSENT;
      const next = node.get(v);
      if (i < keys.length - 1) {
        if (next === undefined) node.set(v, (node = new Map()));
        else node = next as Trie;
      } else {
        yes = next as boolean | undefined;
        if (yes === undefined) node.set(v, (yes = selectorMatches(sel, projection(keys, labels))));
      }
    }
    if (keys.length === 0) yes = selectorMatches(sel, Object.create(null) as Record<string, string>);
    if (yes) out.push(ns);
  }
  return out;
}

const ABSENT = Symbol('absent');
type Trie = Map<string | symbol, Trie | boolean>;

/** `labels` restricted to `keys` (the same answer from selectorMatches: it reads no other label). */
function projection(keys: readonly string[], labels: Record<string, string>): Record<string, string> {
  const p = Object.create(null) as Record<string, string>;
  for (const k of keys) if (Object.prototype.hasOwnProperty.call(labels, k)) p[k] = labels[k]!;
  return p;
}

/** Gateway API AllowedRoutes.namespaces.from: Same (default) | All | Selector. */
export function allowedNamespaces(objects: readonly KubeObject[]): ListenerAllowed[] {
  const nsLabels = namespaceLabels(objects);
  const out: ListenerAllowed[] = [];
  for (const o of objects) {
    if (!OWNER_KINDS.has(o.kind) || !LISTENER_OWNERS.some((k) => k.kind === o.kind && k.group === groupOf(o.apiVersion))) continue;
    const ownNs = o.metadata.namespace ?? 'default';
    const owner = o.kind === 'Gateway' ? `${ownNs}/${o.metadata.name}` : `${o.kind} ${ownNs}/${o.metadata.name}`;
    const listeners: unknown[] = Array.isArray(o.spec?.listeners) ? o.spec.listeners : [];
    for (const l of listeners) {
      if (l === null || typeof l !== 'object') continue;
      const lis = l as { name?: unknown; allowedRoutes?: { namespaces?: { from?: string; selector?: LabelSelector } } };
      if (typeof lis.name !== 'string') continue;
      const from = lis.allowedRoutes?.namespaces?.from ?? 'Same';
      let namespaces: string[];
      if (from === 'All') namespaces = [...nsLabels.keys()];
      else if (from === 'Selector') {
        namespaces = selectedNamespaces(lis.allowedRoutes?.namespaces?.selector, nsLabels);
      } else if (from === 'Same') namespaces = [ownNs];
      else namespaces = []; // unknown value: the listener is invalid and allows nothing
      out.push({ owner, listener: lis.name, from, namespaces: namespaces.sort(compareStrings) });
    }
  }
  return out.sort((a, b) => compareStrings(a.owner, b.owner) || compareStrings(a.listener, b.listener));
}

/**
 * allowedNamespaces by listener key, once per objects list read from a bundle (memo.ts): a chain compares each
 * capture with the one before and the one after it (issue 13).
 */
const allowedOf = listMemo((objects) => new Map(allowedNamespaces(objects).map((l) => [`${l.owner}\u0000${l.listener}`, l])));

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Listeners whose set of allowed namespaces grew or shrank between the two captures. */
export function diffAllowedNamespaces(oldObjs: readonly KubeObject[], newObjs: readonly KubeObject[]): ListenerNamespacesChange[] {
  const o = allowedOf(oldObjs);
  const n = allowedOf(newObjs);
  const out: ListenerNamespacesChange[] = [];
  for (const k of new Set([...o.keys(), ...n.keys()])) {
    const ol = o.get(k);
    const nl = n.get(k);
    // The same sorted list of distinct namespaces (allowedNamespaces) under the same `from`: nothing changed.
    if (ol && nl && ol.from === nl.from && sameStrings(ol.namespaces, nl.namespaces)) continue;
    const before = new Set(ol?.namespaces ?? []);
    const after = new Set(nl?.namespaces ?? []);
    const newlyAllowed = [...after].filter((x) => !before.has(x)).sort(compareStrings);
    const noLongerAllowed = [...before].filter((x) => !after.has(x)).sort(compareStrings);
    if (newlyAllowed.length === 0 && noLongerAllowed.length === 0 && ol?.from === nl?.from) continue;
    const any = (nl ?? ol)!;
    const c: ListenerNamespacesChange = { gateway: any.owner, listener: any.listener, newlyAllowed, noLongerAllowed };
    if (ol) c.oldFrom = ol.from;
    if (nl) c.newFrom = nl.from;
    out.push(c);
  }
  return out.sort((a, b) => compareStrings(a.gateway, b.gateway) || compareStrings(a.listener, b.listener));
}
