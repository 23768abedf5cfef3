import type { ObjectMeta } from '../model/object.ts';
import type { CollectionWarning } from '../model/collection.ts';
import { findKeyMaterialInText } from '../crypto/key-material.ts';

/** Holds a full copy of the object as last applied, Secret data included (evidence-formats.md 1.1, oc inspect). */
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';


/**
 * Keeps name, namespace, uid, resourceVersion, generation, creationTimestamp, labels and annotations.
 * Drops managedFields, selfLink and everything else, the last-applied-configuration annotation on every
 * kind, and any label or annotation whose value carries private-key material (a warning names the key only).
 */
export function reduceMetadata(raw: unknown, source: string, label: string, warnings: CollectionWarning[], allow?: MetadataAllowList): ObjectMeta {
  const m = (raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? raw : {}) as Record<string, unknown>;
  const out: ObjectMeta = { name: typeof m['name'] === 'string' ? m['name'] : '' };
  if (typeof m['namespace'] === 'string' && m['namespace'] !== '') out.namespace = m['namespace'];
  if (typeof m['uid'] === 'string') out.uid = m['uid'];
  if (typeof m['resourceVersion'] === 'string') out.resourceVersion = m['resourceVersion'];
  if (typeof m['generation'] === 'number' && Number.isInteger(m['generation'])) out.generation = m['generation'];
  if (typeof m['creationTimestamp'] === 'string') out.creationTimestamp = m['creationTimestamp'];
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
