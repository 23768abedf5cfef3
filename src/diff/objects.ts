/**
 * Object-level diff: added, removed and modified objects with a field-level diff (JSONPath per change)
 * that ignores bookkeeping the API server rewrites on every write.
 */
import { compareStrings, refKey, refOf, type KubeObject } from '../model/object.ts';
import type { FieldChange, ObjectChange, ObjectId, ObjectsDiff } from './types.ts';
import { parsedBytesOf } from '../bundle/layout.ts';
import { listMemo } from './memo.ts';

/**
 * Paths ignored by default. `*` matches one key or index, `**` any depth (including zero).
 * - metadata.resourceVersion / generation / uid / managedFields: rewritten by the API server on every write
 *   (a recreated object shows up through its spec and creationTimestamp instead of its uid).
 * - status.**.lastTransitionTime / observedGeneration: controller timestamps, not meaning.
 */
export const DEFAULT_IGNORED_PATHS: readonly string[] = [
  'metadata.resourceVersion',
  'metadata.generation',
  'metadata.uid',
  'metadata.managedFields',
  'metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration',
  'status.**.lastTransitionTime',
  'status.**.observedGeneration',
];

type Pattern = string[];

function compilePatterns(paths: readonly string[]): Pattern[] {
  // Segments are separated by dots; a literal dot inside a key is written `\.`.
  return paths.map((p) => p.split(/(?<!\\)\./).map((s) => s.replaceAll('\\.', '.')));
}

function matches(pattern: Pattern, path: readonly string[], pi = 0, si = 0): boolean {
  if (pi === pattern.length) return si === path.length;
  const seg = pattern[pi]!;
  if (seg === '**') {
    for (let k = si; k <= path.length; k++) if (matches(pattern, path, pi + 1, k)) return true;
    return false;
  }
  if (si === path.length) return false;
  return (seg === '*' || seg === path[si]) && matches(pattern, path, pi + 1, si + 1);
}

