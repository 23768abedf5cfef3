/**
 * Stage 3, listener conflicts (Listener doc in gateway_types.go; tlsroute-listener-mixed-termination-not-supported.go):
 * ProtocolConflict / HostnameConflict on one port, OverlappingTLSConfig, and PortUnavailable across Gateways that
 * request the same address.
 */
import { compareStrings } from '../model/object.ts';
import { nsName, str, type Context } from './context.ts';
import { intersectHostnames, normalizeHostname } from './hostnames.ts';
import { listenerAccepted } from './listeners.ts';
import { switchOn } from './profiles.ts';
import type { Failure, GatewayState, ListenerState } from './state.ts';

// ---------------------------------------------------------------------------------------------------------
// Conflicts (Listener doc in gateway_types.go; tlsroute-listener-mixed-termination-not-supported.go)

function protocolClass(p: string): string {
  return p === 'HTTPS' || p === 'TLS' ? 'tls' : p.toLowerCase();
}

function conflictBetween(ctx: Context, a: ListenerState, b: ListenerState): Failure | undefined {
  const ca = protocolClass(a.protocol);
  const cb = protocolClass(b.protocol);
  // UDP and TCP-based protocols use different transports and can share a port number.
  if ((ca === 'udp') !== (cb === 'udp')) return undefined;
  if (ca !== cb) return { reason: 'ProtocolConflict', message: `port ${a.port} is used by listeners with incompatible protocols ${a.protocol} (${a.name}) and ${b.protocol} (${b.name})` };
  if (ca === 'tls' && a.tlsMode !== b.tlsMode && !ctx.has('TLSRouteModeMixed')) {
    return { reason: 'ProtocolConflict', message: `port ${a.port} mixes tls modes Terminate and Passthrough (${a.name}, ${b.name}); the controller does not claim TLSRouteModeMixed` };
  }
  if (normalizeHostname(a.hostname) === normalizeHostname(b.hostname)) {
    return { reason: 'HostnameConflict', message: `listeners ${a.name} and ${b.name} use the same port ${a.port}, protocol and hostname ${a.hostname ?? '(none)'}` };
  }
  return undefined;
}

/** Leaf-certificate SANs (DNS names lowercased, IP addresses) of a listener's resolved certificateRefs. */
function leafSans(l: ListenerState): { dns: string[]; ips: string[] } {
  const dns: string[] = [];
  const ips: string[] = [];
  for (const r of l.certRefs) {
    const leaf = r.resolved ? r.chain[0] : undefined;
    if (!leaf) continue;
    for (const d of leaf.dnsNames) dns.push(d.toLowerCase());
    ips.push(...leaf.ipAddresses);
  }
  return { dns, ips };
}

/**
 * Whether two certificate DNS SANs can both match one host name (RFC 6125 §6.4.3: `*` is a whole left-most label
 * and matches exactly one label, unlike listener hostnames): equal names, or a wildcard and a name one label
 * below its base. Two different wildcards never share a name.
 */
function sansOverlap(a: string, b: string): boolean {
  if (a === b) return true;
  const one = (w: string, n: string): boolean => w.startsWith('*.') && !n.startsWith('*.') && n.endsWith(w.slice(1)) && !n.slice(0, n.length - w.length + 1).includes('.') && n.length > w.length - 1;
  return one(a, b) || one(b, a);
}

/** A SAN covered by both listeners' certificates (the first found, for the message), or undefined. */
function sharedSan(a: ListenerState, b: ListenerState): string | undefined {
  const sa = leafSans(a);
  const sb = leafSans(b);
  for (const x of sa.dns) for (const y of sb.dns) if (sansOverlap(x, y)) return x === y ? x : `${x} / ${y}`;
  for (const ip of sa.ips) if (sb.ips.includes(ip)) return ip;
  return undefined;
}

/**
 * Conflicting listeners among a Gateway's own listeners are all rejected; a ListenerSet listener that
 * conflicts with a listener of higher precedence (the Gateway's, then older ListenerSets) is rejected alone.
 */
