/**
 * Stage 2, Gateways and ListenerSets (apis/v1/gateway_types.go; GEP-1713): Gateway-level references
 * (infrastructure.parametersRef, tls.backend.clientCertificateRef) and the listeners of each Gateway and of each
 * ListenerSet attached to it (listener validation itself is in listeners.ts).
 */
import { GATEWAY_GROUP, compareStrings, groupOf, type KubeObject } from '../model/object.ts';
import { nsName, str, type Context } from './context.ts';
import { selectorMatches } from './labels.ts';
import { makeListener } from './listeners.ts';
import { GW_KIND, type ClassState, type Failure, type GatewayState, type ListenerSetState, type Owner } from './state.ts';

function ownerOf(o: KubeObject): Owner {
  return {
    kind: o.kind,
    group: groupOf(o.apiVersion),
    namespace: o.metadata.namespace ?? '',
    name: o.metadata.name,
    creationTimestamp: o.metadata.creationTimestamp ?? '',
  };
}

export function resolveGateways(ctx: Context, classes: Map<string, ClassState>): Map<string, GatewayState> {
  const out = new Map<string, GatewayState>();
  for (const g of ctx.gateways) {
    const className = str(g.spec?.gatewayClassName) ?? '';
    const cls = classes.get(className);
    const label = `Gateway ${g.metadata.namespace ?? ''}/${g.metadata.name}`;
    if (!cls) {
      ctx.findings.push({
        code: 'GATEWAYCLASS_NOT_FOUND',
        severity: 'warning',
        subject: label,
        message: `gatewayClassName "${className}" names no GatewayClass in the snapshot; no controller writes status for this gateway`,
      });
      continue;
    }
    const gw: GatewayState = {
      obj: g,
      namespace: g.metadata.namespace ?? '',
      name: g.metadata.name,
      cls,
      listeners: [],
      listenerSets: [],
      insecureFallback: false,
      policies: new Map(),
    };
    // spec.infrastructure.parametersRef (gateway-invalid-parameters-ref.go): must resolve in the Gateway namespace.
    const pr = g.spec?.infrastructure?.parametersRef;
    if (pr && typeof pr === 'object') {
      const key = `${str(pr.group) ?? ''}|${str(pr.kind) ?? ''}|${gw.namespace}|${str(pr.name) ?? ''}`;
      if (!ctx.all.has(key)) {
        const offline = !ctx.kindCaptured(str(pr.group) ?? '', str(pr.kind) ?? '');
        gw.paramsFail = {
          ...(offline ? { offline: str(pr.kind) ?? '?' } : {}),
          reason: 'InvalidParameters',
          message: `infrastructure.parametersRef ${str(pr.kind) ?? '?'} ${gw.namespace}/${str(pr.name) ?? '?'} (group "${str(pr.group) ?? ''}") was not found in the snapshot`,
        };
      }
    }
    gw.addressFail = checkAddressTypes(gw);
    if (ctx.has('GatewayBackendClientCertificate')) gw.clientCertFail = checkClientCertificate(ctx, gw);
    const owner = ownerOf(g);
    const listeners: unknown[] = Array.isArray(g.spec?.listeners) ? g.spec.listeners : [];
    listeners.forEach((l, i) => gw.listeners.push(makeListener(ctx, gw, owner, true, undefined, l, i)));
    out.set(nsName(gw.namespace, gw.name), gw);
  }
  return out;
}

/** Gateway address types this implementation can use (GatewaySpecAddress.Type; default IPAddress). */
const SUPPORTED_ADDRESS_TYPES = new Set(['IPAddress', 'Hostname']);

/**
 * spec.addresses (gateway_types.go GatewaySpec.Addresses: "If a requested address is invalid or unavailable, the
 * implementation MUST indicate this"; GatewayReasonUnsupportedAddress): a type other than IPAddress or Hostname
 * (NamedAddress, domain-prefixed implementation types) is one we implement none of -> Accepted=False/
 * UnsupportedAddress. The first such entry is named. Values are not checked (the CRD's CEL validates them, and
 * whether an address is usable depends on the data plane).
 */
function checkAddressTypes(gw: GatewayState): Failure | undefined {
  const addrs: unknown[] = Array.isArray(gw.obj.spec?.addresses) ? gw.obj.spec.addresses : [];
  for (const [i, a] of (addrs as Record<string, unknown>[]).entries()) {
    const type = str(a?.['type']) ?? 'IPAddress';
    if (!SUPPORTED_ADDRESS_TYPES.has(type)) {
      return {
        reason: 'UnsupportedAddress',
        message: `spec.addresses[${i}] type "${type}" (value "${str(a?.['value']) ?? ''}") is not supported: expected IPAddress or Hostname`,
      };
    }
  }
  return undefined;
}

