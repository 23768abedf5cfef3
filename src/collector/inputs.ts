import { readdir, realpath, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { isAbsolute, join, normalize as normalizePath, relative, sep } from 'node:path';
import { createHash } from 'node:crypto';
import { InputError, UsageError } from '../errors.ts';
import type { CollectionSource } from '../model/collection.ts';
import { parseManifestFile } from './parse.ts';
import { DEFAULT_MAX_INPUT_BYTES, readStatted } from '../io/read.ts';
import { fileTypeName } from '../io/atomic.ts';

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
  /**
   * Entries of a walked directory that look like manifests but could not be read: dangling or looping
   * symbolic links, FIFOs, devices, sockets (issue 8 item 12). Recorded as gaps (the capture is partial),
   * never skipped silently.
   */
  skippedSources?: Array<{ source: string; reason: string }>;
}

/**
 * An input path as recorded in the bundle (issue 8 item 20): as given, normalised (`./a//b` -> `a/b`, `/`
 * separators); an absolute path inside the working directory becomes relative to it, so the same inputs give
 * the same collection record (and bundle) whichever directory the command runs in. Other absolute paths stay
 * as given.
 */
export function displayPath(p: string, cwd: string): string {
  let out = p;
  if (isAbsolute(p)) {
    const rel = relative(cwd, p);
    if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) out = rel;
  }
  out = normalizePath(out);
  return sep === '/' ? out : out.split(sep).join('/');
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
  opts: { cwd: string; readStdin: (maxBytes?: number) => Promise<Uint8Array>; maxInputBytes?: number },
): Promise<InputSet> {
  // Issue 8 item 13: every input (file, FIFO, stdin) is capped before it is read (`--max-input-bytes`).
  const limits = { maxBytes: opts.maxInputBytes ?? DEFAULT_MAX_INPUT_BYTES, capFlag: '--max-input-bytes' };
  const out: InputSet = { objects: [], conformanceReports: [], sources: [] };
  const stdinCount = paths.filter((p) => p === '-').length;
  if (stdinCount > 1) {
    // stdin can be read once; a second `-` would silently be an empty input.
    throw new UsageError(`collect: expected "-" (stdin) at most once among the inputs, found it ${stdinCount} times`);
  }
  for (const p of paths) {
    if (p === '-') {
      const bytes = await opts.readStdin(limits.maxBytes);
      if (bytes.length > limits.maxBytes) throw new InputError('INPUT_TOO_LARGE', `cannot read input "-" (stdin): expected at most ${limits.maxBytes} bytes, found ${bytes.length} (raise the cap with --max-input-bytes)`, { file: '-' });
      addFile(out, '-', bytes);
      continue;
    }
    const abs = isAbsolute(p) ? p : join(opts.cwd, p);
    const shown = displayPath(p, opts.cwd);
    let st;
    try {
      st = await stat(abs);
    } catch (e) {
      throw new InputError('INPUT_UNREADABLE', `cannot read input "${p}": ${(e as Error).message}`, { file: p, cause: e });
    }
    if (st.isDirectory()) {
      const skipped: WalkSkip[] = [];
      const files = await walk(abs, [await realpath(abs)], skipped);
      for (const s of skipped) (out.skippedSources ??= []).push({ source: displayPath(join(shown, relative(abs, s.path)), opts.cwd), reason: s.reason });
      if (files.length === 0) {
        throw new InputError('INPUT_INVALID', `input directory "${p}": expected Kubernetes manifests (.yaml, .yml or .json files, searched recursively), found none${skipped.length > 0 ? ` that could be read (${skipped.length} skipped: ${skipped.slice(0, 3).map((s) => `${relative(abs, s.path)}: ${s.reason}`).join('; ')})` : ''}`, { file: p });
      }
      for (const f of files) {
        const display = displayPath(join(shown, relative(abs, f.path)), opts.cwd);
        addFile(out, display, await readStatted(f.path, f.stats, display, 'input', limits));
      }
    } else {
      addFile(out, shown, await readStatted(abs, st, p, 'input', limits));
    }
  }
  return out;
}

interface WalkSkip {
  path: string;
  reason: string;
}

/**
 * Manifest files under `dir`, sorted, recursively. Symbolic links are followed (to files and directories);
 * a link back to a directory being walked is a loop and is skipped. Every entry that cannot be read as a
 * manifest although it is named like one (dangling or looping link, FIFO, device, socket) and every
 * directory loop goes into `skipped` (issue 8 item 12). Other files are not manifests and are ignored.
 */
async function walk(dir: string, ancestors: string[], skipped: WalkSkip[]): Promise<Array<{ path: string; stats: Stats }>> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: Array<{ path: string; stats: Stats }> = [];
  for (const e of entries) {
    const full = join(dir, e.name);
    let st: Stats;
    try {
      st = await stat(full); // follows a symbolic link
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (e.isSymbolicLink() || MANIFEST_EXT.test(e.name)) {
        skipped.push({ path: full, reason: code === 'ELOOP' ? 'a symbolic link loop; not read' : code === 'ENOENT' ? 'a dangling symbolic link (its target does not exist); not read' : `cannot be read (${code ?? String(err)})` });
      }
      continue;
    }
    if (st.isDirectory()) {
      const real = await realpath(full).catch(() => full);
      if (ancestors.includes(real)) {
        skipped.push({ path: full, reason: 'a symbolic link to a directory that contains it (a loop); not followed' });
        continue;
      }
      files.push(...(await walk(full, [...ancestors, real], skipped)));
    } else if (MANIFEST_EXT.test(e.name)) {
      if (st.isFile()) files.push({ path: full, stats: st });
      else skipped.push({ path: full, reason: `${fileTypeName(st)}, not a regular file; not read` });
    }
  }
  return files;
}

function addFile(out: InputSet, display: string, bytes: Uint8Array): void {
  out.sources.push({ name: display, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length });
  const docs = parseManifestFile(display, bytes);
  const reports = docs.filter((d) => d.value && d.value['kind'] === 'ConformanceReport');
  if (reports.length > 0) {
    if (docs.length !== 1) {
      throw new InputError('INPUT_INVALID', `"${display}": a ConformanceReport must be the only document in its file (kept byte for byte), found ${docs.length} documents`, { file: display });
    }
    // `path` as recorded (the display path, issue 8 item 20): it appears in warnings in collection.json.
    out.conformanceReports.push({ name: basename(display), path: display, bytes });
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
