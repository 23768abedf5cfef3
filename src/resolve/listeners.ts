/**
 * Stage 2 (continued), one listener (apis/v1/gateway_types.go Listener): protocol support, values, TLS
 * (certificateRefs, frontend client-certificate validation), allowedRoutes kinds and namespaces, and the
 * listener conditions written from the state every later stage has filled in.
 */
import { GATEWAY_GROUP } from '../model/object.ts';
import { cond, failCond, sortConditions, str, type Context } from './context.ts';
import { switchOn } from './profiles.ts';
import { labelSelectorProblem, selectorMatches, type LabelSelector } from './labels.ts';
import { GW_KIND, type Failure, type GatewayState, type ListenerSetState, type ListenerState, type Owner } from './state.ts';
import type { Condition, RoutingCertificateRef } from './types.ts';

const PROTOCOL_FEATURE: Record<string, string | undefined> = {
  HTTP: undefined,
  HTTPS: undefined,
  TLS: 'TLSRoute',
  TCP: 'TCPRoute',
  UDP: 'UDPRoute',
};

/**
 * Route kinds a listener can carry (api-overview.md route table "Listener TLS Support"; GEP-1897): HTTP/HTTPS
 * carry HTTPRoute and GRPCRoute; a TLS listener in Passthrough mode carries TLSRoute only (conformance: even when
 * TCPRoute is listed); a TLS listener in Terminate mode carries TLSRoute and TCPRoute (TCPRoute: "Passthrough or
 * Terminated"), each gated by its feature; TCP carries TCPRoute; UDP carries UDPRoute.
 */
function compatibleKinds(ctx: Context, protocol: string, tlsMode: string): string[] {
  switch (protocol) {
    case 'HTTP':
    case 'HTTPS':
      return ctx.has('GRPCRoute') ? ['HTTPRoute', 'GRPCRoute'] : ['HTTPRoute'];
    case 'TLS': {
      const kinds = ctx.has('TLSRoute') ? ['TLSRoute'] : [];
      if (tlsMode === 'Terminate' && ctx.has('TCPRoute')) kinds.push('TCPRoute');
      return kinds;
    }
    case 'TCP':
      return ctx.has('TCPRoute') ? ['TCPRoute'] : [];
    case 'UDP':
      return ctx.has('UDPRoute') ? ['UDPRoute'] : [];
    default:
      return [];
  }
}

export function makeListener(
  ctx: Context,
  gw: GatewayState,
  owner: Owner,
  ownerIsGateway: boolean,
  ls: ListenerSetState | undefined,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec: any,
  index: number,
): ListenerState {
  const protocol = str(spec?.protocol) ?? '';
  const l: ListenerState = {
    gw,
    owner,
    ownerIsGateway,
    ...(ls ? { ls } : {}),
    index,
    name: str(spec?.name) ?? `#${index}`,
    port: typeof spec?.port === 'number' ? spec.port : Number(spec?.port ?? 0),
    protocol,
    ...(str(spec?.hostname) ? { hostname: (spec.hostname as string).toLowerCase() } : {}),
    spec: spec ?? {},
    supportedKinds: [],
    certRefs: [],
    attached: new Set(),
    attachedMaybe: new Set(),
    attachments: [],
  };
  // Protocol support (Listener.Protocol; gateway-invalid-listeners-unsupported-protocol.go).
  const supported = Object.prototype.hasOwnProperty.call(PROTOCOL_FEATURE, protocol) && (PROTOCOL_FEATURE[protocol] === undefined || ctx.has(PROTOCOL_FEATURE[protocol]!));
  if (!supported) {
    l.acceptedFail = { reason: 'UnsupportedProtocol', message: `protocol "${protocol}" is not supported` };
    return l;
  }
  l.selectorFail = checkRouteSelector(l);
  if (l.selectorFail) {
    ctx.findings.push({ code: 'Invalid', severity: 'warning', subject: `${owner.kind} ${owner.namespace}/${owner.name}`, message: `listener ${l.name}: Programmed=False: ${l.selectorFail.message}` });
  }
  const valueFail = checkListenerValues(l);
  if (valueFail?.reason === 'PortUnavailable') {
    // The port cannot be bound, but protocol and allowedRoutes are valid: routes still select this listener and
    // count in attachedRoutes (digest §6 attachedRoutes: the listener's own state does not matter).
    computeKinds(ctx, l);
    l.acceptedFail = valueFail;
    return l;
  }
  l.acceptedFail = valueFail;
  if (l.acceptedFail) return l;
  if (protocol === 'HTTPS' || protocol === 'TLS') validateTls(ctx, l);
  if (l.acceptedFail) return l;
  if (protocol === 'HTTPS') validateFrontendCA(ctx, l);
  computeKinds(ctx, l);
  return l;
}

