/**
 * Audit-log ingestion, pure: the scope of a capture, and an accumulator fed one line at a time by the
 * streaming reader (src/collector/audit.ts), so memory holds only the kept (reduced) events, never a file.
 */
import type { Capture } from '../model/collection.ts';
import { GATEWAY_GROUP, GATEWAY_X_GROUP, compareStrings, groupOf } from '../model/object.ts';
import type { AuditFileRecord, ReducedAuditEvent } from '../model/operational.ts';
import { compareEvents, laterStage, objectRefKey, parseTime, reduceAuditEvent, resourceOfKind, type AuditScope, type AuditWindow, type DropReason } from './reduce.ts';

/** Gateway API Inference Extension groups (InferencePool, InferenceObjective). */
export const INFERENCE_GROUPS = ['inference.networking.k8s.io', 'inference.networking.x-k8s.io'];

/**
 * The audit scope of a capture (issue 9): every resource of the Gateway API and Inference Extension groups,
 * every Service and Namespace, and by name each other object the capture holds (referenced Secrets and
 * ConfigMaps, CRDs, controller workloads), within the capture's namespace filter.
 */
export function auditScope(capture: Capture): AuditScope {
  const objects = new Set<string>();
  for (const o of capture.snapshot.objects) {
    objects.add(objectRefKey({ apiGroup: groupOf(o.apiVersion), resource: resourceOfKind(o.kind), ...(o.metadata.namespace !== undefined ? { namespace: o.metadata.namespace } : {}), name: o.metadata.name }));
  }
  // Referenced Secrets and ConfigMaps are in scope even when the capture does not hold them (a missing
  // certificate Secret is exactly the object whose changes an auditor wants to see).
  for (const o of capture.snapshot.objects) {
    const g = groupOf(o.apiVersion);
    if (g !== GATEWAY_GROUP && g !== GATEWAY_X_GROUP) continue;
    collectRefs(o.spec, o.metadata.namespace, objects);
  }
  const scope: AuditScope = {
    groups: new Set([GATEWAY_GROUP, GATEWAY_X_GROUP, ...INFERENCE_GROUPS]),
    resources: new Set(['/services', '/namespaces']),
    objects,
  };
  const s = capture.record.scope;
  if (s.namespaces && s.namespaces.length > 0) scope.namespaces = new Set(s.namespaces);
  if (s.excludeNamespaces && s.excludeNamespaces.length > 0) scope.excludeNamespaces = new Set(s.excludeNamespaces);
  return scope;
}

/** Walks a spec for certificateRefs (default kind Secret) and caCertificateRefs (default kind ConfigMap). */
function collectRefs(v: unknown, ns: string | undefined, out: Set<string>, depth = 0): void {
  if (v === null || typeof v !== 'object' || depth > 12) return;
  if (Array.isArray(v)) {
    for (const x of v) collectRefs(x, ns, out, depth + 1);
    return;
  }
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if ((k === 'certificateRefs' || k === 'caCertificateRefs') && Array.isArray(x)) {
      for (const r of x) {
        if (r === null || typeof r !== 'object') continue;
        const ref = r as Record<string, unknown>;
        if (typeof ref['name'] !== 'string') continue;
        const kind = typeof ref['kind'] === 'string' ? ref['kind'] : k === 'certificateRefs' ? 'Secret' : 'ConfigMap';
        if ((ref['group'] ?? '') !== '' || (kind !== 'Secret' && kind !== 'ConfigMap')) continue;
        const namespace = typeof ref['namespace'] === 'string' ? ref['namespace'] : ns;
        out.add(objectRefKey({ resource: kind === 'Secret' ? 'secrets' : 'configmaps', ...(namespace !== undefined ? { namespace } : {}), name: ref['name'] }));
      }
    } else collectRefs(x, ns, out, depth + 1);
  }
}

/** Feeds lines of one or more audit files; keeps the most complete stage of each in-scope mutating request. */
export interface AuditAccumulator {
  /** Starts a file; its counters are filled in as lines come. */
  beginFile(record: AuditFileRecord): void;
  /** One line of the current file (may be empty or whitespace). */
  addLine(line: string): void;
  /** The kept events in chronological order. */
  events(): ReducedAuditEvent[];
  /** Dropped counts with sorted keys (canonical order). */
  droppedCounts(): Record<string, number>;
}

/** A new accumulator for one collection (scope and window of the capture). */
export function createAuditAccumulator(scope: AuditScope, window: AuditWindow): AuditAccumulator {
  return new Accumulator(scope, window);
}

class Accumulator implements AuditAccumulator {
  private readonly byId = new Map<string, ReducedAuditEvent>();
  readonly dropped: Record<string, number> = {};
  private file: AuditFileRecord | undefined;
  private firstT: number | undefined;
  private lastT: number | undefined;

  constructor(private readonly scope: AuditScope, private readonly window: AuditWindow) {}

  /** Starts a file; its counters are filled in as lines come. */
  beginFile(record: AuditFileRecord): void {
    this.file = record;
    this.firstT = undefined;
    this.lastT = undefined;
  }

  /** One line of the current file (may be empty or whitespace). */
  addLine(line: string): void {
    const file = this.file;
    if (!file) throw new Error('AuditAccumulator: addLine before beginFile');
    if (line.trim() === '') return;
    file.lines++;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      this.drop('malformed');
      file.malformed++;
      return;
    }
    const ts = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>)['requestReceivedTimestamp'] : undefined;
    const t = parseTime(ts);
    if (t !== undefined) {
      if (this.firstT === undefined || t < this.firstT) {
        this.firstT = t;
        file.first = ts as string;
      }
      if (this.lastT === undefined || t > this.lastT) {
        this.lastT = t;
        file.last = ts as string;
      }
    }
    const r = reduceAuditEvent(raw, this.scope, this.window);
    if (!r.ok) {
      this.drop(r.reason);
      if (r.reason === 'malformed') file.malformed++;
      return;
    }
    const prev = this.byId.get(r.event.auditID);
    if (!prev) {
      file.kept++;
      this.byId.set(r.event.auditID, r.event);
    } else if (laterStage(prev, r.event)) {
      this.byId.set(r.event.auditID, r.event);
    }
  }

  private drop(reason: DropReason): void {
    this.dropped[reason] = (this.dropped[reason] ?? 0) + 1;
  }

  /** The kept events in chronological order. */
  events(): ReducedAuditEvent[] {
    return [...this.byId.values()].sort(compareEvents);
  }

  /** Dropped counts with sorted keys (canonical order). */
  droppedCounts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const k of Object.keys(this.dropped).sort(compareStrings)) out[k] = this.dropped[k]!;
    return out;
  }
}
