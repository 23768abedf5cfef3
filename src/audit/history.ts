/**
 * Evidence derived from the kept audit events and the captured objects (issue 9): per object the change
 * history in the window (who, when, verb), per object its owners (ownerReferences and field managers), and,
 * against the previous bundle, the unexplained changes. Pure and deterministic: the collector stores the
 * result in data/audit/history.json and the verifier recomputes it from the same inputs.
 */
import { compareStrings, groupOf, refKey, refOf, type KubeObject } from '../model/object.ts';
import type { AuditHistory, ChangeEntry, ObjectOwners, ReducedAuditEvent, UnexplainedChange } from '../model/operational.ts';
import { objectRefKey, resourceOfKind } from './reduce.ts';

/** objectRefKey -> refKey for the captured objects. */
function refIndex(objects: readonly KubeObject[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const o of objects) {
    const key = objectRefKey({ apiGroup: groupOf(o.apiVersion), resource: resourceOfKind(o.kind), ...(o.metadata.namespace !== undefined ? { namespace: o.metadata.namespace } : {}), name: o.metadata.name });
    m.set(key, refKey(refOf(o)));
  }
  return m;
}

/** The key an event is filed under: the captured object's refKey, else `resource[.group]/[ns/]name`. */
export function eventSubject(e: ReducedAuditEvent, index: ReadonlyMap<string, string>): string {
  const known = index.get(objectRefKey(e.objectRef));
  if (known) return known;
  const r = e.objectRef;
  const gr = r.apiGroup ? `${r.resource}.${r.apiGroup}` : r.resource;
  const name = r.name ?? '(unnamed)';
  return r.namespace ? `${gr}/${r.namespace}/${name}` : `${gr}/${name}`;
}

export function changeEntry(e: ReducedAuditEvent): ChangeEntry {
  const c: ChangeEntry = { time: e.requestReceivedTimestamp, verb: e.verb, user: e.user.username, auditID: e.auditID };
  if (e.impersonatedUser) c.impersonatedUser = e.impersonatedUser.username;
  if (e.objectRef.subresource) c.subresource = e.objectRef.subresource;
  if (e.responseStatus) c.code = e.responseStatus.code;
  return c;
}

/** A request that did not succeed (a rejected change is history, but it changed nothing). */
export function succeeded(c: { code?: number }): boolean {
  return c.code === undefined || (c.code >= 200 && c.code < 300);
}

export function ownersOf(o: KubeObject): ObjectOwners {
  return {
    ownerReferences: (o.metadata.ownerReferences ?? []).map((r) => ({ ...r })),
    managers: (o.metadata.managedFields ?? []).map((m) => ({ ...m })),
  };
}

export interface PreviousSide {
  bundleId: string;
  capturedAt: string;
  objects: readonly KubeObject[];
}

/**
 * Objects whose generation (when both sides carry one) or else resourceVersion changed since the previous
 * bundle, with no successful audit event about them in the window (issue 9 "unexplained change").
 * A generation change needs a change of the object itself (a status update does not bump it).
 */
export function unexplainedChanges(previous: readonly KubeObject[], current: readonly KubeObject[], history: ReadonlyMap<string, ChangeEntry[]>): UnexplainedChange[] {
  const before = new Map(previous.map((o) => [refKey(refOf(o)), o]));
  const out: UnexplainedChange[] = [];
  for (const o of current) {
    const ref = refKey(refOf(o));
    const p = before.get(ref);
    if (!p) continue;
    const changes = (history.get(ref) ?? []).filter(succeeded);
    const g0 = p.metadata.generation;
    const g1 = o.metadata.generation;
    if (g0 !== undefined && g1 !== undefined) {
      if (g0 !== g1 && !changes.some((c) => c.subresource === undefined)) out.push({ ref, field: 'generation', old: String(g0), new: String(g1) });
      continue;
    }
    const r0 = p.metadata.resourceVersion;
    const r1 = o.metadata.resourceVersion;
    if (r0 !== undefined && r1 !== undefined && r0 !== r1 && changes.length === 0) out.push({ ref, field: 'resourceVersion', old: r0, new: r1 });
  }
  return out.sort((a, b) => compareStrings(a.ref, b.ref));
}

/** Builds data/audit/history.json from the events (chronological) and the captured objects. */
export function deriveHistory(events: readonly ReducedAuditEvent[], objects: readonly KubeObject[], previous?: PreviousSide): AuditHistory {
  const index = refIndex(objects);
  const bySubject = new Map<string, ChangeEntry[]>();
  for (const e of events) {
    const s = eventSubject(e, index);
    const list = bySubject.get(s) ?? [];
    list.push(changeEntry(e));
    bySubject.set(s, list);
  }
  const history: AuditHistory = {
    objects: [...bySubject.keys()].sort(compareStrings).map((ref) => ({ ref, changes: bySubject.get(ref)! })),
    owners: objects
      .filter((o) => (o.metadata.ownerReferences?.length ?? 0) > 0 || (o.metadata.managedFields?.length ?? 0) > 0)
      .map((o) => ({ ref: refKey(refOf(o)), ...ownersOf(o) }))
      .sort((a, b) => compareStrings(a.ref, b.ref)),
  };
  if (previous) {
    history.previousBundle = { bundleId: previous.bundleId, capturedAt: previous.capturedAt };
    history.unexplained = unexplainedChanges(previous.objects, objects, bySubject);
  }
  return history;
}