const HOSTNAME_RE = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Listener values the API server normally rejects (CEL / OpenAPI on Listener; hand-written bundles may hold them):
 * a port outside 1..65535 gives Accepted=False/PortUnavailable (the port cannot be bound); a hostname on TCP/UDP,
 * a hostname that is not an RFC 1123 name with an optional leading `*.` label (IP addresses, bare `*`), `tls` on
 * HTTP/TCP/UDP, and allowedRoutes.namespaces.from outside All/Same/Selector give Accepted=False/UnsupportedValue.
 */
function checkListenerValues(l: ListenerState): Failure | undefined {
  if (!Number.isInteger(l.port) || l.port < 1 || l.port > 65535) {
    return { reason: 'PortUnavailable', message: `port ${String(l.spec.port)} is not a port number in 1..65535` };
  }
  if (l.hostname !== undefined) {
    if (l.protocol === 'TCP' || l.protocol === 'UDP') return { reason: 'UnsupportedValue', message: `hostname "${l.hostname}" is not allowed on a ${l.protocol} listener` };
    if (l.hostname.length > 253 || !HOSTNAME_RE.test(l.hostname) || /^[0-9.]+$/.test(l.hostname)) {
      return { reason: 'UnsupportedValue', message: `hostname "${l.hostname}" is not a valid hostname (RFC 1123, optional leading "*." label, no IP address)` };
    }
  }
  if (l.spec.tls != null && (l.protocol === 'HTTP' || l.protocol === 'TCP' || l.protocol === 'UDP')) {
    return { reason: 'UnsupportedValue', message: `tls is not allowed on a ${l.protocol} listener` };
  }
  const from = l.spec.allowedRoutes?.namespaces?.from;
  if (from !== undefined && from !== 'All' && from !== 'Same' && from !== 'Selector') {
    return { reason: 'UnsupportedValue', message: `allowedRoutes.namespaces.from "${String(from)}" is not All, Same or Selector` };
  }
  return undefined;
}

/**
 * allowedRoutes.namespaces.selector with from: Selector (gateway_types.go RouteNamespaces.Selector: "must be
 * specified when From is set to Selector"): missing, or rejected by LabelSelectorAsSelector (labels.ts), makes the
 * listener invalid: Programmed=False/Invalid, Accepted and supportedKinds unchanged, and the selector matches no
 * namespace, so routes from other namespaces get NotAllowedByListeners.
 */
function checkRouteSelector(l: ListenerState): Failure | undefined {
  const ns = l.spec.allowedRoutes?.namespaces;
  if (ns?.from !== 'Selector') return undefined;
  if (ns.selector === undefined || ns.selector === null) {
    return { reason: 'Invalid', message: 'allowedRoutes.namespaces.selector must be specified when allowedRoutes.namespaces.from is Selector' };
  }
  const p = labelSelectorProblem(ns.selector);
  return p ? { reason: 'Invalid', message: `allowedRoutes.namespaces.selector is not a valid label selector: ${p}` } : undefined;
}

