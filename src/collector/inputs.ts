import { readFile, readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { createHash } from 'node:crypto';
import { InputError, UsageError } from '../errors.ts';
import type { CollectionSource } from '../model/collection.ts';
import { parseManifestFile } from './parse.ts';

/** One object read from an input, with where it came from (for error messages naming both sources). */
export interface RawObject {
  object: Record<string, unknown>;
  /** `file.yaml#3` (document index, 1-based) or `file.json#items[4]`. */
  source: string;
}

/** A file that is kept byte for byte (a ConformanceReport). */
export interface RawFile {
  name: string;
  path: string;
  bytes: Uint8Array;
}

export interface InputSet {
  objects: RawObject[];
  conformanceReports: RawFile[];
  sources: CollectionSource[];
  /**
   * Documents that are not Kubernetes objects (no string apiVersion/kind, e.g. a kustomization.yaml in a CRD
   * bundle): skipped, counted and named in the collection record, never silently dropped.
   */
  skippedDocuments?: Array<{ source: string; reason: string }>;
}

const MANIFEST_EXT = /\.(ya?ml|json)$/i;

/**
 * Reads `kubectl get -o json|yaml` output (List kinds), multi-document YAML, single objects, directories
 * (walked recursively, sorted, only .yaml/.yml/.json files) and `-` (stdin), in any mix.
 * ConformanceReport documents are returned as files, byte for byte.
 * @throws InputError naming the file (and document) that cannot be read or parsed.
 */
export async function readInputs(
  paths: readonly string[],
  opts: { cwd: string; readStdin: () => Promise<Uint8Array> },
): Promise<InputSet> {
  const out: InputSet = { objects: [], conformanceReports: [], sources: [] };
  const stdinCount = paths.filter((p) => p === '-').length;
  if (stdinCount > 1) {
    // stdin can be read once; a second `-` would silently be an empty input.
    throw new UsageError(`collect: expected "-" (stdin) at most once among the inputs, found it ${stdinCount} times`);
  }
  for (const p of paths) {
    if (p === '-') {
      addFile(out, '-', '-', await opts.readStdin());
      continue;
    }
    const abs = isAbsolute(p) ? p : join(opts.cwd, p);
    let st;
    try {
      st = await stat(abs);
    } catch (e) {
      throw new InputError('INPUT_UNREADABLE', `cannot read input "${p}": ${(e as Error).message}`, { file: p, cause: e });
    }
    if (st.isDirectory()) {
      const files = await walk(abs);
      if (files.length === 0) {
        throw new InputError('INPUT_INVALID', `input directory "${p}": expected Kubernetes manifests (.yaml, .yml or .json files, searched recursively), found none`, { file: p });
      }
      for (const f of files) {
        const display = join(p, relative(abs, f));
        addFile(out, display, f, new Uint8Array(await readFile(f)));
      }
    } else {
      addFile(out, p, abs, new Uint8Array(await readFile(abs)));
    }
  }
  return out;
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const e of entries) {
    const full = join(dir, e.name);
    if (e.isDirectory()) files.push(...(await walk(full)));
    else if (MANIFEST_EXT.test(e.name) && (e.isFile() || (e.isSymbolicLink() && (await isFile(full))))) files.push(full);
    // Symlinked directories are not followed (no loops); other files are not manifests.
  }
  return files;
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false; // a dangling link
  }
}

function addFile(out: InputSet, display: string, path: string, bytes: Uint8Array): void {
  out.sources.push({ name: display, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length });
  const docs = parseManifestFile(display, bytes);
  const reports = docs.filter((d) => d.value && d.value['kind'] === 'ConformanceReport');
  if (reports.length > 0) {
    if (docs.length !== 1) {
      throw new InputError('INPUT_INVALID', `"${display}": a ConformanceReport must be the only document in its file (kept byte for byte), found ${docs.length} documents`, { file: display });
    }
    out.conformanceReports.push({ name: basename(display), path, bytes });
    return;
  }
  for (const d of docs) {
    if (d.value === null) continue;
    flatten(out, d.value, `${display}${docs.length > 1 ? `#${d.index}` : ''}`);
  }
}

function basename(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return i < 0 ? p : p.slice(i + 1);
}

function flatten(out: InputSet, obj: Record<string, unknown>, source: string): void {
  const kind = obj['kind'];
  const items = obj['items'];
  // `kubectl get -o json|yaml` returns `kind: List` (or `<Kind>List`) with items.
  if (typeof kind === 'string' && (kind === 'List' || kind.endsWith('List')) && Array.isArray(items)) {
    items.forEach((it, i) => {
      if (it === null || typeof it !== 'object' || Array.isArray(it)) {
        throw new InputError('INPUT_INVALID', `"${source}" items[${i}]: expected a Kubernetes object, found ${it === null ? 'null' : typeof it}`, { file: source });
      }
      const item = it as Record<string, unknown>;
      // Typed lists (HTTPRouteList) may omit apiVersion/kind on items: inherit them.
      if (item['kind'] === undefined && kind !== 'List') item['kind'] = kind.slice(0, -4);
      if (item['apiVersion'] === undefined && typeof obj['apiVersion'] === 'string') item['apiVersion'] = obj['apiVersion'];
      flatten(out, item, `${source}#items[${i}]`);
    });
    return;
  }
  if (kind === undefined && obj['apiVersion'] === undefined) {
    // Neither apiVersion nor kind: not a Kubernetes object at all (e.g. the kustomization.yaml that ends every
    // upstream experimental CRD bundle). Skipped, counted and named, never silently. A document with one of the
    // two (or a non-string one) is a broken manifest instead, and stays an error below.
    (out.skippedDocuments ??= []).push({
      source,
      reason: `not a Kubernetes object (no apiVersion and no kind; top-level keys: ${Object.keys(obj).slice(0, 5).join(', ') || 'none'})`,
    });
    return;
  }
  if (typeof kind !== 'string' || typeof obj['apiVersion'] !== 'string') {
    throw new InputError('INPUT_INVALID', `"${source}": expected a Kubernetes object with string apiVersion and kind, found apiVersion=${JSON.stringify(obj['apiVersion'])} kind=${JSON.stringify(kind)}`, { file: source });
  }
  out.objects.push({ object: obj, source });
}
