/**
 * Drift a reviewer can act on (issue 11 section 4). The status is recomputed twice, in `spec` semantics and in
 * the capturing controller's profile (`auto`: per GatewayClass controllerName), and every disagreement of the
 * recorded status with the spec prediction is classified:
 *  - departure       recorded = the profile's prediction (a known, source-documented controller choice)
 *  - not-derivable   the recorded value depends on the data plane or address allocation
 *  - unknown-offline the prediction depends on a kind the capture did not hold (CAPTURE_INCOMPLETE)
 *  - not-defined     the captured CRD bundle-version does not define the condition
 *  - otherwise the compareStatus() state stays (disagree = drift, an error).
 * Pure.
 */
import type { Finding } from '../model/finding.ts';
import type { KubeObject } from '../model/object.ts';
import { parseBundleVersion } from '../resolve/semantics.ts';
import { PROFILE_SWITCHES, type SwitchId } from '../resolve/profiles.ts';
import type { ParentRefEcho, Resolution } from '../resolve/types.ts';
import { compareStatus, driftEntry, type DriftEntry, type DriftState, type DriftValue } from './drift.ts';

/** Reason of a profile-switch finding emitted by the resolver (resolve/profiles.ts). */
export const PROFILE_SWITCH_CODE = 'PROFILE_SWITCH';
/** Reason the resolver gives a condition it cannot predict because a needed kind was not captured. */
export const CAPTURE_INCOMPLETE_REASON = 'CaptureIncomplete';

/**
 * Reasons that describe the data plane or the address allocator, not the objects: a recorded condition with one of
 * them is a fact we cannot predict offline (GatewayConditionProgrammed reasons AddressNotAssigned,
 * AddressNotUsable, NoResources, Pending in gateway_types.go; Pending also on Accepted before reconciliation).
 */
export const DATA_PLANE_REASONS: ReadonlySet<string> = new Set(['AddressNotAssigned', 'AddressNotUsable', 'NoResources', 'Pending']);

/**
 * Conditions that only exist from a Gateway API bundle-version on (the CRD of an older version does not define
 * them, so a controller for it never writes them): Gateway-level ResolvedRefs (v1.5.0), GatewayClass
 * SupportedVersion (v1.1.0, experimental), listener OverlappingTLSConfig (v1.3.0, GEP-3567),
 * InsecureFrontendValidationMode (v1.4.0).
 */
const CONDITION_SINCE: ReadonlyArray<{ kind: string; listener: boolean; type: string; since: [number, number, number] }> = [
  { kind: 'Gateway', listener: false, type: 'ResolvedRefs', since: [1, 5, 0] },
  { kind: 'GatewayClass', listener: false, type: 'SupportedVersion', since: [1, 1, 0] },
  { kind: 'Gateway', listener: true, type: 'OverlappingTLSConfig', since: [1, 3, 0] },
  { kind: 'Gateway', listener: false, type: 'InsecureFrontendValidationMode', since: [1, 4, 0] },
];

function before(v: [number, number, number], since: [number, number, number]): boolean {
  if (v[0] === 0 && v[1] === 0 && v[2] === 0) return false; // v0.0.0-dev: a build of main defines everything
  for (let i = 0; i < 3; i++) if (v[i] !== since[i]) return v[i]! < since[i]!;
  return false;
}

/** A switch that fired in the profile resolution, keyed like a drift entry. */
interface Applied {
  switch: string;
  key: string;
}

function refKeyOf(r: ParentRefEcho | undefined): string {
  if (!r) return '';
  return [r.group, r.kind, r.namespace, r.name, r.sectionName ?? '', r.port ?? ''].join('|');
}

function entryKey(o: { kind: string; namespace?: string; name: string }, listener: string | undefined, parentRef: ParentRefEcho | undefined, field: string): string {
  return [o.kind, o.namespace ?? '', o.name, listener ?? '', refKeyOf(parentRef), field].join('#');
}

function appliedSwitches(findings: readonly Finding[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of findings) {
    if (f.code !== PROFILE_SWITCH_CODE || !f.detail) continue;
    const d = f.detail as { switch?: string; field?: string; object?: { kind: string; namespace?: string; name: string }; listener?: string; parentRef?: ParentRefEcho };
    if (!d.switch || !d.field || !d.object) continue;
    const a: Applied = { switch: d.switch, key: entryKey(d.object, d.listener, d.parentRef, d.field) };
    const list = out.get(a.key) ?? [];
    if (!list.includes(a.switch)) list.push(a.switch);
    out.set(a.key, list);
  }
  return out;
}