/** TLS config of HTTPS/TLS listeners (GatewayTLSConfig; tlsroute-listener-* tests). */
function validateTls(ctx: Context, l: ListenerState): void {
  const tls = l.spec.tls ?? {};
  const mode = str(tls.mode) ?? 'Terminate';
  if (mode !== 'Terminate' && mode !== 'Passthrough') {
    l.acceptedFail = { reason: 'UnsupportedValue', message: `tls.mode "${mode}" is not Terminate or Passthrough` };
    return;
  }
  l.tlsMode = mode;
  if (l.protocol === 'HTTPS' && mode === 'Passthrough') {
    l.acceptedFail = { reason: 'UnsupportedValue', message: 'an HTTPS listener must use tls.mode Terminate (use protocol TLS for Passthrough)' };
    return;
  }
  if (l.protocol === 'TLS' && mode === 'Terminate' && !ctx.has('TLSRouteModeTerminate')) {
    // tlsroute-listener-terminate-not-supported.go: Accepted=False/UnsupportedValue.
    l.acceptedFail = { reason: 'UnsupportedValue', message: 'tls.mode Terminate on a TLS listener needs feature TLSRouteModeTerminate, which this controller does not claim' };
    return;
  }
  const refs: unknown[] = Array.isArray(tls.certificateRefs) ? tls.certificateRefs : [];
  if (mode !== 'Terminate') {
    // Envoy Gateway: "Listener must not have TLS certificate refs set for TLS mode Passthrough." (validate.go
    // validateTLSConfiguration) -> Programmed=False/Invalid; the spec ignores certificateRefs in Passthrough.
    if (refs.length > 0 && switchOn(l.gw.cls.profile, 'eg-passthrough-certificaterefs-not-programmed')) l.passthroughCertRefs = true;
    return;
  }
  if (refs.length === 0) {
    // Istio: tls.options gateway.istio.io/tls-terminate-mode ISTIO_MUTUAL uses the mesh certificate, so no
    // certificateRefs are needed (conversion.go buildTLS, gatewayTLSTerminateModeKey).
    const istioMode = tls.options?.['gateway.istio.io/tls-terminate-mode'];
    if (istioMode === 'ISTIO_MUTUAL' && switchOn(l.gw.cls.profile, 'istio-tls-terminate-mode-option')) {
      l.istioTerminateMode = true;
      return;
    }
    l.certFail = { reason: 'InvalidCertificateRef', message: 'tls.mode Terminate needs at least one certificateRef, found none' };
    return;
  }
  for (const r of refs as Record<string, unknown>[]) {
    const group = str(r?.['group']) ?? '';
    const kind = str(r?.['kind']) ?? 'Secret';
    const ns = str(r?.['namespace']) ?? l.owner.namespace;
    const name = str(r?.['name']) ?? '';
    const ref: RoutingCertificateRef = { group, kind, namespace: ns, name, resolved: false, chain: [] };
    const what = `certificateRef ${kind} ${ns}/${name}`;
    let fail: Failure | undefined;
    // Unsupported group/kind yields InvalidCertificateRef (gateway-invalid-tls-configuration.go).
    if (group !== '' || kind !== 'Secret') {
      fail = { reason: 'InvalidCertificateRef', message: `${what}: expected group "" kind Secret, found group "${group}" kind ${kind}` };
    } else {
      let grant: string | undefined;
      if (ns !== l.owner.namespace) {
        // RefNotPermitted is checked before existence (gateway-secret-missing-reference-grant.go).
        grant = ctx.findGrant({ group: l.owner.group, kind: l.owner.kind, namespace: l.owner.namespace }, { group: '', kind: 'Secret', namespace: ns, name });
        if (!grant && !ctx.kindCaptured(GATEWAY_GROUP, 'ReferenceGrant')) {
          // Missing is not absent: without any ReferenceGrant in the capture, whether one permits this is unknown.
          fail = { reason: 'RefNotPermitted', message: `${what}: unknown whether a ReferenceGrant in ${ns} allows it, the capture holds no ReferenceGrants at all`, offline: 'ReferenceGrant' };
        } else if (!grant) fail = { reason: 'RefNotPermitted', message: `${what}: no ReferenceGrant in ${ns} allows ${l.owner.kind} ${l.owner.namespace}/${l.owner.name} to reference it` };
        else ref.referenceGrant = grant;
      }
      if (!fail) {
        const v = ctx.secretView(ns, name);
        ref.chain = v.chain;
        // Malformed data or a tls.key that does not belong to tls.crt (collector-computed) -> InvalidCertificateRef.
        if (!v.exists || !v.certValid || !v.hasKey || v.keyMismatch) fail = { reason: 'InvalidCertificateRef', message: `${what}: ${v.error ?? 'invalid'}`, ...(v.offline ? { offline: v.offline } : {}) };
      }
    }
    if (fail) {
      ref.reason = fail.offline ? 'CaptureIncomplete' : fail.reason;
      ref.message = fail.message;
      // A definite failure takes precedence over an unknown one.
      if (!l.certFail || (l.certFail.offline && !fail.offline)) l.certFail = fail;
    } else ref.resolved = true;
    l.certRefs.push(ref);
  }
}

