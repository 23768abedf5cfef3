/**
 * Kubernetes audit events (audit.k8s.io/v1 Event, one JSON object per line) -> ReducedAuditEvent. Pure.
 *
 * Secret never-leak rule (issue 9): at the RequestResponse audit level the API server logs request and
 * response bodies, and a Secret body holds its data in the clear. Nothing of a body is copied: for non-Secret
 * objects only the SHA-256 of its RFC 8785 canonical JSON is kept, for Secrets not even that (a digest of a
 * short secret value can be brute-forced). Event-level `annotations`, `requestURI`, `user.extra` and
 * `responseStatus.message` are never kept either: only the fields listed in ReducedAuditEvent, each checked
 * for type and length.
 */
import type { AuditObjectRef, AuditUser, ReducedAuditEvent } from '../model/operational.ts';
import { canonicalBytes } from '../bundle/canonical.ts';
import { sha256Hex } from '../crypto/index.ts';
import { rfc3339Ms } from '../model/time.ts';

/** Verbs that change an object (https://kubernetes.io/docs/reference/access-authn-authz/authorization/#determine-the-request-verb). */
export const MUTATING_VERBS: ReadonlySet<string> = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

/** Audit stages in the order the API server emits them (k8s.io/apiserver/pkg/apis/audit/types.go). */
const STAGE_RANK: Record<string, number> = { RequestReceived: 0, ResponseStarted: 1, ResponseComplete: 2, Panic: 3 };

const MAX_NAME = 253;
const MAX_TEXT = 1024;
const MAX_LIST = 64;

/** Why an event was not kept; counted per reason in the collection record. */
export type DropReason = 'malformed' | 'read-only' | 'out-of-scope' | 'out-of-window';

export type ReduceResult = { ok: true; event: ReducedAuditEvent } | { ok: false; reason: DropReason };

/** Which objects' events are kept: derived from the capture (see auditScope). */
export interface AuditScope {
  /** API groups whose every resource is in scope (Gateway API, Inference extension). */
  groups: ReadonlySet<string>;
  /** `group/resource` pairs in scope for every object (core: `/services`, `/namespaces`). */
  resources: ReadonlySet<string>;
  /** `group/resource/namespace/name` of the individual objects in scope (referenced Secrets and ConfigMaps, captured objects). */
  objects: ReadonlySet<string>;
  /** Namespace filter of the capture (undefined: all namespaces). */
  namespaces?: ReadonlySet<string>;
  excludeNamespaces?: ReadonlySet<string>;
}

/** [since, until] in milliseconds since the epoch; since undefined = no lower bound. */
export interface AuditWindow {
  since?: number;
  until: number;
}

/** `group/resource/namespace/name`: the key audit scope and history use for an objectRef. */
export function objectRefKey(ref: AuditObjectRef): string {
  return `${ref.apiGroup ?? ''}/${ref.resource}/${ref.namespace ?? ''}/${ref.name ?? ''}`;
}