/** Renders a path of keys as JSONPath: `$.spec.rules[0].weight`, `$.metadata.labels['a.b/c']`, `$.x[?(@.name=='https')]`. */
export function jsonPath(segments: readonly PathSegment[]): string {
  let out = '$';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (typeof s === 'object') out += `[?(@.${s.key}==${JSON.stringify(s.value).replaceAll('"', "'")})]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(s)) out += `.${s}`;
    else out += `['${s.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}']`;
  }
  return out;
}

/** A path segment: object key, array index, or a keyed array element (matched by `name` or `type`). */
export type PathSegment = string | number | { key: string; value: string };

function segName(s: PathSegment): string {
  return typeof s === 'number' ? String(s) : typeof s === 'object' ? s.value : s;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/**
 * Arrays whose elements are all objects with a unique string `name` (listeners, ports, rules with names)
 * or `type` (conditions) are matched by that key so that a reorder or an insertion is not reported as a
 * change of every later element.
 */
function arrayKey(a: unknown[], b: unknown[]): string | undefined {
  for (const key of ['name', 'type']) {
    const ok = (arr: unknown[]): boolean => {
      const seen = new Set<string>();
      for (const e of arr) {
        if (!isPlainObject(e) || typeof e[key] !== 'string' || seen.has(e[key] as string)) return false;
        seen.add(e[key] as string);
      }
      return true;
    };
    if ((a.length > 0 || b.length > 0) && ok(a) && ok(b)) return key;
  }
  return undefined;
}

/** Deep structural diff of two JSON values. Pure; appends to `out`. */
export function diffValues(
  oldV: unknown,
  newV: unknown,
  path: PathSegment[],
  out: FieldChange[],
  ignored: readonly Pattern[] = compilePatterns(DEFAULT_IGNORED_PATHS),
): void {
  if (oldV === newV) return; // identical primitives (or the same reference): nothing to report
  const names = path.map(segName);
  if (ignored.some((p) => matches(p, names))) return;
  if (oldV === undefined && newV === undefined) return;
  if (oldV === undefined) {
    out.push({ path: jsonPath(path), op: 'added', new: newV });
    return;
  }
  if (newV === undefined) {
    out.push({ path: jsonPath(path), op: 'removed', old: oldV });
    return;
  }
  if (isPlainObject(oldV) && isPlainObject(newV)) {
    const keys = [...new Set([...Object.keys(oldV), ...Object.keys(newV)])].sort(compareStrings);
    for (const k of keys) diffValues(oldV[k], newV[k], [...path, k], out, ignored);
    return;
  }
  if (Array.isArray(oldV) && Array.isArray(newV)) {
    const key = arrayKey(oldV, newV);
    if (key !== undefined) {
      const byKey = (arr: unknown[]): Map<string, unknown> => new Map(arr.map((e) => [(e as Record<string, string>)[key]!, e]));
      const o = byKey(oldV);
      const n = byKey(newV);
      const order = [...new Set([...n.keys(), ...o.keys()])];
      for (const k of order) diffValues(o.get(k), n.get(k), [...path, { key, value: k }], out, ignored);
      const oldOrder = oldV.map((e) => (e as Record<string, string>)[key]).filter((k) => n.has(k!));
      const newOrder = newV.map((e) => (e as Record<string, string>)[key]).filter((k) => o.has(k!));
      if (oldOrder.join('\u0000') !== newOrder.join('\u0000')) {
        out.push({ path: jsonPath(path), op: 'changed', old: oldOrder, new: newOrder });
      }
      return;
    }
    const len = Math.max(oldV.length, newV.length);
    for (let i = 0; i < len; i++) diffValues(oldV[i], newV[i], [...path, i], out, ignored);
    return;
  }
  if (oldV instanceof Uint8Array || newV instanceof Uint8Array) {
    if (!(oldV instanceof Uint8Array && newV instanceof Uint8Array && bytesEqual(oldV, newV))) {
      out.push({ path: jsonPath(path), op: 'changed', old: '<bytes>', new: '<bytes>' });
    }
    return;
  }
  if (oldV !== newV) out.push({ path: jsonPath(path), op: 'changed', old: oldV, new: newV });
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  return a !== undefined && b !== undefined && bytesEqual(a, b);
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);
}

export function objectId(obj: KubeObject): ObjectId {
  const id: ObjectId = { ref: refKey(refOf(obj)), apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name };
  if (obj.metadata.namespace !== undefined) id.namespace = obj.metadata.namespace;
  return id;
}

export interface ObjectsDiffOptions {
  /** Extra dotted paths to ignore (same pattern syntax as DEFAULT_IGNORED_PATHS). */
  ignorePaths?: readonly string[];
  /** Replace the default ignore list instead of extending it. */
  replaceDefaultIgnores?: boolean;
}

/**
 * The objects of a list by refKey (the last one of a ref wins, as `new Map(entries)`), once per list read from a
 * bundle (memo.ts): a chain compares each capture with the one before and the one after it (issue 13).
 */
const byRefOf = listMemo((objs) => new Map(objs.map((x) => [refKey(refOf(x)), x])));

/** Objects are matched by refKey (group, kind, namespace, name): a version bump of the same kind is a modification. */
export function diffObjects(oldObjs: readonly KubeObject[], newObjs: readonly KubeObject[], opts: ObjectsDiffOptions = {}): ObjectsDiff {
  const ignored = compilePatterns([...(opts.replaceDefaultIgnores ? [] : DEFAULT_IGNORED_PATHS), ...(opts.ignorePaths ?? [])]);
  const o = byRefOf(oldObjs);
  const n = byRefOf(newObjs);
  const added: ObjectId[] = [];
  const removed: ObjectId[] = [];
  const modified: ObjectChange[] = [];
  for (const [k, nv] of n) {
    const ov = o.get(k);
    if (ov === undefined) {
      added.push(objectId(nv));
      continue;
    }
    // Fast paths: objects parsed from the same bytes are equal (no re-serialisation, issue 13); else the same JSON
    // (objects from bundles are canonical, keys in the same order) has no changes.
    if (sameBytes(parsedBytesOf(ov), parsedBytesOf(nv))) continue;
    if (JSON.stringify(ov) === JSON.stringify(nv)) continue;
    const changes: FieldChange[] = [];
    const { apiVersion: oa, ...oRest } = ov;
    const { apiVersion: na, ...nRest } = nv;
    diffValues(oRest, nRest, [], changes, ignored);
    if (changes.length > 0 || oa !== na) {
      const c: ObjectChange = { ...objectId(nv), changes: changes.sort((a, b) => compareStrings(a.path, b.path)) };
      if (oa !== na) c.oldApiVersion = oa;
      modified.push(c);
    }
  }
  for (const [k, ov] of o) if (!n.has(k)) removed.push(objectId(ov));
  const byRef = (a: ObjectId, b: ObjectId): number => compareStrings(a.ref, b.ref);
  return { added: added.sort(byRef), removed: removed.sort(byRef), modified: modified.sort(byRef) };
}