/**
 * Frontend client-certificate validation (GatewayFrontendClientCertificateValidation;
 * gateway-with-invalid-clientcertificate-validation.go): spec.tls.frontend.default, overridden per port.
 * Any invalid CA ref -> ResolvedRefs=False; no valid one -> Accepted=False/NoValidCACertificate.
 */
function validateFrontendCA(ctx: Context, l: ListenerState): void {
  if (!ctx.has('GatewayFrontendClientCertificateValidation') || !l.ownerIsGateway) return;
  const frontend = l.gw.obj.spec?.tls?.frontend;
  if (!frontend || typeof frontend !== 'object') return;
  const perPort: unknown[] = Array.isArray(frontend.perPort) ? frontend.perPort : [];
  const override = (perPort as Record<string, any>[]).find((p) => p?.['port'] === l.port); // eslint-disable-line @typescript-eslint/no-explicit-any
  const validation = override ? override['tls']?.validation : frontend.default?.validation;
  if (!validation || typeof validation !== 'object') return;
  if (validation.mode === 'AllowInsecureFallback') l.gw.insecureFallback = true;
  const refs: unknown[] = Array.isArray(validation.caCertificateRefs) ? validation.caCertificateRefs : [];
  if (refs.length === 0) return;
  let valid = 0;
  for (const r of refs as Record<string, unknown>[]) {
    const group = str(r?.['group']) ?? '';
    const kind = str(r?.['kind']) ?? 'ConfigMap';
    const ns = str(r?.['namespace']) ?? l.gw.namespace;
    const name = str(r?.['name']) ?? '';
    const what = `caCertificateRef ${kind} ${ns}/${name}`;
    let fail: Failure | undefined;
    if (group !== '' || (kind !== 'ConfigMap' && kind !== 'Secret')) {
      fail = { reason: 'InvalidCACertificateKind', message: `${what}: expected group "" kind ConfigMap or Secret, found group "${group}" kind ${kind}` };
    } else if (ns !== l.gw.namespace && !ctx.findGrant({ group: GATEWAY_GROUP, kind: GW_KIND, namespace: l.gw.namespace }, { group: '', kind, namespace: ns, name })) {
      fail = { reason: 'RefNotPermitted', message: `${what}: no ReferenceGrant in ${ns} allows Gateway ${l.gw.namespace}/${l.gw.name} to reference it` };
    } else {
      const v = ctx.caView(kind as 'ConfigMap' | 'Secret', ns, name);
      if (!v.exists || !v.certValid) fail = { reason: 'InvalidCACertificateRef', message: `${what}: ${v.error ?? 'invalid'}`, ...(v.offline ? { offline: v.offline } : {}) };
    }
    if (fail) {
      if (!l.caFail) l.caFail = fail;
    } else valid++;
  }
  if (valid === 0 && l.caFail && !l.caFail.offline) {
    l.acceptedFail = { reason: 'NoValidCACertificate', message: `no valid CA certificate for client validation on port ${l.port}: ${l.caFail.message}` };
  }
}

