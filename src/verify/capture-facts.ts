/**
 * Facts about the capture that decide what verify may call drift (issue 11 section 4). Pure.
 *  - Missing is not absent: the kinds a files capture held (CollectionRecord.kindsPresent); one CAPTURE_INCOMPLETE
 *    finding per needed kind the capture did not hold at all.
 *  - Route parents handled by another controller (a mesh/GAMMA Service parent, a Gateway whose class is not in the
 *    capture) are shown as recorded facts, not as "no status written".
 */
import { kindKey, type Capture } from '../model/collection.ts';
import type { Finding } from '../model/finding.ts';
import { GATEWAY_GROUP, groupOf, type KubeObject } from '../model/object.ts';
import { captureAdvice, missingLookupKinds } from '../resolve/capture-kinds.ts';
import type { ParentRefEcho, Resolution } from '../resolve/types.ts';

/**
 * The kinds the capture held: the record's kindsPresent plus the kind of every captured object. Undefined (every
 * kind present, the behaviour before the field existed) for live captures, older bundles, or a malformed field:
 * a hostile value can only make more references count as missing, never hide drift.
 */
export function effectiveKindsPresent(capture: Capture): string[] | undefined {
  const k = (capture.record as { kindsPresent?: unknown }).kindsPresent;
  if (!Array.isArray(k) || !k.every((x) => typeof x === 'string')) return undefined;
  const set = new Set<string>(k as string[]);
  for (const o of capture.snapshot.objects) set.add(kindKey(groupOf(o.apiVersion), o.kind));
  return [...set].sort();
}

/** One CAPTURE_INCOMPLETE warning per lookup kind that objects reference and the capture did not hold (`present`: effectiveKindsPresent(capture), when the caller has it). */
export function captureIncompleteFindings(objects: readonly KubeObject[], capture: Capture, unknownPredictions: number, present = effectiveKindsPresent(capture)): Finding[] {
  return missingLookupKinds(objects, present).map((n) => ({
    code: 'CAPTURE_INCOMPLETE',
    severity: n.resource ? ('warning' as const) : ('info' as const),
    subject: n.kind,
    message: `the capture holds no ${n.kind} objects at all, but ${n.count} object(s) reference them (${n.referencedBy.join(', ')}${n.count > n.referencedBy.length ? ', ...' : ''}): those references are unknown offline, not missing, and the predictions that depend on them are not compared${unknownPredictions > 0 ? ` (${unknownPredictions} prediction(s) in this capture)` : ''}; ${captureAdvice(n.kind)}`,
    detail: { kind: n.kind, resource: n.resource, referencedBy: n.referencedBy, count: n.count },
  }));
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function echoOf(raw: Record<string, unknown>, routeNamespace: string): ParentRefEcho {
  const e: ParentRefEcho = {
    group: typeof raw['group'] === 'string' ? (raw['group'] as string) : GATEWAY_GROUP,
    kind: str(raw['kind']) ?? 'Gateway',
    namespace: str(raw['namespace']) ?? routeNamespace,
    name: String(raw['name'] ?? ''),
  };
  if (str(raw['sectionName'])) e.sectionName = raw['sectionName'] as string;
  if (typeof raw['port'] === 'number') e.port = raw['port'] as number;
  return e;
}

function sameRef(a: ParentRefEcho, b: ParentRefEcho): boolean {
  return a.group === b.group && a.kind === b.kind && a.namespace === b.namespace && a.name === b.name && (a.sectionName ?? '') === (b.sectionName ?? '') && (a.port ?? -1) === (b.port ?? -1);
}

/** A parent kind the gateway resolution never handles (GAMMA: a Service, or any non-Gateway-API kind). */
export function isMeshParent(ref: ParentRefEcho): boolean {
  const gatewayKind = (ref.group === GATEWAY_GROUP && (ref.kind === 'Gateway' || ref.kind === 'ListenerSet')) || (ref.group === 'gateway.networking.x-k8s.io' && ref.kind === 'XListenerSet');
  return !gatewayKind;
}

/** The resolver's "no status is written for this parentRef" codes. */
const NO_STATUS_CODES = new Set(['PARENT_KIND_UNSUPPORTED', 'PARENT_NOT_HANDLED', 'PARENT_NOT_FOUND']);

/**
 * Recorded route parent entries written by a controller that the resolution does not simulate (its controllerName
 * is no GatewayClass's in the capture): one STATUS_OTHER_CONTROLLER info finding per entry, and `replaces(f)` for
 * the resolver's "no status is written" finding on that route and parentRef, which the recorded entry contradicts.
 */
export function otherControllerParents(objects: readonly KubeObject[], resolution: Resolution): { findings: Finding[]; replaces: (f: Finding) => boolean } {
  const simulated = new Set(resolution.gatewayClasses.map((c) => c.controllerName));
  const findings: Finding[] = [];
  const covered = new Map<string, ParentRefEcho[]>();
  for (const o of objects) {
    if (groupOf(o.apiVersion) !== GATEWAY_GROUP || !/Route$/.test(o.kind)) continue;
    const parents: unknown[] = Array.isArray(o.status?.parents) ? o.status.parents : [];
    const ns = o.metadata.namespace ?? '';
    const label = `${o.kind} ${ns}/${o.metadata.name}`;
    for (const p of parents as Record<string, unknown>[]) {
      if (!p || typeof p['parentRef'] !== 'object' || p['parentRef'] === null) continue;
      const controller = String(p['controllerName'] ?? '');
      const ref = echoOf(p['parentRef'] as Record<string, unknown>, ns);
      // Gateway-kind parents of a simulated controller are compared by drift.ts; every other kind (a mesh Service
      // parent, even from a controller that also owns a GatewayClass, e.g. istio.io/mesh-controller waypoints) is not.
      if (simulated.has(controller) && !isMeshParent(ref)) continue;
      const conds = (Array.isArray(p['conditions']) ? p['conditions'] : []) as Record<string, unknown>[];
      const shown = conds.filter((c) => c && typeof c['type'] === 'string').map((c) => `${String(c['type'])}=${String(c['status'])}${c['reason'] ? ` (${String(c['reason'])})` : ''}`);
      const what = ref.kind === 'Service' && (ref.group === '' || ref.group === 'core') ? 'a mesh (GAMMA) Service parent, outside gateway resolution' : `a parent whose controller is not simulated (no GatewayClass with controllerName ${controller} in the capture)`;
      const where = `${ref.kind} ${ref.namespace}/${ref.name}${ref.sectionName ? '#' + ref.sectionName : ''}${ref.port !== undefined ? ':' + ref.port : ''}`;
      findings.push({
        code: 'STATUS_OTHER_CONTROLLER',
        severity: 'info',
        subject: label,
        message: `${label} parent ${where}: status recorded by ${controller || '(no controllerName)'}${shown.length ? `: ${shown.join(', ')}` : ''}; not recomputed (${what})`,
        detail: { parentRef: ref, controllerName: controller, recorded: shown },
      });
      const list = covered.get(label) ?? [];
      list.push(ref);
      covered.set(label, list);
    }
  }
  const replaces = (f: Finding): boolean => {
    if (!NO_STATUS_CODES.has(f.code) || f.subject === undefined) return false;
    const refs = covered.get(f.subject);
    if (!refs) return false;
    const ref = (f.detail as { parentRef?: ParentRefEcho } | undefined)?.parentRef;
    return ref ? refs.some((r) => sameRef(r, ref)) : false;
  };
  return { findings, replaces };
}
