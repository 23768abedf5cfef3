/**
 * Hostname intersection between a listener hostname and a route hostname
 * (site/content/en/docs/concepts/hostnames.md; apis/v1/shared_types.go `Hostname`).
 * A missing hostname on either side is the wildcard `*` (matches anything).
 */

/** Lower-cases and maps undefined/empty to `*`. */
export function normalizeHostname(h: string | undefined | null): string {
  if (h === undefined || h === null || h === '') return '*';
  return h.toLowerCase();
}

/**
 * `*.example.com` matches ONE OR MORE labels to the left (a.example.com and a.b.example.com, not
 * example.com). This differs from RFC 2818 certificate wildcards (one label).
 */
export function wildcardMatches(wildcard: string, host: string): boolean {
  if (!wildcard.startsWith('*.')) return wildcard === host;
  const suffix = wildcard.slice(1); // ".example.com"
  return host.length > suffix.length && host.endsWith(suffix);
}

/**
 * The effective hostname when listener hostname `l` and route hostname `r` intersect, else undefined.
 * Precise/precise: equal. Wildcard/precise: the precise one if the wildcard matches it. Wildcard/wildcard:
 * the more specific one when one suffix covers the other. `*` and anything: the other side.
 */
export function intersectHostnames(listener: string | undefined, route: string | undefined): string | undefined {
  const l = normalizeHostname(listener);
  const r = normalizeHostname(route);
  if (l === '*') return r;
  if (r === '*') return l;
  const lw = l.startsWith('*.');
  const rw = r.startsWith('*.');
  if (!lw && !rw) return l === r ? l : undefined;
  if (lw && !rw) return wildcardMatches(l, r) ? r : undefined;
  if (!lw && rw) return wildcardMatches(r, l) ? l : undefined;
  if (l === r) return l;
  // both wildcards: *.foo.example.com is inside *.example.com
  if (wildcardMatches(r, l.slice(2))) return l;
  if (wildcardMatches(l, r.slice(2))) return r;
  return undefined;
}

/**
 * Effective hostnames of a route on a listener: every non-empty intersection of the listener hostname with
 * each route hostname (a route without hostnames counts as `*`). Sorted, de-duplicated; [] = no intersection.
 */
export function effectiveHostnames(listenerHostname: string | undefined, routeHostnames: readonly string[]): string[] {
  if (routeHostnames.length === 1) {
    const x = intersectHostnames(listenerHostname, routeHostnames[0]!);
    return x === undefined ? [] : [x];
  }
  const out = new Set<string>();
  if (routeHostnames.length === 0) {
    out.add(normalizeHostname(listenerHostname));
  } else {
    for (const h of routeHostnames) {
      const x = intersectHostnames(listenerHostname, h);
      if (x !== undefined) out.add(x);
    }
  }
  return [...out].sort();
}

/** `a.b.c` -> [`b.c`, `c`]: every proper dot-suffix. */
function properSuffixes(h: string): string[] {
  const out: string[] = [];
  for (let i = h.indexOf('.'); i !== -1; i = h.indexOf('.', i + 1)) out.push(h.slice(i + 1));
  return out;
}

/**
 * A set of (normalised) hostnames that answers "does hostname h intersect any member?" (the same relation as
 * `intersectHostnames`) in O(labels of h), without scanning the members: exact names and the proper suffixes of
 * exact names, wildcard bases (`*.x` -> `x`) and the proper suffixes of wildcard bases are kept in hash sets.
 */
export class HostnameSet {
  private any = false;
  private size = 0;
  private readonly exact = new Set<string>();
  private readonly exactSuffixes = new Set<string>();
  private readonly wild = new Set<string>();
  private readonly wildSuffixes = new Set<string>();

  add(hostname: string): void {
    const h = normalizeHostname(hostname);
    this.size++;
    if (h === '*') this.any = true;
    else if (h.startsWith('*.')) {
      const base = h.slice(2);
      this.wild.add(base);
      for (const s of properSuffixes(base)) this.wildSuffixes.add(s);
    } else {
      this.exact.add(h);
      for (const s of properSuffixes(h)) this.exactSuffixes.add(s);
    }
  }

  /** True when `hostname` intersects at least one member (`intersectHostnames(member, hostname) !== undefined`). */
  intersects(hostname: string): boolean {
    if (this.size === 0) return false;
    const h = normalizeHostname(hostname);
    if (this.any || h === '*') return true;
    if (h.startsWith('*.')) {
      const base = h.slice(2);
      // an exact member under *.base; a wildcard member equal to, inside, or covering *.base
      if (this.exactSuffixes.has(base) || this.wild.has(base) || this.wildSuffixes.has(base)) return true;
      return properSuffixes(base).some((s) => this.wild.has(s));
    }
    return this.exact.has(h) || properSuffixes(h).some((s) => this.wild.has(s));
  }
}
