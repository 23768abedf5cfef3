/** Path rules of bundle format v1 (docs/bundle-format.md §1.4). */

export const PATH_CHARSET = /^[a-z0-9._/-]+$/;
export const MAX_PATH_BYTES = 240;
export const MAX_PATH_DEPTH = 16;
const SEGMENT = /^[a-z0-9._-]+$/;

/** Why `path` (relative to the bag root) is not a valid bundle path, or undefined when it is. */
export function pathProblem(path: string): string | undefined {
  if (path.length === 0) return 'expected a non-empty path';
  if (!PATH_CHARSET.test(path)) return `expected only [a-z0-9._/-] in ${JSON.stringify(path)}`;
  if (path.startsWith('/')) return `expected a relative path, found ${JSON.stringify(path)}`;
  if (path.length > MAX_PATH_BYTES) return `expected at most ${MAX_PATH_BYTES} bytes, found ${path.length} in ${JSON.stringify(path)}`;
  const segs = path.split('/');
  if (segs.length > MAX_PATH_DEPTH) return `expected at most ${MAX_PATH_DEPTH} segments, found ${segs.length} in ${JSON.stringify(path)}`;
  for (const s of segs) {
    if (s === '' || s === '.' || s === '..') return `expected no empty, "." or ".." segment in ${JSON.stringify(path)}`;
  }
  return undefined;
}

/** A path segment for an arbitrary name: the name itself when safe, else `_h` + 32 hex of its SHA-256. */
export function safeSegment(name: string, hashHex: (s: string) => string): string {
  if (SEGMENT.test(name) && name !== '.' && name !== '..' && name.length <= 100 && !name.startsWith('_h')) return name;
  return hashedSegment(name, hashHex);
}

/** `_h` + the first 32 hex digits of SHA-256 of `name` (a name starting with `_h` is always hashed: no clash). */
export function hashedSegment(name: string, hashHex: (s: string) => string): string {
  return `_h${hashHex(name).slice(0, 32)}`;
}

/** Conformance report file names: lower-case, runs outside [a-z0-9._-] -> "-", no leading "." or "-". */
export function sanitizeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  let s = base.toLowerCase().replace(/[^a-z0-9._-]+/g, '-');
  if (s === '' || s === '.' || s === '..') s = 'report';
  if (s.startsWith('.') || s.startsWith('-')) s = `_${s.slice(1)}`;
  if (s.length > 80) s = s.slice(0, 80);
  return s;
}