/** allowedRoutes.kinds and their per-protocol defaults (Listener.AllowedRoutes; gateway-invalid-route-kind.go). */
function computeKinds(ctx: Context, l: ListenerState): void {
  // tlsMode is unset when validateTls did not run (PortUnavailable): the spec's mode, default Terminate.
  const compatible = compatibleKinds(ctx, l.protocol, l.tlsMode ?? str(l.spec.tls?.mode) ?? 'Terminate');
  const declared: unknown[] | undefined = Array.isArray(l.spec.allowedRoutes?.kinds) ? l.spec.allowedRoutes.kinds : undefined;
  if (!declared || declared.length === 0) {
    l.supportedKinds = compatible.map((kind) => ({ group: GATEWAY_GROUP, kind }));
    return;
  }
  const invalid: string[] = [];
  const seen = new Set<string>();
  for (const k of declared as Record<string, unknown>[]) {
    const group = str(k?.['group']) ?? GATEWAY_GROUP;
    const kind = str(k?.['kind']) ?? '';
    if (group === GATEWAY_GROUP && compatible.includes(kind)) {
      if (!seen.has(kind)) {
        seen.add(kind);
        l.supportedKinds.push({ group, kind });
      }
    } else invalid.push(group === GATEWAY_GROUP ? kind : `${kind}.${group}`);
  }
  if (invalid.length > 0) {
    l.kindsFail = {
      reason: 'InvalidRouteKinds',
      message: `allowedRoutes.kinds ${invalid.join(', ')} ${invalid.length === 1 ? 'is' : 'are'} not supported on a ${l.protocol} listener (supported: ${compatible.join(', ') || 'none'})`,
    };
  }
}

/** The automatic label every Namespace carries (Kubernetes >= 1.22, NamespaceDefaultLabelName feature). */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * Whether a listener's allowedRoutes admits routes from namespace `ns`: true, false, or 'unknown' (missing is not
 * absent, issue 11 section 4). With from: Selector the answer depends on the Namespace's labels; when the capture
 * holds no Namespace objects AT ALL (a dump without `namespaces`), those labels are unknown, not empty, unless the
 * selector can be decided without them: an empty selector `{}` matches every namespace, and a selector that names
 * only the automatic kubernetes.io/metadata.name label is decided by the namespace name alone. A Namespace kind
 * that was captured but lacks this one namespace keeps the old rule (only the automatic label, NAMESPACE_NOT_IN_SNAPSHOT).
 */
export function allowsNamespace(ctx: Context, l: ListenerState, ns: string): boolean | 'unknown' {
  // AllowedRoutes.Namespaces: From defaults to Same; Same is the namespace of the listener's owner.
  const nsSpec = l.spec.allowedRoutes?.namespaces;
  const from = str(nsSpec?.from) ?? 'Same';
  switch (from) {
    case 'All':
      return true;
    case 'Same':
      return ns === l.owner.namespace;
    case 'Selector': {
      if (l.selectorFail) return false;
      const sel = nsSpec?.selector as LabelSelector | undefined;
      if (!ctx.kindCaptured('', 'Namespace') && !ctx.namespaces.has(ns) && !decidableByName(sel)) return 'unknown';
      return selectorMatches(sel, ctx.kindCaptured('', 'Namespace') || ctx.namespaces.has(ns) ? ctx.namespaceLabels(ns) : { [NAMESPACE_NAME_LABEL]: ns });
    }
    default:
      return false;
  }
}

/** A (valid) selector whose result does not depend on labels other than kubernetes.io/metadata.name. */
function decidableByName(sel: LabelSelector | undefined): boolean {
  if (!sel) return true; // nil selector: checkRouteSelector already made the listener invalid
  const keys = [...Object.keys(sel.matchLabels ?? {}), ...(sel.matchExpressions ?? []).map((e) => e.key)];
  return keys.every((k) => k === NAMESPACE_NAME_LABEL);
}

export function listenerAccepted(l: ListenerState): boolean {
  return !l.acceptedFail && !l.conflict && !l.portFail && !(l.ls && l.ls.notAllowed);
}

export function listenerResolvedRefsFail(l: ListenerState): Failure | undefined {
  // Precedence when several refs are invalid: certificateRefs, then frontend CA refs, then allowedRoutes.kinds;
  // a definite failure before one that is only unknown (a kind the capture did not hold).
  const all = [l.certFail, l.caFail, l.kindsFail].filter((f): f is Failure => f !== undefined);
  return all.find((f) => !f.offline) ?? all[0];
}

/**
 * Why a listener is not Programmed, in `spec` semantics (`specOnly`) or in its class's profile; undefined when it is.
 * `offline` when the only reason is a reference into a kind the capture did not hold (Programmed Unknown).
 */
