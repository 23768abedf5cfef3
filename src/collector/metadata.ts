import type { ObjectMeta } from '../model/object.ts';
import type { CollectionWarning } from '../model/collection.ts';
import { findKeyMaterialInText } from '../crypto/key-material.ts';

/** Holds a full copy of the object as last applied, Secret data included (evidence-formats.md 1.1, oc inspect). */
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';


/**
 * Keeps name, namespace, uid, resourceVersion, generation, creationTimestamp, labels and annotations,
 * ownerReferences (apiVersion/kind/name/controller) and managedFields reduced to manager/operation/time/
 * subresource (issue 9 owners; fieldsV1 is dropped). Drops selfLink and everything else, the
 * last-applied-configuration annotation on every kind, and any label or annotation whose value carries
 * private-key material (a warning names the key only).
 */
export function reduceMetadata(raw: unknown, source: string, label: string, warnings: CollectionWarning[], allow?: MetadataAllowList): ObjectMeta {
  const m = (raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? raw : {}) as Record<string, unknown>;
  const out: ObjectMeta = { name: typeof m['name'] === 'string' ? m['name'] : '' };
  if (typeof m['namespace'] === 'string' && m['namespace'] !== '') out.namespace = m['namespace'];
  if (typeof m['uid'] === 'string') out.uid = m['uid'];
  if (typeof m['resourceVersion'] === 'string') out.resourceVersion = m['resourceVersion'];
  if (typeof m['generation'] === 'number' && Number.isInteger(m['generation'])) out.generation = m['generation'];
  if (typeof m['creationTimestamp'] === 'string') out.creationTimestamp = m['creationTimestamp'];
  const owners = ownerReferences(m['ownerReferences']);
  if (owners) out.ownerReferences = owners;
  const managers = managedFields(m['managedFields']);
  if (managers) out.managedFields = managers;
  const labels = stringMap(m['labels']);
  const annotations = stringMap(m['annotations']);
  // Dropped on every kind (it holds the whole object as applied), so not named among the Secret drops below.
  if (annotations) delete annotations[LAST_APPLIED];
  if (allow) {
    // Secrets (issue 8 item 1): kapp's `kapp.k14s.io/original` and similar tools keep a whole copy of the
    // object, `data.tls.key` included, in an annotation; a label or annotation may hold a base64 DER key. Only
    // allow-listed keys are kept; the names (never the values) of the dropped ones are recorded.
    const dropped = [...keepOnly(labels, allow.labels, 'label'), ...keepOnly(annotations, allow.annotations, 'annotation')];
    if (dropped.length > 0) {
      warnings.push({
        code: 'SECRET_METADATA_DROPPED',
        message: `${label}: ${dropped.length} label/annotation value(s) not on the Secret allow-list were dropped: ${dropped.join(', ')}`,
        source,
        object: label,
      });
    }
  }
  if (labels) dropKeyMaterial(labels, 'label', 'LABEL_PRIVATE_KEY_DROPPED', source, label, warnings);
  if (labels && Object.keys(labels).length > 0) out.labels = labels;
  if (annotations) {
    delete annotations[LAST_APPLIED];
    dropKeyMaterial(annotations, 'annotation', 'ANNOTATION_PRIVATE_KEY_DROPPED', source, label, warnings);
    if (Object.keys(annotations).length > 0) out.annotations = annotations;
  }
  return out;
}

/**
 * Labels and annotations carry no routing meaning, so a value holding private-key material (any form the
 * structural detector knows: PEM, base64/hex DER, base64 PEM, JWK, OpenSSH, PuTTY) is dropped with a warning
 * naming the key, never the value (issue 8 item 4). Key material anywhere else stops the capture.
 */
function dropKeyMaterial(map: Record<string, string>, kind: string, code: string, source: string, label: string, warnings: CollectionWarning[]): void {
  for (const [k, v] of Object.entries(map)) {
    const form = findKeyMaterialInText(v);
    if (form === undefined) continue;
    delete map[k];
    warnings.push({ code, message: `${label}: ${kind} "${k}" holds ${form}; it was dropped`, source, object: label });
  }
}

/** Label and annotation keys whose values are kept (exact match); everything else is dropped by name. */
export interface MetadataAllowList {
  labels: ReadonlySet<string>;
  annotations: ReadonlySet<string>;
}

/** Deletes the members of `map` not in `allowed`; returns `kind "key"` for each one dropped, sorted. */
function keepOnly(map: Record<string, string> | undefined, allowed: ReadonlySet<string>, kind: string): string[] {
  if (!map) return [];
  const dropped: string[] = [];
  for (const k of Object.keys(map)) {
    if (allowed.has(k)) continue;
    delete map[k];
    dropped.push(`${kind} ${JSON.stringify(k)}`);
  }
  return dropped.sort();
}

function stringMap(v: unknown): Record<string, string> | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
    if (typeof val === 'string') out[k] = val;
    else if (val !== null && val !== undefined) out[k] = String(val);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

const short = (v: unknown, max = 253): string | undefined => (typeof v === 'string' && v !== '' && v.length <= max ? v : undefined);

function ownerReferences(v: unknown): ObjectMeta['ownerReferences'] {
  if (!Array.isArray(v)) return undefined;
  const out: NonNullable<ObjectMeta['ownerReferences']> = [];
  for (const r of v) {
    if (r === null || typeof r !== 'object') continue;
    const o = r as Record<string, unknown>;
    const apiVersion = short(o['apiVersion']);
    const kind = short(o['kind']);
    const name = short(o['name']);
    if (!apiVersion || !kind || !name) continue;
    out.push({ apiVersion, kind, name, ...(o['controller'] === true ? { controller: true } : {}) });
  }
  return out.length > 0 ? out : undefined;
}

/** managedFields -> {manager, operation, time, subresource}, sorted (manager, operation, subresource, time). */
function managedFields(v: unknown): ObjectMeta['managedFields'] {
  if (!Array.isArray(v)) return undefined;
  const out: NonNullable<ObjectMeta['managedFields']> = [];
  for (const r of v) {
    if (r === null || typeof r !== 'object') continue;
    const o = r as Record<string, unknown>;
    const manager = short(o['manager'], 1024);
    if (!manager) continue;
    const e: NonNullable<ObjectMeta['managedFields']>[number] = { manager };
    const operation = short(o['operation'], 64);
    if (operation) e.operation = operation;
    const time = short(o['time'], 64);
    if (time) e.time = time;
    const sub = short(o['subresource']);
    if (sub) e.subresource = sub;
    out.push(e);
  }
  const key = (e: NonNullable<ObjectMeta['managedFields']>[number]): string => [e.manager, e.operation ?? '', e.subresource ?? '', e.time ?? ''].join('\u0000');
  out.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return out.length > 0 ? out : undefined;
}
