/** Pattern matching used by policies: name globs and Gateway API hostname patterns. Pure. */

/** `*` matches any run of characters (including none); everything else is literal. Case-sensitive. */
export function globMatch(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return pattern === value;
  const re = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
  return re.test(value);
}

/**
 * Whether two hostname patterns can both match some concrete hostname. Patterns use Gateway API syntax:
 * an exact name, `*.suffix` (one or more leading labels, GEP-1754 / Listener.hostname) or `*` (any).
 * Comparison is case-insensitive (DNS).
 */
export function hostnamesIntersect(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === '*' || y === '*') return true;
  const xw = x.startsWith('*.');
  const yw = y.startsWith('*.');
  if (xw && yw) {
    const xs = x.slice(1);
    const ys = y.slice(1);
    return xs.endsWith(ys) || ys.endsWith(xs);
  }
  if (xw) return y.endsWith(x.slice(1)) && y.length > x.length - 1;
  if (yw) return x.endsWith(y.slice(1)) && x.length > y.length - 1;
  return x === y;
}
