/**
 * DNS cross-checks (issue 9): the recorded DNS against the recomputed routing table. Pure. Every finding names
 * the record and the listener. A Gateway's addresses are its recorded status.addresses (IPs or hostnames); a
 * listener is public when its Gateway has an address outside the private, loopback, link-local and CGNAT ranges.
 *   DNS_HOSTNAME_NO_RECORD      a hostname served on a public listener has no record
 *   DNS_HOSTNAME_OTHER_GATEWAY  a served hostname resolves to another Gateway of the bundle
 *   DNS_ADDRESS_UNOWNED         a served hostname resolves to an address no Gateway in the bundle owns
 *   DNS_NAME_DANGLING           a name points at a Gateway address but no listener or route of it serves it
 *                               (subdomain takeover and misdirection risk)
 *   DNS_WILDCARD_UNROUTED       a name under a wildcard listener hostname that no route on that listener serves
 */
import type { Finding } from '../model/finding.ts';
import { compareStrings } from '../model/object.ts';
import type { DnsRecord } from '../model/operational.ts';
import type { Resolution, RoutingEntry } from '../resolve/types.ts';

const ADDRESS_TYPES = new Set(['A', 'AAAA']);
const ALIAS_TYPES = new Set(['CNAME', 'ALIAS']);
const MAX_CHAIN = 16;

/** Result of following a name through the export. */
export interface NameResolution {
  /** Some record exists for the name (directly or through a DNS wildcard). */
  found: boolean;
  /** Names visited, the queried name first (CNAME/ALIAS chain). */
  chain: string[];
  /** A/AAAA values at the end of the chain. */
  addresses: string[];
}

/** RFC 4592, simplified: an exact owner name wins; else the closest enclosing `*.` owner. */
function recordsFor(name: string, byName: ReadonlyMap<string, DnsRecord[]>): DnsRecord[] {
  const exact = byName.get(name);
  if (exact) return exact;
  const labels = name.split('.');
  for (let i = 1; i < labels.length; i++) {
    const wild = byName.get(`*.${labels.slice(i).join('.')}`);
    if (wild) return wild;
  }
  return [];
}

export function indexRecords(records: readonly DnsRecord[]): Map<string, DnsRecord[]> {
  const m = new Map<string, DnsRecord[]>();
  for (const r of records) {
    const list = m.get(r.name) ?? [];
    list.push(r);
    m.set(r.name, list);
  }
  return m;
}

/** Follows CNAME/ALIAS records within the export (loops and chains longer than 16 stop). */
export function resolveName(name: string, byName: ReadonlyMap<string, DnsRecord[]>): NameResolution {
  const chain: string[] = [];
  const addresses = new Set<string>();
  let found = false;
  const visit = (n: string, depth: number): void => {
    if (chain.includes(n) || depth > MAX_CHAIN) return;
    chain.push(n);
    const rs = recordsFor(n, byName);
    if (rs.length > 0) found = true;
    for (const r of rs) {
      if (ADDRESS_TYPES.has(r.type)) addresses.add(r.value);
      else if (ALIAS_TYPES.has(r.type)) visit(r.value, depth + 1);
    }
  };
  visit(name.toLowerCase(), 0);
  return { found, chain, addresses: [...addresses].sort(compareStrings) };
}

/** Gateway API hostname match (listener/route hostnames; `*.x` matches one or more labels before x; `*` matches all). */
export function hostnameMatches(pattern: string, name: string): boolean {
  const p = pattern.toLowerCase();
  const n = name.toLowerCase();
  if (p === '*') return true;
  if (p.startsWith('*.')) {
    const suffix = p.slice(1); // ".example.com"
    if (n.startsWith('*.')) return n.slice(1).endsWith(suffix);
    return n.endsWith(suffix) && n.length > suffix.length;
  }
  return p === n;
}

/** Private, loopback, link-local, CGNAT and unique-local ranges (RFC 1918, 6598, 3927, 4193, 4291). */
export function isPrivateAddress(a: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(a);
  if (v4) {
    const [x, y] = [Number(v4[1]), Number(v4[2])];
    return x === 10 || x === 127 || (x === 172 && y >= 16 && y <= 31) || (x === 192 && y === 168) || (x === 169 && y === 254) || (x === 100 && y >= 64 && y <= 127) || x === 0;
  }
  const l = a.toLowerCase();
  if (l.includes(':')) return l === '::1' || l.startsWith('fc') || l.startsWith('fd') || l.startsWith('fe8') || l.startsWith('fe9') || l.startsWith('fea') || l.startsWith('feb');
  return false; // a hostname address (load balancer name): treated as public
}

const gwKey = (e: RoutingEntry): string => `${e.gateway.namespace}/${e.gateway.name}`;
const listenerLabel = (e: RoutingEntry): string => `Gateway ${gwKey(e)} listener ${e.listener}${e.listenerSet ? ` (${e.listenerSet.kind} ${e.listenerSet.namespace}/${e.listenerSet.name})` : ''}`;

