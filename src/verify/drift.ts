/**
 * Status drift: the status a conformant controller must write (recomputed by `resolve()`) against the status
 * recorded in the captured objects. Pure: no clock, no I/O.
 *
 * For every GatewayClass, Gateway, Gateway listener, route parent entry and InferencePool parent entry the engine
 * writes status for, and for
 * every condition type it writes (plus listener attachedRoutes/supportedKinds), one DriftEntry says:
 *  - agree            recorded == recomputed (status and reason)
 *  - disagree         they differ (or the recorded status holds a parent entry / negative-polarity condition
 *                     the recomputation does not produce)
 *  - recorded-missing the captured object has no such status entry / condition
 *  - stale            the recorded condition's observedGeneration is behind metadata.generation, so it
 *                     describes an older spec (GEP-1364: observedGeneration must equal metadata.generation)
 */
import type { Finding } from '../model/finding.ts';
import { GATEWAY_GROUP, compareStrings, groupOf, type KubeObject } from '../model/object.ts';
import { isInferenceGroup } from '../model/inference.ts';
import type { Condition, GroupKind, ParentRefEcho, Resolution } from '../resolve/types.ts';
import { isMeshParent } from './capture-facts.ts';

/**
 * States a comparison can end in. compareStatus() gives the first four against one resolution; classifyDrift()
 * (drift-classify.ts) refines disagreements with the controller profile and what is knowable offline:
 *  - departure       recorded = what the capturing controller's profile predicts, which differs from the spec
 *  - not-derivable   the recorded value depends on the data plane or address allocation (a recorded fact)
 *  - unknown-offline the prediction depends on a kind the capture did not hold at all (CAPTURE_INCOMPLETE)
 *  - not-defined     the captured CRD bundle-version does not define the condition; absence is expected
 */
export type DriftState = 'agree' | 'disagree' | 'recorded-missing' | 'stale' | 'departure' | 'not-derivable' | 'unknown-offline' | 'not-defined';

export const DRIFT_STATES: readonly DriftState[] = Object.freeze(['agree', 'disagree', 'recorded-missing', 'stale', 'departure', 'not-derivable', 'unknown-offline', 'not-defined']);

/** A recorded or recomputed value: a condition, a count, or a kind list. */
export type DriftValue =
  | { type: string; status: string; reason?: string; observedGeneration?: number }
  | { attachedRoutes: number }
  | { supportedKinds: string[] }
  | { absent: true };

export interface DriftEntry {
  /** Human subject, e.g. `HTTPRoute tools/agent-tools parent infra/shared-gw`, `Gateway infra/gw listener https`. */
  subject: string;
  object: { kind: string; namespace?: string; name: string; generation?: number };
  listener?: string;
  parentRef?: ParentRefEcho;
  /** Condition type, `attachedRoutes`, `supportedKinds`, or `parent` (a whole parent entry). */
  field: string;
  state: DriftState;
  recorded?: DriftValue;
  recomputed?: DriftValue;
  /** For `stale`: whether the stale recorded value happens to agree anyway. */
  valuesAgree?: boolean;
  /** For `departure`: the profile whose prediction the recorded value matches, and the switches that produce it. */
  departure?: { profile: string; switches: string[]; predicted?: DriftValue };
  /** For `not-derivable`, `unknown-offline`, `not-defined`: why the value is not compared. */
  note?: string;
}

/** Conditions that are only ever set when True (absence = False); a recorded True that we do not recompute is drift. */
const NEGATIVE_POLARITY = new Set(['Conflicted', 'OverlappingTLSConfig', 'PartiallyInvalid']);

interface RecordedCondition {
  type: string;
  status: string;
  reason?: string;
  observedGeneration?: number;
}

function recordedConditions(v: unknown): RecordedCondition[] {
  if (!Array.isArray(v)) return [];
  return v.filter((c): c is RecordedCondition => typeof c === 'object' && c !== null && typeof (c as RecordedCondition).type === 'string');
}

