/** Matching rules of ../shared/conformance/INDEX.md (they copy conformance/utils/kubernetes/helpers.go). */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { Condition, Resolution } from '../../src/resolve/index.ts';
import type { KubeObject } from '../../src/model/object.ts';

const GW_GROUP = 'gateway.networking.k8s.io';

export interface ExpCond {
  type: string;
  status: string;
  reason?: string;
}
export interface ExpRoute {
  kind: string;
  namespace: string;
  name: string;
  parent: { namespace: string; name: string; sectionName?: string; port?: number };
  conditions: ExpCond[];
  controllerName?: string;
  noAcceptedParents?: boolean;
}
export interface ExpListener {
  name: string;
  attachedRoutes?: number;
  supportedKinds?: { group?: string; kind: string }[];
  conditions: ExpCond[];
}
export interface ExpGateway {
  namespace: string;
  name: string;
  conditions: ExpCond[];
  listenersExact?: boolean;
  zeroRoutes?: boolean;
  allListenersConditions?: ExpCond[];
  listeners?: ExpListener[];
}
export interface Expected {
  shortName: string;
  features: string[];
  skipIfSupportedFeatures?: string[];
  onlyIfSupportedFeatures?: string[];
  provisional?: boolean;
  routes: ExpRoute[];
  gateways: ExpGateway[];
}



function condMissing(actual: readonly Condition[], exp: readonly ExpCond[]): string[] {
  const out: string[] = [];
  for (const e of exp) {
    const ok = actual.some((a) => a.type === e.type && a.status === e.status && (e.reason === undefined || e.reason === '' || a.reason === e.reason));
    if (!ok) {
      const got = actual.find((a) => a.type === e.type);
      out.push(`${e.type}=${e.status}${e.reason ? `/${e.reason}` : ''} (got ${got ? `${got.status}/${got.reason}` : 'none'})`);
    }
  }
  return out;
}

/** Applies the INDEX.md matching rules; returns the list of mismatches (empty = pass). */
export function score(exp: Expected, res: Resolution, controllerName: string): string[] {
  const errs: string[] = [];
  for (const r of exp.routes) {
    const route = res.routes.find((x) => x.kind === r.kind && x.namespace === r.namespace && x.name === r.name);
    const parents = route?.parents ?? [];
    const where = `${r.kind} ${r.namespace}/${r.name} -> ${r.parent.namespace}/${r.parent.name}`;
    if (r.noAcceptedParents) {
      const ok = parents.length === 0 || (parents.length === 1 && parents[0]!.conditions.some((c) => c.type === 'Accepted' && c.status === 'False'));
      if (!ok) errs.push(`${where}: expected no accepted parents, got ${JSON.stringify(parents.map((p) => p.conditions))}`);
      if (r.conditions.length === 0) continue;
    }
    // parentRef.name equals, parentRef.namespace unset or equal (helpers.go never compares sectionName).
    const matching = parents.filter((p) => p.parentRef.name === r.parent.name && (p.parentRef.namespace === undefined || p.parentRef.namespace === r.parent.namespace));
    if (matching.length === 0) {
      errs.push(`${where}: no status.parents entry for the parent`);
      continue;
    }
    const fits = matching.filter((p) => condMissing(p.conditions, r.conditions).length === 0);
    if (fits.length === 0) errs.push(`${where}: missing ${condMissing(matching[0]!.conditions, r.conditions).join(', ')}`);
    if (r.controllerName !== undefined) {
      const ok = matching.some(
        (p) =>
          p.controllerName === controllerName &&
          p.parentRef.group === GW_GROUP &&
          p.parentRef.kind === 'Gateway' &&
          (r.namespace === r.parent.namespace || p.parentRef.namespace === r.parent.namespace),
      );
      if (!ok) errs.push(`${where}: controllerName/group/kind/namespace of the parent entry do not match`);
    }
  }
  for (const g of exp.gateways) {
    const gw = res.gateways.find((x) => x.namespace === g.namespace && x.name === g.name);
    const where = `Gateway ${g.namespace}/${g.name}`;
    if (!gw) {
      errs.push(`${where}: not in output`);
      continue;
    }
    const m = condMissing(gw.conditions, g.conditions);
    if (m.length) errs.push(`${where}: missing ${m.join(', ')}`);
    if (g.listenersExact && g.listeners && gw.listeners.length !== g.listeners.length) {
      errs.push(`${where}: expected exactly ${g.listeners.length} listeners, got ${gw.listeners.length}`);
    }
    for (const el of g.listeners ?? []) {
      const l = gw.listeners.find((x) => x.name === el.name);
      if (!l) {
        errs.push(`${where} listener ${el.name}: not in status`);
        continue;
      }
      const lm = condMissing(l.conditions, el.conditions);
      if (lm.length) errs.push(`${where} listener ${el.name}: missing ${lm.join(', ')}`);
      if (g.listenersExact) {
        if (el.attachedRoutes !== undefined && l.attachedRoutes !== el.attachedRoutes) errs.push(`${where} listener ${el.name}: attachedRoutes ${l.attachedRoutes}, expected ${el.attachedRoutes}`);
        if (el.supportedKinds !== undefined) {
          if (el.supportedKinds.length === 0 && l.supportedKinds.length !== 0) errs.push(`${where} listener ${el.name}: supportedKinds must be empty, got ${JSON.stringify(l.supportedKinds)}`);
          for (const k of el.supportedKinds) {
            if (!l.supportedKinds.some((a) => a.kind === k.kind && a.group === (k.group ?? GW_GROUP))) errs.push(`${where} listener ${el.name}: supportedKinds lacks ${k.kind}`);
          }
        }
      }
    }
    if (g.allListenersConditions) {
      for (const l of gw.listeners) {
        const lm = condMissing(l.conditions, g.allListenersConditions);
        if (lm.length) errs.push(`${where} listener ${l.name}: missing ${lm.join(', ')}`);
      }
    }
    if (g.zeroRoutes) {
      const ok = gw.listeners.length === 0 || (gw.listeners.length === 1 && gw.listeners[0]!.attachedRoutes === 0);
      if (!ok) errs.push(`${where}: expected zero routes, got ${JSON.stringify(gw.listeners.map((l) => [l.name, l.attachedRoutes]))}`);
    }
  }
  return errs;
}