function isCondition(v: DriftValue | undefined): v is { type: string; status: string; reason?: string } {
  return v !== undefined && 'type' in v;
}

function sameValue(a: DriftValue | undefined, b: DriftValue | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export interface ClassifyOptions {
  /** The captured CRD bundle-version (semantics.ts capturedBundleVersion). */
  bundleVersion?: string;
  /** The kinds the capture held (capture-facts.ts effectiveKindsPresent); undefined = every kind. */
  kindsPresent?: readonly string[];
}

const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'];

/** `{...e, state, ...extra}` (same keys, same order), built like drift.ts driftEntry for the same reason. */
function restate(e: DriftEntry, state: DriftState, extra: { note?: string; departure?: NonNullable<DriftEntry['departure']> }): DriftEntry {
  const out = driftEntry(e, e.field, state, e.recorded, e.recomputed, e.valuesAgree);
  if (e.departure !== undefined) out.departure = e.departure;
  if (e.note !== undefined) out.note = e.note;
  if (extra.departure !== undefined) out.departure = extra.departure;
  if (extra.note !== undefined) out.note = extra.note;
  return out;
}

/**
 * Compares `objects`' recorded status with `spec` (the spec-semantics resolution) and `profile` (the auto-profile
 * resolution; pass `spec` again when no profile applies) and classifies every entry.
 */
export function classifyDrift(objects: readonly KubeObject[], spec: Resolution, profile: Resolution, options: ClassifyOptions = {}): DriftEntry[] {
  const specEntries = compareStatus(objects, spec);
  const profileEntries = profile === spec ? specEntries : compareStatus(objects, profile);
  const byKey = new Map<string, DriftEntry>();
  if (profile !== spec) for (const p of profileEntries) byKey.set(entryKey(p.object, p.listener, p.parentRef, p.field), p);
  const applied = appliedSwitches(profile.findings);
  // The first supportedKinds entry per subject (what `specEntries.find` gave), indexed on first use.
  let kindsBySubject: Map<string, DriftEntry> | undefined;
  const kindsEntryOf = (subject: string): DriftEntry | undefined => {
    if (!kindsBySubject) {
      kindsBySubject = new Map();
      for (const x of specEntries) if (x.field === 'supportedKinds' && !kindsBySubject.has(x.subject)) kindsBySubject.set(x.subject, x);
    }
    return kindsBySubject.get(subject);
  };
  const profileOf = new Map<string, string>();
  for (const g of profile.gateways) if (g.semantics) profileOf.set(`${g.namespace}/${g.name}`, g.semantics);
  for (const c of profile.gatewayClasses) if (c.semantics) profileOf.set(`/${c.name}`, c.semantics);
  const version = options.bundleVersion !== undefined ? parseBundleVersion(options.bundleVersion) : undefined;

  return specEntries.map((e): DriftEntry => {
    const rc = e.recomputed;
    // 1. A prediction that needs a kind the capture did not hold: unknown, not compared.
    if (isCondition(rc) && rc.status === 'Unknown' && rc.reason === CAPTURE_INCOMPLETE_REASON) {
      return restate(e, 'unknown-offline', { note: 'the prediction needs objects of a kind the capture did not hold' });
    }
    if (e.state === 'agree') return e;
    // Routes whose namespace the capture cannot label (no Namespace objects at all) may count too: a recorded
    // count inside the predicted range is unknown, not drift; outside it, it stays drift.
    if (e.field === 'attachedRoutes' && e.recorded && 'attachedRoutes' in e.recorded && rc && 'attachedRoutes' in rc) {
      const upTo = attachedRoutesUnknown(spec, e);
      if (upTo > 0 && e.recorded.attachedRoutes > rc.attachedRoutes && e.recorded.attachedRoutes <= rc.attachedRoutes + upTo) {
        return restate(e, 'unknown-offline', { note: `up to ${upTo} more route(s) may attach through an allowedRoutes namespace selector that needs Namespace labels, and the capture holds no Namespace objects at all (predicted ${rc.attachedRoutes}..${rc.attachedRoutes + upTo})` });
      }
    }
    // Routes of a kind the capture did not hold may attach to this listener: more recorded routes than predicted
    // from the captured ones is unknown, not drift (missing is not absent).
    if (e.field === 'attachedRoutes' && options.kindsPresent && e.recorded && 'attachedRoutes' in e.recorded && rc && 'attachedRoutes' in rc && e.recorded.attachedRoutes > rc.attachedRoutes) {
      const present = new Set(options.kindsPresent);
      const kindsEntry = kindsEntryOf(e.subject)?.recomputed;
      const supported = kindsEntry && 'supportedKinds' in kindsEntry ? kindsEntry.supportedKinds.map((k) => k.split('/').pop()!) : ROUTE_KINDS;
      const missing = supported.filter((k) => ROUTE_KINDS.includes(k) && !present.has(`gateway.networking.k8s.io/${k}`));
      if (missing.length > 0) return restate(e, 'unknown-offline', { note: `the capture holds no ${missing.join(', ')} objects at all, and routes of ${missing.length === 1 ? 'that kind' : 'those kinds'} may attach to this listener` });
    }
    // 2. Version-aware expectations: a condition the captured CRD version does not define is not expected.
    if (version && e.recorded && 'absent' in e.recorded && isCondition(rc)) {
      const rule = CONDITION_SINCE.find((r) => r.type === rc.type && r.kind === e.object.kind && r.listener === (e.listener !== undefined));
      if (rule && before(version, rule.since)) {
        return restate(e, 'not-defined', { note: `${rc.type} is not defined before Gateway API v${rule.since.join('.')} (captured bundle-version ${options.bundleVersion})` });
      }
    }
    // 3. Known controller departure: the recorded value is what the controller's profile predicts.
    // (Keyed only when there is a profile result or a switch to look up: with neither, nothing below needs it.)
    const key = profile !== spec || applied.size > 0 ? entryKey(e.object, e.listener, e.parentRef, e.field) : '';
    const p = profile === spec ? undefined : byKey.get(key);
    const switches = applied.get(key) ?? [];
    const profileName = (): string => profileOf.get(e.object.kind === 'GatewayClass' ? `/${e.object.name}` : gatewayOf(e, profile)) ?? 'the controller profile';
    if (p && p.state === 'agree' && !sameValue(p.recomputed, rc)) {
      return restate(e, 'departure', { departure: { profile: profileName(), switches: switches.length > 0 ? switches : ['(profile result)'], ...(p.recomputed ? { predicted: p.recomputed } : {}) } });
    }
    if (!p && profile !== spec && e.state === 'recorded-missing' && switches.length > 0) {
      // The profile does not write this condition at all, and neither did the controller.
      return restate(e, 'departure', { departure: { profile: profileName(), switches, predicted: { absent: true } } });
    }
    // 4. Data-plane facts: never drift.
    const rec = e.recorded;
    if (e.state === 'disagree' && isCondition(rec) && rec.reason !== undefined && DATA_PLANE_REASONS.has(rec.reason)) {
      return restate(e, 'not-derivable', { note: `${rec.reason} describes the data plane or address allocation, which the captured objects do not show` });
    }
    return e;
  });
}

/** `ns/name` of the Gateway an entry belongs to (its own object, or the parentRef of a route parent). */
function gatewayOf(e: DriftEntry, res: Resolution): string {
  if (e.object.kind === 'Gateway') return `${e.object.namespace ?? ''}/${e.object.name}`;
  if (e.parentRef) {
    if (e.parentRef.kind === 'Gateway') return `${e.parentRef.namespace}/${e.parentRef.name}`;
    for (const g of res.gateways) if ((g.listenerSets ?? []).some((l) => l.kind === e.parentRef!.kind && l.namespace === e.parentRef!.namespace && l.name === e.parentRef!.name)) return `${g.namespace}/${g.name}`;
  }
  for (const g of res.gateways) if ((g.listenerSets ?? []).some((l) => l.kind === e.object.kind && l.namespace === e.object.namespace && l.name === e.object.name)) return `${g.namespace}/${g.name}`;
  return '';
}

/** `<id> (<summary>; copies <source>; the spec: <spec>)` for a departure message. */
export function describeSwitch(id: string): string {
  const s = PROFILE_SWITCHES[id as SwitchId];
  if (!s) return id;
  return `switch ${s.id}: ${s.summary} (copies ${s.source}; the spec: ${s.spec})`;
}

/** The listener's attachedRoutesUnknown in the resolution (0 when none): Gateway or ListenerSet listener. */
function attachedRoutesUnknown(res: Resolution, e: DriftEntry): number {
  if (e.listener === undefined) return 0;
  for (const g of res.gateways) {
    if (e.object.kind === 'Gateway' && g.namespace === e.object.namespace && g.name === e.object.name) return g.listeners.find((l) => l.name === e.listener)?.attachedRoutesUnknown ?? 0;
    for (const ls of g.listenerSets ?? []) {
      if (ls.kind === e.object.kind && ls.namespace === e.object.namespace && ls.name === e.object.name) return ls.listeners.find((l) => l.name === e.listener)?.attachedRoutesUnknown ?? 0;
    }
  }
  return 0;
}