function key(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ?? ''}/${name}`;
}

function parentLabel(ref: ParentRefEcho): string {
  const kindPart = ref.kind === 'Gateway' ? '' : `${ref.kind} `;
  return `${kindPart}${ref.namespace}/${ref.name}${ref.sectionName ? '#' + ref.sectionName : ''}${ref.port !== undefined ? ':' + ref.port : ''}`;
}

/** Defaults an API server applies to a recorded parentRef (group, kind, namespace = route namespace). */
function normalizeParentRef(raw: Record<string, unknown>, routeNamespace: string): ParentRefEcho {
  const ref: ParentRefEcho = {
    group: typeof raw['group'] === 'string' ? (raw['group'] as string) : GATEWAY_GROUP,
    kind: typeof raw['kind'] === 'string' ? (raw['kind'] as string) : 'Gateway',
    namespace: typeof raw['namespace'] === 'string' && raw['namespace'] !== '' ? (raw['namespace'] as string) : routeNamespace,
    name: String(raw['name'] ?? ''),
  };
  if (typeof raw['sectionName'] === 'string' && raw['sectionName'] !== '') ref.sectionName = raw['sectionName'] as string;
  if (typeof raw['port'] === 'number') ref.port = raw['port'] as number;
  return ref;
}

function parentKey(ref: ParentRefEcho, controllerName: string): string {
  return [ref.group, ref.kind, ref.namespace, ref.name, ref.sectionName ?? '', ref.port ?? '', controllerName].join('|');
}

function kindsList(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  return v
    .filter((k): k is { group?: string; kind: string } => typeof k === 'object' && k !== null && typeof (k as GroupKind).kind === 'string')
    .map((k) => `${k.group ?? GATEWAY_GROUP}/${k.kind}`)
    .sort(compareStrings);
}

/** What every entry of one compared object (or listener, or route parent) shares. */
type EntryBase = Pick<DriftEntry, 'subject' | 'object' | 'listener' | 'parentRef'>;

/**
 * `{...base, field, state, recorded, recomputed, valuesAgree}`: the same keys in the same order, the undefined ones
 * left out, built property by property. Measured at 10k routes (issue 13): entries made with the spread took twice
 * as long to build, and the classification and the findings that read them were as much slower again.
 */
export function driftEntry(base: EntryBase, field: string, state: DriftState, recorded?: DriftValue, recomputed?: DriftValue, valuesAgree?: boolean): DriftEntry {
  const e = { subject: base.subject, object: base.object } as DriftEntry;
  if (base.listener !== undefined) e.listener = base.listener;
  if (base.parentRef !== undefined) e.parentRef = base.parentRef;
  e.field = field;
  e.state = state;
  if (recorded !== undefined) e.recorded = recorded;
  if (recomputed !== undefined) e.recomputed = recomputed;
  if (valuesAgree !== undefined) e.valuesAgree = valuesAgree;
  return e;
}

class Comparer {
  readonly entries: DriftEntry[] = [];

  add(base: EntryBase, field: string, state: DriftState, recorded: DriftValue | undefined, recomputed: DriftValue | undefined, valuesAgree?: boolean): void {
    this.entries.push(driftEntry(base, field, state, recorded, recomputed, valuesAgree));
  }

  conditions(
    base: EntryBase,
    generation: number | undefined,
    recomputed: readonly Condition[],
    recorded: readonly RecordedCondition[],
  ): void {
    const gen = generation;
    for (const rc of recomputed) {
      const rec = recorded.find((c) => c.type === rc.type);
      const recomputedValue: DriftValue = { type: rc.type, status: rc.status, reason: rc.reason };
      if (!rec) {
        // Absence means the same thing for a False negative-polarity condition ("missing means no conflict")
        // and for the experimental Gateway-level ResolvedRefs summary when everything resolves, and for the
        // experimental GatewayClass SupportedVersion=True (gatewayclass_types.go: only experimental-channel
        // controllers write it; a standard controller that omits it says nothing wrong).
        const absenceAgrees =
          (NEGATIVE_POLARITY.has(rc.type) && rc.status === 'False') ||
          (rc.type === 'ResolvedRefs' && rc.status === 'True' && base.object.kind === 'Gateway' && base.listener === undefined) ||
          (rc.type === 'SupportedVersion' && rc.status === 'True' && base.object.kind === 'GatewayClass');
        this.add(base, rc.type, absenceAgrees ? 'agree' : 'recorded-missing', { absent: true }, recomputedValue);
        continue;
      }
      const recordedValue: DriftValue = { type: rec.type, status: String(rec.status) };
      if (rec.reason !== undefined) recordedValue.reason = rec.reason;
      if (typeof rec.observedGeneration === 'number') recordedValue.observedGeneration = rec.observedGeneration;
      const agree = rec.status === rc.status && rec.reason === rc.reason;
      if (gen !== undefined && typeof rec.observedGeneration === 'number' && rec.observedGeneration < gen) {
        this.add(base, rc.type, 'stale', recordedValue, recomputedValue, agree);
        continue;
      }
      this.add(base, rc.type, agree ? 'agree' : 'disagree', recordedValue, recomputedValue);
    }
    // A recorded negative-polarity condition set to True that the recomputation does not produce.
    for (const rec of recorded) {
      if (!NEGATIVE_POLARITY.has(rec.type) || rec.status !== 'True') continue;
      if (recomputed.some((c) => c.type === rec.type)) continue;
      const recordedValue: DriftValue = { type: rec.type, status: 'True' };
      if (rec.reason !== undefined) recordedValue.reason = rec.reason;
      this.add(base, rec.type, 'disagree', recordedValue, { absent: true });
    }
  }
}

/**
 * Compares the recomputed resolution with the status recorded in `objects` (the captured objects the resolution
 * was computed from). Entries come out in resolution order (classes, gateways, routes).
 */
export function compareStatus(objects: readonly KubeObject[], resolution: Resolution): DriftEntry[] {
  const byKey = new Map<string, KubeObject>();
  for (const o of objects) {
    const g = groupOf(o.apiVersion);
    if (g !== GATEWAY_GROUP && g !== 'gateway.networking.x-k8s.io') continue;
    byKey.set(key(o.kind, o.metadata.namespace, o.metadata.name), o);
  }
  const cmp = new Comparer();

  for (const gc of resolution.gatewayClasses) {
    const obj = byKey.get(key('GatewayClass', undefined, gc.name));
    const base = { subject: `GatewayClass ${gc.name}`, object: objRef('GatewayClass', undefined, gc.name, obj) };
    cmp.conditions(base, obj?.metadata.generation, gc.conditions, recordedConditions(obj?.status?.conditions));
  }

  for (const gw of resolution.gateways) {
    const obj = byKey.get(key('Gateway', gw.namespace, gw.name));
    const gen = obj?.metadata.generation;
    const label = `Gateway ${gw.namespace}/${gw.name}`;
    const object = objRef('Gateway', gw.namespace, gw.name, obj);
    cmp.conditions({ subject: label, object }, gen, gw.conditions, recordedConditions(obj?.status?.conditions));
    const recordedListeners: Array<Record<string, unknown>> = Array.isArray(obj?.status?.listeners) ? obj.status.listeners : [];
    for (const l of gw.listeners) {
      const base = { subject: `${label} listener ${l.name}`, object, listener: l.name };
      const rec = recordedListeners.find((x) => x && x['name'] === l.name);
      if (!rec) {
        cmp.add(base, 'attachedRoutes', 'recorded-missing', undefined, { attachedRoutes: l.attachedRoutes });
        cmp.add(base, 'supportedKinds', 'recorded-missing', undefined, { supportedKinds: kindsList(l.supportedKinds) });
        cmp.conditions(base, gen, l.conditions, []);
        continue;
      }
      // attachedRoutes / supportedKinds carry no observedGeneration; the listener's conditions tell staleness.
      const recAttached = typeof rec['attachedRoutes'] === 'number' ? (rec['attachedRoutes'] as number) : undefined;
      if (recAttached === undefined) {
        cmp.add(base, 'attachedRoutes', 'recorded-missing', undefined, { attachedRoutes: l.attachedRoutes });
      } else {
        cmp.add(base, 'attachedRoutes', recAttached === l.attachedRoutes ? 'agree' : 'disagree', { attachedRoutes: recAttached }, { attachedRoutes: l.attachedRoutes });
      }
      const recKinds = kindsList(rec['supportedKinds']);
      const newKinds = kindsList(l.supportedKinds);
      if (!Array.isArray(rec['supportedKinds'])) {
        cmp.add(base, 'supportedKinds', 'recorded-missing', undefined, { supportedKinds: newKinds });
      } else {
        cmp.add(base, 'supportedKinds', recKinds.join(',') === newKinds.join(',') ? 'agree' : 'disagree', { supportedKinds: recKinds }, { supportedKinds: newKinds });
      }
      cmp.conditions(base, gen, l.conditions, recordedConditions(rec['conditions']));
    }

    // ListenerSets attached to this Gateway: their own conditions and listener entries.
    for (const ls of gw.listenerSets ?? []) {
      const lsObj = byKey.get(key(ls.kind, ls.namespace, ls.name));
      const lsGen = lsObj?.metadata.generation;
      const lsLabel = `${ls.kind} ${ls.namespace}/${ls.name}`;
      const lsObject = objRef(ls.kind, ls.namespace, ls.name, lsObj);
      cmp.conditions({ subject: lsLabel, object: lsObject }, lsGen, ls.conditions, recordedConditions(lsObj?.status?.conditions));
      const recLs: Array<Record<string, unknown>> = Array.isArray(lsObj?.status?.listeners) ? lsObj.status.listeners : [];
      for (const l of ls.listeners) {
        const base = { subject: `${lsLabel} listener ${l.name}`, object: lsObject, listener: l.name };
        const rec = recLs.find((x) => x && x['name'] === l.name);
        const recAttached = typeof rec?.['attachedRoutes'] === 'number' ? (rec['attachedRoutes'] as number) : undefined;
        if (recAttached === undefined) cmp.add(base, 'attachedRoutes', 'recorded-missing', undefined, { attachedRoutes: l.attachedRoutes });
        else cmp.add(base, 'attachedRoutes', recAttached === l.attachedRoutes ? 'agree' : 'disagree', { attachedRoutes: recAttached }, { attachedRoutes: l.attachedRoutes });
        cmp.conditions(base, lsGen, l.conditions, recordedConditions(rec?.['conditions']));
      }
    }

    // BackendTLSPolicy status.ancestors[] entries for this Gateway (PolicyAncestorStatus, policy_types.go).
    for (const pol of gw.backendTLSPolicies ?? []) {
      const pObj = byKey.get(key('BackendTLSPolicy', pol.namespace, pol.name));
      const ancestors: Array<Record<string, unknown>> = Array.isArray(pObj?.status?.ancestors) ? pObj.status.ancestors : [];
      const rec = ancestors.find((a) => {
        const ref = (a?.['ancestorRef'] ?? {}) as Record<string, unknown>;
        return ref['name'] === gw.name && (ref['namespace'] ?? pol.namespace) === gw.namespace && (ref['kind'] ?? 'Gateway') === 'Gateway' && a['controllerName'] === pol.controllerName;
      });
      const base = { subject: `BackendTLSPolicy ${pol.namespace}/${pol.name} ancestor ${gw.namespace}/${gw.name}`, object: objRef('BackendTLSPolicy', pol.namespace, pol.name, pObj) };
      cmp.conditions(base, pObj?.metadata.generation, pol.conditions, recordedConditions(rec?.['conditions']));
    }
  }

  const controllers = new Set(resolution.gatewayClasses.map((c) => c.controllerName));
  for (const route of resolution.routes) {
    const obj = byKey.get(key(route.kind, route.namespace, route.name));
    const gen = obj?.metadata.generation;
    const label = `${route.kind} ${route.namespace}/${route.name}`;
    const object = objRef(route.kind, route.namespace, route.name, obj);
    const recordedParents: Array<Record<string, unknown>> = Array.isArray(obj?.status?.parents) ? obj.status.parents : [];
    const recordedByKey = new Map<string, Record<string, unknown>>();
    for (const p of recordedParents) {
      if (!p || typeof p['parentRef'] !== 'object' || p['parentRef'] === null) continue;
      recordedByKey.set(parentKey(normalizeParentRef(p['parentRef'] as Record<string, unknown>, route.namespace), String(p['controllerName'] ?? '')), p);
    }
    const seen = new Set<string>();
    for (const parent of route.parents) {
      const k = parentKey(parent.parentRef, parent.controllerName);
      seen.add(k);
      const rec = recordedByKey.get(k);
      const base = { subject: `${label} parent ${parentLabel(parent.parentRef)}`, object, parentRef: parent.parentRef };
      cmp.conditions(base, gen, parent.conditions, recordedConditions(rec?.['conditions']));
    }
    // Recorded entries written by a controller present in the snapshot that a conformant controller would not write.
    for (const [k, rec] of recordedByKey) {
      if (seen.has(k) || !controllers.has(String(rec['controllerName'] ?? ''))) continue;
      const ref = normalizeParentRef(rec['parentRef'] as Record<string, unknown>, route.namespace);
      // A mesh (GAMMA) parent such as a Service is outside gateway resolution: a recorded fact, never drift
      // (capture-facts.ts otherControllerParents reports it).
      if (isMeshParent(ref)) continue;
      const accepted = recordedConditions(rec['conditions']).find((c) => c.type === 'Accepted');
      const recorded: DriftValue = accepted ? { type: 'Accepted', status: String(accepted.status), ...(accepted.reason !== undefined ? { reason: accepted.reason } : {}) } : { absent: true };
      cmp.entries.push({ subject: `${label} parent ${parentLabel(ref)}`, object, parentRef: ref, field: 'parent', state: 'disagree', recorded, recomputed: { absent: true } });
    }
  }

  // InferencePool status.parents (Inference Extension api/v1 ParentStatus): one entry per Gateway. parentRef
  // defaults: group gateway.networking.k8s.io, kind Gateway, namespace = the pool's (:412).
  const pools = new Map<string, KubeObject>();
  for (const o of objects) if (o.kind === 'InferencePool' && isInferenceGroup(groupOf(o.apiVersion))) pools.set(`${groupOf(o.apiVersion)}|${o.metadata.namespace ?? ''}/${o.metadata.name}`, o);
  const handled = new Set(resolution.gateways.map((g) => `${g.namespace}/${g.name}`));
  for (const pool of resolution.inferencePools ?? []) {
    const obj = pools.get(`${pool.group}|${pool.namespace}/${pool.name}`);
    const label = `InferencePool ${pool.namespace}/${pool.name}`;
    const object = objRef('InferencePool', pool.namespace, pool.name, obj);
    const recorded: Array<Record<string, unknown>> = Array.isArray(obj?.status?.parents) ? obj.status.parents : [];
    const gwOf = (p: Record<string, unknown>): string | undefined => {
      const ref = (p?.['parentRef'] ?? {}) as Record<string, unknown>;
      if ((ref['group'] ?? GATEWAY_GROUP) !== GATEWAY_GROUP || (ref['kind'] ?? 'Gateway') !== 'Gateway' || typeof ref['name'] !== 'string') return undefined;
      return `${typeof ref['namespace'] === 'string' && ref['namespace'] !== '' ? ref['namespace'] : pool.namespace}/${ref['name']}`;
    };
    const seen = new Set<string>();
    for (const parent of pool.parents) {
      const gk = `${parent.parentRef.namespace}/${parent.parentRef.name}`;
      seen.add(gk);
      const rec = recorded.find((p) => gwOf(p) === gk);
      const echo: ParentRefEcho = { ...parent.parentRef };
      cmp.conditions({ subject: `${label} parent ${parentLabel(echo)}`, object, parentRef: echo }, obj?.metadata.generation, parent.conditions, recordedConditions(rec?.['conditions']));
    }
    // A recorded entry for a Gateway we handle that no route associates with the pool: the controller must remove it.
    for (const rec of recorded) {
      const gk = gwOf(rec);
      if (gk === undefined || seen.has(gk) || !handled.has(gk)) continue;
      const [ns, name] = [gk.slice(0, gk.indexOf('/')), gk.slice(gk.indexOf('/') + 1)];
      const ref: ParentRefEcho = { group: GATEWAY_GROUP, kind: 'Gateway', namespace: ns, name };
      const accepted = recordedConditions(rec['conditions']).find((c) => c.type === 'Accepted');
      const value: DriftValue = accepted ? { type: 'Accepted', status: String(accepted.status), ...(accepted.reason !== undefined ? { reason: accepted.reason } : {}) } : { absent: true };
      cmp.entries.push({ subject: `${label} parent ${parentLabel(ref)}`, object, parentRef: ref, field: 'parent', state: 'disagree', recorded: value, recomputed: { absent: true } });
    }
  }
  return cmp.entries;
}

function objRef(kind: string, namespace: string | undefined, name: string, obj: KubeObject | undefined): DriftEntry['object'] {
  const r: DriftEntry['object'] = { kind, name };
  if (namespace !== undefined) r.namespace = namespace;
  if (obj?.metadata.generation !== undefined) r.generation = obj.metadata.generation;
  return r;
}

function show(v: DriftValue | undefined, withReason: boolean): string {
  if (!v) return 'nothing';
  if ('absent' in v) return 'no entry';
  if ('attachedRoutes' in v) return `attachedRoutes=${v.attachedRoutes}`;
  if ('supportedKinds' in v) return `supportedKinds=[${v.supportedKinds.join(', ')}]`;
  return `${v.type}=${v.status}${withReason && v.reason ? ` (${v.reason})` : ''}`;
}

/**
 * Findings for drift. Every recomputed value is a prediction from the captured objects, and is worded as one.
 *  - disagree         error STATUS_DRIFT (both values in the message): matches neither the spec nor the controller profile
 *  - stale            warning STATUS_STALE, one per condition
 *  - recorded-missing warning STATUS_RECORDED_MISSING, one per subject listing the missing fields
 *  - departure        info STATUS_CONTROLLER_DEPARTURE naming the profile switch, its controller source and the spec text
 *  - not-derivable    info STATUS_NOT_DERIVABLE: the recorded value is shown as a recorded fact, never as drift
 *  - unknown-offline and not-defined are summarised elsewhere (CAPTURE_INCOMPLETE) or not reported.
 * Agreement is not a finding.
 */
export function driftFindings(entries: readonly DriftEntry[], switchText: (id: string) => string = (id) => id): Finding[] {
  const out: Finding[] = [];
  const missing = new Map<string, DriftEntry[]>();
  for (const e of entries) {
    if (e.state === 'disagree') {
      const sameStatus =
        e.recorded && e.recomputed && 'status' in e.recorded && 'status' in e.recomputed && e.recorded.status === e.recomputed.status;
      const recordedText = e.field === 'parent' ? `a status entry with ${show(e.recorded, true)}` : show(e.recorded, !!sameStatus);
      const recomputedText = e.field === 'parent' ? 'no entry (a conformant controller writes none)' : show(e.recomputed, true);
      out.push({
        code: 'STATUS_DRIFT',
        severity: 'error',
        subject: e.subject,
        message: `${e.subject}: recorded ${recordedText}, predicted ${recomputedText}`,
        detail: { field: e.field, recorded: e.recorded, recomputed: e.recomputed, prediction: true },
      });
    } else if (e.state === 'stale') {
      const rec = e.recorded && 'observedGeneration' in e.recorded ? e.recorded.observedGeneration : undefined;
      out.push({
        code: 'STATUS_STALE',
        severity: 'warning',
        subject: e.subject,
        message: `${e.subject}: recorded ${e.field} is for generation ${rec}, object is at generation ${e.object.generation}; recorded ${show(e.recorded, true)}, predicted ${show(e.recomputed, true)}`,
        detail: { field: e.field, recorded: e.recorded, recomputed: e.recomputed, generation: e.object.generation, valuesAgree: e.valuesAgree, prediction: true },
      });
    } else if (e.state === 'recorded-missing') {
      const list = missing.get(e.subject) ?? [];
      list.push(e);
      missing.set(e.subject, list);
    } else if (e.state === 'departure' && e.departure) {
      const d = e.departure;
      out.push({
        code: 'STATUS_CONTROLLER_DEPARTURE',
        severity: 'info',
        subject: e.subject,
        message: `${e.subject}: recorded ${show(e.recorded, true)} is what ${d.profile} writes, a known departure from the spec (predicted by the spec: ${show(e.recomputed, true)}): ${d.switches.map(switchText).join('; ')}`,
        detail: { field: e.field, recorded: e.recorded, recomputed: e.recomputed, profile: d.profile, switches: d.switches, prediction: true },
      });
    } else if (e.state === 'unknown-offline' && e.field === 'attachedRoutes') {
      out.push({
        code: 'STATUS_UNKNOWN_OFFLINE',
        severity: 'info',
        subject: e.subject,
        message: `${e.subject}: recorded ${show(e.recorded, true)} is not compared with the ${show(e.recomputed, true)} predicted from the captured routes: ${e.note ?? 'a needed kind was not captured'}`,
        detail: { field: e.field, recorded: e.recorded, recomputed: e.recomputed, prediction: true },
      });
    } else if (e.state === 'not-derivable') {
      out.push({
        code: 'STATUS_NOT_DERIVABLE',
        severity: 'info',
        subject: e.subject,
        message: `${e.subject}: recorded ${show(e.recorded, true)} is a recorded fact, not compared: ${e.note ?? 'not derivable offline'} (predicted from the objects alone: ${show(e.recomputed, true)})`,
        detail: { field: e.field, recorded: e.recorded, recomputed: e.recomputed, prediction: true },
      });
    }
  }
  for (const [subject, list] of missing) {
    out.push({
      code: 'STATUS_RECORDED_MISSING',
      severity: 'warning',
      subject,
      message: `${subject}: no recorded ${list.map((e) => e.field).join(', ')}; predicted ${list.map((e) => show(e.recomputed, true)).join(', ')}`,
      detail: { fields: list.map((e) => e.field), recomputed: list.map((e) => e.recomputed), prediction: true },
    });
  }
  return out;
}