function programmedFail(l: ListenerState, gwAccepted: boolean, specOnly: boolean): { message: string; offline?: boolean } | undefined {
  const acc = l.acceptedFail ?? l.conflict ?? l.portFail ?? l.ls?.notAllowed;
  // Programmed=False when not accepted, certificates unresolved, or CA refs invalid (conformance).
  const refFail = l.certFail && !l.certFail.offline ? l.certFail : l.caFail && !l.caFail.offline ? l.caFail : undefined;
  // ... or the allowedRoutes selector is missing/malformed (checkRouteSelector).
  const message = acc?.message ?? refFail?.message ?? l.selectorFail?.message ?? (gwAccepted ? undefined : 'the gateway is not accepted');
  if (message !== undefined) return { message };
  if (!specOnly) {
    const profile = l.gw.cls.profile;
    // Envoy Gateway: any listener condition problem, InvalidRouteKinds included (listener.go ProcessListeners).
    if (l.kindsFail && switchOn(profile, 'eg-listener-programmed-any-problem')) return { message: 'Listener is invalid, see other Conditions for details.' };
    if (l.passthroughCertRefs && switchOn(profile, 'eg-passthrough-certificaterefs-not-programmed')) return { message: 'Listener must not have TLS certificate refs set for TLS mode Passthrough.' };
  }
  const unknown = l.certFail?.offline ? l.certFail : l.caFail?.offline ? l.caFail : undefined;
  return unknown ? { message: unknown.message, offline: true } : undefined;
}

/** Records the listener's profile departures (once per listener, from the output stage). */
export function listenerDepartures(ctx: Context, l: ListenerState, gwAccepted: boolean, subject: string): void {
  const profile = l.gw.cls.profile;
  if (profile === 'spec') return;
  const spec = programmedFail(l, gwAccepted, true);
  const mine = programmedFail(l, gwAccepted, false);
  if (spec === undefined && mine !== undefined && !mine.offline) {
    const id = l.kindsFail && switchOn(profile, 'eg-listener-programmed-any-problem') ? 'eg-listener-programmed-any-problem' : 'eg-passthrough-certificaterefs-not-programmed';
    ctx.depart(profile, id, `${subject} listener ${l.name}`, { object: { kind: l.owner.kind, namespace: l.owner.namespace, name: l.owner.name }, listener: l.name, field: 'Programmed' }, 'Programmed=False/Invalid');
  }
  if (l.istioTerminateMode) {
    for (const field of ['ResolvedRefs', 'Programmed']) {
      ctx.depart(profile, 'istio-tls-terminate-mode-option', `${subject} listener ${l.name}`, { object: { kind: l.owner.kind, namespace: l.owner.namespace, name: l.owner.name }, listener: l.name, field }, `${field}=True without certificateRefs (tls-terminate-mode ISTIO_MUTUAL)`);
    }
  }
}

export function listenerConditions(l: ListenerState, gwAccepted: boolean): Condition[] {
  const out: Condition[] = [];
  const acc = l.acceptedFail ?? l.conflict ?? l.portFail ?? l.ls?.notAllowed;
  out.push(acc ? cond('Accepted', 'False', acc.reason, acc.message) : cond('Accepted', 'True', 'Accepted', 'listener is valid'));
  const rr = listenerResolvedRefsFail(l);
  out.push(rr ? failCond('ResolvedRefs', rr) : cond('ResolvedRefs', 'True', 'ResolvedRefs', 'all references are resolved'));
  const prog = programmedFail(l, gwAccepted, false);
  out.push(
    prog === undefined
      ? cond('Programmed', 'True', 'Programmed', 'listener is programmed')
      : prog.offline
        ? failCond('Programmed', { reason: 'Invalid', message: prog.message, offline: 'kind not captured' })
        : cond('Programmed', 'False', 'Invalid', prog.message),
  );
  out.push(l.conflict ? cond('Conflicted', 'True', l.conflict.reason, l.conflict.message) : cond('Conflicted', 'False', 'NoConflicts', 'no conflicts'));
  if (l.overlapping) out.push(cond('OverlappingTLSConfig', 'True', l.overlapping.reason, l.overlapping.message));
  return sortConditions(out);
}