export function detectConflicts(ctx: Context, gw: GatewayState): void {
  const all: ListenerState[] = [...gw.listeners];
  for (const ls of gw.listenerSets) if (!ls.notAllowed) all.push(...ls.listeners);
  const byPort = new Map<number, ListenerState[]>();
  for (const l of all) {
    if (l.acceptedFail && l.acceptedFail.reason !== 'NoValidCACertificate') continue;
    let list = byPort.get(l.port);
    if (!list) byPort.set(l.port, (list = []));
    list.push(l);
  }
  for (const list of byPort.values()) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i]!;
        const b = list[j]!;
        const c = conflictBetween(ctx, a, b);
        if (c) {
          if (a.ownerIsGateway && b.ownerIsGateway) {
            a.conflict ??= c;
            b.conflict ??= c;
          } else b.conflict ??= c;
          continue;
        }
        // OverlappingTLSConfig (GEP-3567; digest §4): terminating listeners on one port whose leaf certificates'
        // SANs overlap get OverlappingCertificates (MAY; it wins when both apply), else, when their hostnames
        // overlap, OverlappingHostnames (MUST).
        if (protocolClass(a.protocol) === 'tls' && a.tlsMode === 'Terminate' && b.tlsMode === 'Terminate') {
          const san = sharedSan(a, b);
          if (san !== undefined) {
            const o = { reason: 'OverlappingCertificates', message: `certificates of listeners ${a.name} and ${b.name} on port ${a.port} both cover ${san}` };
            if (a.overlapping?.reason !== 'OverlappingCertificates') a.overlapping = o;
            if (b.overlapping?.reason !== 'OverlappingCertificates') b.overlapping = o;
          } else if (intersectHostnames(a.hostname, b.hostname) !== undefined) {
            const o = { reason: 'OverlappingHostnames', message: `hostnames of listeners ${a.name} (${a.hostname ?? '*'}) and ${b.name} (${b.hostname ?? '*'}) on port ${a.port} overlap` };
            a.overlapping ??= o;
            b.overlapping ??= o;
          }
        }
      }
    }
  }
  for (const l of all) {
    if (l.conflict?.reason === 'ProtocolConflict') l.supportedKinds = [];
  }
}

function addressesOf(gw: GatewayState): string[] {
  const out = new Set<string>();
  for (const a of Array.isArray(gw.obj.spec?.addresses) ? (gw.obj.spec.addresses as Record<string, unknown>[]) : []) {
    const v = str(a?.['value']);
    if (v) out.add(`${str(a?.['type']) ?? 'IPAddress'}=${v}`);
  }
  return [...out];
}

/**
 * Listener PortUnavailable across Gateways (our choice; digest §4 leaves cross-Gateway sharing to the
 * implementation): Gateways of one class that request the same spec.addresses entry (type + value) are not
 * merged, so only the oldest Gateway (creationTimestamp, then namespace/name) may bind a port on that address;
 * listeners of newer Gateways on that address and port (same transport: UDP vs TCP-based) get
 * Accepted=False/PortUnavailable. Gateways without spec.addresses get addresses assigned and never collide.
 * Gateways not Accepted for a Gateway-level reason bind nothing. Linear: one map keyed by class, address, transport
 * and port.
 */
export function detectAddressPortClashes(ctx: Context, gateways: Map<string, GatewayState>): void {
  const owners = new Map<string, GatewayState>();
  const sorted = [...gateways.values()].sort(
    (a, b) => compareStrings(a.obj.metadata.creationTimestamp || '\uffff', b.obj.metadata.creationTimestamp || '\uffff') || compareStrings(nsName(a.namespace, a.name), nsName(b.namespace, b.name)),
  );
  for (const gw of sorted) {
    // A Gateway that is not Accepted for a Gateway-level reason (class, parameters, address type) is not
    // programmed, so it binds no address and takes no port from another Gateway.
    if (gw.cls.accepted || gw.paramsFail || gw.addressFail) continue;
    const addrs = addressesOf(gw);
    if (addrs.length === 0) continue;
    const listeners: ListenerState[] = [...gw.listeners];
    for (const ls of gw.listenerSets) if (!ls.notAllowed) listeners.push(...ls.listeners);
    const claimed: string[] = [];
    for (const l of listeners) {
      if (!listenerAccepted(l)) continue;
      for (const a of addrs) {
        const key = `${gw.cls.name}|${a}|${protocolClass(l.protocol) === 'udp' ? 'udp' : 'tcp'}|${l.port}`;
        const owner = owners.get(key);
        if (owner && owner !== gw && switchOn(gw.cls.profile, 'istio-merged-gateways-same-address')) {
          // Istio merges Gateways of one class bound to the same address into one deployment (conversion.go
          // convertGateways; path approximate): the port is shared, no PortUnavailable.
          ctx.depart(gw.cls.profile, 'istio-merged-gateways-same-address', `Gateway ${gw.namespace}/${gw.name} listener ${l.name}`, { object: { kind: l.owner.kind, namespace: l.owner.namespace, name: l.owner.name }, listener: l.name, field: 'Accepted' }, `listener shares address ${a.split('=').slice(1).join('=')} port ${l.port} with Gateway ${owner.namespace}/${owner.name}`);
        } else if (owner && owner !== gw) {
          l.portFail ??= { reason: 'PortUnavailable', message: `address ${a.split('=').slice(1).join('=')} port ${l.port} is already used by Gateway ${owner.namespace}/${owner.name} of the same class` };
        } else claimed.push(key);
      }
    }
    for (const k of claimed) if (!owners.has(k)) owners.set(k, gw);
  }
}