/** Cross-checks the DNS records against the routing table of the resolution. */
export function dnsCrosschecks(records: readonly DnsRecord[], resolution: Resolution): Finding[] {
  const findings: Finding[] = [];
  const byName = indexRecords(records);
  const owners = new Map<string, Set<string>>(); // address (lower case) -> gateways
  for (const e of resolution.routing) {
    for (const a of e.addresses) {
      const k = a.toLowerCase();
      const s = owners.get(k) ?? new Set<string>();
      s.add(gwKey(e));
      owners.set(k, s);
    }
  }
  const targets = (r: NameResolution): string[] => [...new Set([...r.addresses, ...r.chain.slice(1)].map((x) => x.toLowerCase()))];
  const gatewaysOf = (r: NameResolution): Set<string> => {
    const out = new Set<string>();
    for (const t of targets(r)) for (const g of owners.get(t) ?? []) out.add(g);
    return out;
  };
  const seen = new Set<string>();
  const add = (f: Finding): void => {
    const k = `${f.code}\u0000${f.subject}\u0000${f.message}`;
    if (!seen.has(k)) {
      seen.add(k);
      findings.push(f);
    }
  };

  // 1. Every hostname served on a public listener resolves to one of its Gateway's addresses.
  for (const e of resolution.routing) {
    const isPublic = e.addresses.some((a) => !isPrivateAddress(a));
    if (!isPublic) continue;
    for (const h of e.hostnames) {
      if (h.routes.length === 0 || h.hostname === '*' || h.hostname.startsWith('*.')) continue;
      const r = resolveName(h.hostname, byName);
      const subject = h.hostname;
      if (!r.found) {
        add({ code: 'DNS_HOSTNAME_NO_RECORD', severity: 'warning', subject, message: `${h.hostname} is served on ${listenerLabel(e)} (addresses ${e.addresses.join(', ')}); expected a DNS record for it, found none in the DNS evidence` });
        continue;
      }
      const own = new Set(e.addresses.map((a) => a.toLowerCase()));
      if (targets(r).some((t) => own.has(t))) continue;
      const others = [...gatewaysOf(r)].filter((g) => g !== gwKey(e)).sort(compareStrings);
      const detail = { listener: listenerLabel(e), chain: r.chain, addresses: r.addresses, gatewayAddresses: e.addresses };
      if (others.length > 0) {
        add({ code: 'DNS_HOSTNAME_OTHER_GATEWAY', severity: 'error', subject, message: `${h.hostname} is served on ${listenerLabel(e)} (addresses ${e.addresses.join(', ')}), but DNS resolves it (${r.chain.join(' -> ')}${r.addresses.length ? ` -> ${r.addresses.join(', ')}` : ''}) to Gateway ${others.join(', ')}`, detail });
      } else {
        add({ code: 'DNS_ADDRESS_UNOWNED', severity: 'error', subject, message: `${h.hostname} is served on ${listenerLabel(e)} (addresses ${e.addresses.join(', ')}), but DNS resolves it (${r.chain.join(' -> ')}) to ${r.addresses.join(', ') || 'no address'}, which no Gateway in the bundle owns`, detail });
      }
    }
  }

  // 2. A name that points at a Gateway address but that no route of that Gateway serves: under a wildcard
  //    listener hostname of it (DNS_WILDCARD_UNROUTED), else dangling (DNS_NAME_DANGLING).
  const names = [...byName.keys()].sort(compareStrings);
  for (const name of names) {
    const rs = byName.get(name)!;
    if (!rs.some((x) => ADDRESS_TYPES.has(x.type) || ALIAS_TYPES.has(x.type))) continue;
    const r = resolveName(name, byName);
    const gws = gatewaysOf(r);
    if (gws.size === 0) continue;
    const recordText = rs.filter((x) => ADDRESS_TYPES.has(x.type) || ALIAS_TYPES.has(x.type)).map((x) => `${x.type} ${x.value}`).join(', ');
    for (const gw of [...gws].sort(compareStrings)) {
      const entries = resolution.routing.filter((e) => gwKey(e) === gw);
      const served = entries.some((e) => e.hostnames.some((h) => h.routes.length > 0 && hostnameMatches(h.hostname, name)));
      if (served) continue;
      const wildcard = entries.find((e) => e.listenerHostname?.startsWith('*.') === true && hostnameMatches(e.listenerHostname, name));
      if (wildcard) {
        add({
          code: 'DNS_WILDCARD_UNROUTED',
          severity: 'warning',
          subject: name,
          message: `${name} (${recordText}, from ${rs[0]!.source}) falls under the wildcard hostname ${wildcard.listenerHostname} of ${listenerLabel(wildcard)}, but no route on it serves ${name}`,
          detail: { record: { name, records: recordText, source: rs[0]!.source }, listener: listenerLabel(wildcard), listenerHostname: wildcard.listenerHostname },
        });
        continue;
      }
      add({
        code: 'DNS_NAME_DANGLING',
        severity: 'error',
        subject: name,
        message: `${name} (${recordText}, from ${rs[0]!.source}) points at Gateway ${gw} (${r.chain.join(' -> ')}), but no listener or route of it serves ${name}: a dangling name (takeover and misdirection risk)`,
        detail: { record: { name, records: recordText, source: rs[0]!.source }, gateway: gw, chain: r.chain, listeners: entries.map((e) => e.listener) },
      });
    }
  }
  return findings;
}