export function loadManifests(file: string): KubeObject[] {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'));
  const list = Array.isArray(docs) ? docs : [docs];
  return list.map((d) => d.toJS() as KubeObject).filter((o) => o && typeof o === 'object');
}


/** ../shared/conformance-inference/INDEX.md: expected.json `inferencePools[]`. */
export interface ExpPool {
  kind: 'InferencePool';
  namespace: string;
  name: string;
  noParents?: boolean;
  parents?: { parentRef: { namespace: string; name: string }; conditions?: ExpCond[]; oneOfConditions?: ExpCond[] }[];
}

/**
 * InferencePool matching rules of conformance-inference/INDEX.md (helpers.go:86, :122, :193): parent entries
 * match on a SET parentRef.namespace equal to the expected one and the name; `conditions` each on one entry;
 * `oneOfConditions` at least one on one entry; a pool without parents fails; `noParents` = empty or absent.
 */
export function scorePools(pools: readonly ExpPool[], res: Resolution): string[] {
  const errs: string[] = [];
  for (const p of pools) {
    const where = `InferencePool ${p.namespace}/${p.name}`;
    const got = (res.inferencePools ?? []).find((x) => x.kind === 'InferencePool' && x.namespace === p.namespace && x.name === p.name);
    if (p.noParents) {
      if (got && got.parents.length > 0) errs.push(`${where}: expected no parents, got ${got.parents.map((x) => `${x.parentRef.namespace}/${x.parentRef.name}`).join(', ')}`);
      continue;
    }
    if (!got || got.parents.length === 0) {
      errs.push(`${where}: no status.parents`);
      continue;
    }
    for (const ep of p.parents ?? []) {
      const pw = `${where} -> ${ep.parentRef.namespace}/${ep.parentRef.name}`;
      const matching = got.parents.filter((x) => x.parentRef.namespace !== undefined && x.parentRef.namespace !== '' && x.parentRef.namespace === ep.parentRef.namespace && x.parentRef.name === ep.parentRef.name);
      if (matching.length === 0) {
        errs.push(`${pw}: no status.parents entry for the parent`);
        continue;
      }
      if (ep.conditions && !matching.some((m) => condMissing(m.conditions, ep.conditions!).length === 0)) {
        errs.push(`${pw}: missing ${condMissing(matching[0]!.conditions, ep.conditions).join(', ')}`);
      }
      if (ep.oneOfConditions && !matching.some((m) => ep.oneOfConditions!.some((c) => condMissing(m.conditions, [c]).length === 0))) {
        errs.push(`${pw}: none of ${ep.oneOfConditions.map((c) => `${c.type}=${c.status}${c.reason ? `/${c.reason}` : ''}`).join(' | ')} (got ${JSON.stringify(matching[0]!.conditions.map((c) => `${c.type}=${c.status}/${c.reason}`))})`);
      }
    }
  }
  return errs;
}