/** The audit `resource` for a kind: the lower-case plural the API server uses for the built-in and Gateway API kinds. */
export function resourceOfKind(kind: string): string {
  const k = kind.toLowerCase();
  if (k.endsWith('y') && !/[aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  if (k.endsWith('s') || k.endsWith('x')) return `${k}es`;
  return `${k}s`;
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown, max: number): string | undefined => (typeof v === 'string' && v.length > 0 && v.length <= max ? v : undefined);

function user(v: unknown): AuditUser | undefined {
  if (!isObj(v)) return undefined;
  const username = str(v['username'], MAX_TEXT);
  if (username === undefined) return undefined;
  const out: AuditUser = { username };
  if (Array.isArray(v['groups'])) {
    const groups = v['groups'].map((g) => str(g, MAX_TEXT)).filter((g): g is string => g !== undefined).slice(0, MAX_LIST);
    if (groups.length > 0) out.groups = [...new Set(groups)].sort();
  }
  return out;
}

function objectRef(v: unknown): AuditObjectRef | undefined {
  if (!isObj(v)) return undefined;
  const resource = str(v['resource'], MAX_NAME);
  if (resource === undefined) return undefined;
  const out: AuditObjectRef = { resource };
  for (const k of ['apiGroup', 'apiVersion', 'subresource', 'namespace', 'name'] as const) {
    const s = str(v[k], MAX_NAME);
    if (s !== undefined) out[k] = s;
  }
  return out;
}

/** The event is about a Secret (its body must never be kept in any form). */
export function isSecretRef(ref: AuditObjectRef): boolean {
  return (ref.apiGroup ?? '') === '' && ref.resource === 'secrets';
}

/** True when the objectRef names something the capture is about. */
export function inScope(ref: AuditObjectRef, scope: AuditScope): boolean {
  const group = ref.apiGroup ?? '';
  if (ref.namespace !== undefined) {
    if (scope.namespaces && !scope.namespaces.has(ref.namespace)) return false;
    if (scope.excludeNamespaces?.has(ref.namespace)) return false;
  }
  if (scope.groups.has(group)) return true;
  if (scope.resources.has(`${group}/${ref.resource}`)) return true;
  return scope.objects.has(objectRefKey(ref));
}

/** Strict RFC 3339 timestamp -> ms (model/time.ts, the one parser), or undefined. At most 64 characters. */
export function parseTime(v: unknown): number | undefined {
  return typeof v === 'string' && v.length <= 64 ? rfc3339Ms(v) : undefined;
}

/**
 * One parsed audit line -> the reduced event, or why it was dropped. Only mutating verbs are kept (the change
 * history); reads are counted as `read-only`.
 */
export function reduceAuditEvent(raw: unknown, scope: AuditScope, window: AuditWindow): ReduceResult {
  if (!isObj(raw) || raw['kind'] !== 'Event' || raw['apiVersion'] !== 'audit.k8s.io/v1') return { ok: false, reason: 'malformed' };
  const auditID = str(raw['auditID'], MAX_NAME);
  const stage = str(raw['stage'], MAX_NAME);
  const verb = str(raw['verb'], MAX_NAME);
  const ts = str(raw['requestReceivedTimestamp'], 64);
  const t = parseTime(ts);
  const u = user(raw['user']);
  if (auditID === undefined || stage === undefined || STAGE_RANK[stage] === undefined || verb === undefined || ts === undefined || t === undefined || u === undefined) {
    return { ok: false, reason: 'malformed' };
  }
  const ref = objectRef(raw['objectRef']);
  if (!MUTATING_VERBS.has(verb)) return { ok: false, reason: 'read-only' };
  if (!ref || !inScope(ref, scope)) return { ok: false, reason: 'out-of-scope' };
  if ((window.since !== undefined && t < window.since) || t > window.until) return { ok: false, reason: 'out-of-window' };
  const event: ReducedAuditEvent = { auditID, stage, requestReceivedTimestamp: ts, verb, user: u, objectRef: ref };
  const imp = user(raw['impersonatedUser']);
  if (imp) event.impersonatedUser = imp;
  const ua = str(raw['userAgent'], MAX_TEXT);
  if (ua !== undefined) event.userAgent = ua;
  if (Array.isArray(raw['sourceIPs'])) {
    const ips = raw['sourceIPs'].map((s) => str(s, 64)).filter((s): s is string => s !== undefined).slice(0, MAX_LIST);
    if (ips.length > 0) event.sourceIPs = ips;
  }
  const status = raw['responseStatus'];
  if (isObj(status) && Number.isInteger(status['code'])) event.responseStatus = { code: status['code'] as number };
  if (!isSecretRef(ref)) {
    const req = bodyDigest(raw['requestObject']);
    if (req !== undefined) event.requestObjectSha256 = req;
    const res = bodyDigest(raw['responseObject']);
    if (res !== undefined) event.responseObjectSha256 = res;
  }
  return { ok: true, event };
}

function bodyDigest(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  try {
    return sha256Hex(canonicalBytes(v));
  } catch {
    return undefined; // not representable as canonical JSON (lone surrogates): no digest rather than a wrong one
  }
}

/** True when `b` is a later stage of the same request than `a` (keep the most complete stage per auditID). */
export function laterStage(a: ReducedAuditEvent, b: ReducedAuditEvent): boolean {
  return (STAGE_RANK[b.stage] ?? -1) > (STAGE_RANK[a.stage] ?? -1);
}

/** Chronological order: requestReceivedTimestamp (as an instant), then auditID. */
export function compareEvents(a: ReducedAuditEvent, b: ReducedAuditEvent): number {
  const d = (parseTime(a.requestReceivedTimestamp) ?? 0) - (parseTime(b.requestReceivedTimestamp) ?? 0);
  if (d !== 0) return d;
  return a.auditID < b.auditID ? -1 : a.auditID > b.auditID ? 1 : a.stage < b.stage ? -1 : a.stage > b.stage ? 1 : 0;
}