/** spec.tls.backend.clientCertificateRef (GatewayBackendClientCertificate; gateway-invalid-tls-backend-configuration.go). */
function checkClientCertificate(ctx: Context, gw: GatewayState): Failure | undefined {
  const ref = gw.obj.spec?.tls?.backend?.clientCertificateRef;
  if (!ref || typeof ref !== 'object') return undefined;
  const group = str(ref.group) ?? '';
  const kind = str(ref.kind) ?? 'Secret';
  const ns = str(ref.namespace) ?? gw.namespace;
  const name = str(ref.name) ?? '';
  const what = `clientCertificateRef ${kind} ${ns}/${name}`;
  if (group !== '' || kind !== 'Secret') {
    return { reason: 'InvalidClientCertificateRef', message: `${what}: expected group "" kind Secret, found group "${group}" kind ${kind}` };
  }
  if (ns !== gw.namespace && !ctx.findGrant({ group: GATEWAY_GROUP, kind: GW_KIND, namespace: gw.namespace }, { group: '', kind: 'Secret', namespace: ns, name })) {
    return { reason: 'RefNotPermitted', message: `${what}: no ReferenceGrant in ${ns} allows Gateway ${gw.namespace}/${gw.name} to reference it` };
  }
  const v = ctx.secretView(ns, name);
  if (!v.exists || !v.certValid || !v.hasKey || v.keyMismatch) {
    return { reason: 'InvalidClientCertificateRef', message: `${what}: ${v.error ?? 'invalid'}`, ...(v.offline ? { offline: v.offline } : {}) };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// ListenerSet (GEP-1713): gateway.networking.k8s.io/v1 ListenerSet and gateway.networking.x-k8s.io XListenerSet

export function resolveListenerSets(ctx: Context, gateways: Map<string, GatewayState>): void {
  if (ctx.listenerSets.length === 0) return;
  if (!ctx.has('ListenerSet')) {
    ctx.findings.push({ code: 'LISTENERSET_UNSUPPORTED', severity: 'info', message: `${ctx.listenerSets.length} ListenerSet(s) ignored: the controller does not claim feature ListenerSet` });
    return;
  }
  for (const o of ctx.listenerSets) {
    const ns = o.metadata.namespace ?? '';
    const label = `${o.kind} ${ns}/${o.metadata.name}`;
    const pr = o.spec?.parentRef ?? {};
    const group = str(pr.group) ?? GATEWAY_GROUP;
    const kind = str(pr.kind) ?? GW_KIND;
    const gwNs = str(pr.namespace) ?? ns;
    const gw = group === GATEWAY_GROUP && kind === GW_KIND ? gateways.get(nsName(gwNs, str(pr.name) ?? '')) : undefined;
    if (!gw) {
      ctx.findings.push({
        code: 'PARENT_NOT_FOUND',
        severity: 'warning',
        subject: label,
        message: `parentRef ${kind} ${gwNs}/${str(pr.name) ?? ''} is not a Gateway of a GatewayClass in the snapshot; no controller writes status for this listenerset`,
      });
      continue;
    }
    const ls: ListenerSetState = {
      obj: o,
      kind: o.kind,
      group: groupOf(o.apiVersion),
      namespace: ns,
      name: o.metadata.name,
      gw,
      listeners: [],
      creationTimestamp: o.metadata.creationTimestamp ?? '',
    };
    // Gateway spec.allowedListeners.namespaces.from: None (default) | Same | All | Selector.
    const al = gw.obj.spec?.allowedListeners?.namespaces;
    const from = str(al?.from) ?? 'None';
    const allowed =
      from === 'All' ? true : from === 'Same' ? ns === gw.namespace : from === 'Selector' ? selectorMatches(al?.selector, ctx.namespaceLabels(ns)) : false;
    if (!allowed) {
      ls.notAllowed = { reason: 'NotAllowed', message: `Gateway ${gw.namespace}/${gw.name} allowedListeners (from: ${from}) does not allow namespace ${ns}` };
    }
    const owner = ownerOf(o);
    const listeners: unknown[] = Array.isArray(o.spec?.listeners) ? o.spec.listeners : [];
    listeners.forEach((l, i) => ls.listeners.push(makeListener(ctx, gw, owner, false, ls, l, i)));
    gw.listenerSets.push(ls);
  }
  for (const gw of gateways.values()) {
    gw.listenerSets.sort((a, b) => compareStrings(a.creationTimestamp, b.creationTimestamp) || compareStrings(nsName(a.namespace, a.name), nsName(b.namespace, b.name)));
  }
}
