/**
 * The Gateway API resolution engine: from a snapshot of objects, the status a conformant controller must
 * write (GatewayClass, Gateway + listeners, ListenerSet, route parents, BackendTLSPolicy ancestors), the
 * effective routing table, and findings. Pure: no I/O, no clock, never mutates its input.
 *
 * Pipeline (../shared/docs/gateway-api-semantics.md section 0): classes -> gateways and listener validation
 * -> listener conflicts -> BackendTLSPolicies -> routes (parentRefs, allowedRoutes, hostnames, backendRefs)
 * -> attachedRoutes -> summary conditions -> routing table.
 */
import { GATEWAY_GROUP, GATEWAY_X_GROUP, compareStrings, groupOf, type KubeObject } from '../model/object.ts';
import { SEVERITY_RANK, type Finding } from '../model/finding.ts';
import { Context, cond, nsName, sortConditions, str, type RouteKind } from './context.ts';
import { SUPPORTED_FEATURES } from './features.ts';
import { effectiveHostnames, HostnameSet, normalizeHostname, intersectHostnames } from './hostnames.ts';
import { selectorMatches } from './labels.ts';
import { bundleVersionSupported, defaultAttachedRoutesSemantics, SUPPORTED_BUNDLE_VERSIONS } from './semantics.ts';
import { appProtocolProblem, comparePrecedence, routeMatchKey, validateRule, type MatchKey, type RuleProblem } from './rules.ts';
import type {
  AttachedRoutesSemantics,
  Condition,
  GatewayResolution,
  GroupKind,
  ListenerResolution,
  ListenerSetResolution,
  ParentRefEcho,
  PolicyAncestorResolution,
  Resolution,
  ResolveOptions,
  RouteParentResolution,
  RouteResolution,
  RoutingBackend,
  RoutingCertificateRef,
  RoutingEntry,
  RoutingHostname,
  RoutingRoute,
  RoutingRule,
} from './types.ts';

// ---------------------------------------------------------------------------------------------------------
// internal state

interface Failure {
  reason: string;
  message: string;
}

interface ClassState {
  name: string;
  controllerName: string;
  accepted: Failure | undefined; // undefined = Accepted=True
}

interface Owner {
  kind: string;
  group: string;
  namespace: string;
  name: string;
  creationTimestamp: string;
}

interface ListenerState {
  gw: GatewayState;
  owner: Owner;
  ownerIsGateway: boolean;
  ls?: ListenerSetState;
  index: number;
  name: string;
  port: number;
  protocol: string;
  hostname?: string;
  tlsMode?: 'Terminate' | 'Passthrough';
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec: any;
  supportedKinds: GroupKind[];
  acceptedFail?: Failure;
  certFail?: Failure;
  caFail?: Failure;
  kindsFail?: Failure;
  conflict?: Failure;
  /** Another Gateway of the class already uses the same spec address + port (PortUnavailable). */
  portFail?: Failure;
  overlapping?: Failure;
  certRefs: RoutingCertificateRef[];
  attached: Set<RouteState>;
  attachments: { route: RouteState; hostnames: string[] }[];
}

interface ListenerSetState {
  obj: KubeObject;
  kind: string;
  group: string;
  namespace: string;
  name: string;
  gw: GatewayState;
  notAllowed?: Failure;
  listeners: ListenerState[];
  creationTimestamp: string;
}

interface GatewayState {
  obj: KubeObject;
  namespace: string;
  name: string;
  cls: ClassState;
  listeners: ListenerState[];
  listenerSets: ListenerSetState[];
  paramsFail?: Failure;
  clientCertFail?: Failure;
  insecureFallback: boolean;
  policies: Map<PolicyState, ParentRefEcho>;
}

interface BackendResolved extends Omit<RoutingBackend, 'percent'> {
  policy?: PolicyState;
  /** Every BackendTLSPolicy targeting this backend (the applied one and Conflicted/invalid ones): ancestor status. */
  relatedPolicies?: PolicyState[];
}

interface RouteState {
  /** Routing-table rules, built once per route and shared by every listener/hostname entry (read-only). */
  routingRules?: RoutingRule[];
  obj: KubeObject;
  kind: RouteKind;
  namespace: string;
  name: string;
  creationTimestamp: string;
  hostnames: string[];
  rules: { index: number; name?: string; matches: unknown[]; backends: BackendResolved[]; problem?: RuleProblem }[];
  /** First invalid rule's problem when EVERY rule is invalid (route parent Accepted=False). */
  allRulesInvalid?: RuleProblem;
  /** Indices of invalid rules when some (not all) rules are invalid (PartiallyInvalid=True). */
  droppedRules?: number[];
  /** HTTP match precedence key of the route's most specific valid match (routing-table order). */
  key?: MatchKey;
  refsFail?: Failure;
  parents: RouteParentResolution[];
}

interface PolicyState {
  obj: KubeObject;
  namespace: string;
  name: string;
  accepted?: Failure;
  resolvedRefs?: Failure;
  /** Accepted and at least one CA source usable. */
  valid: boolean;
  /** `ns/service#sectionName` of each Service targetRef ('' section = the whole Service). */
  targetKeys: Set<string>;
}

const GW_KIND = 'Gateway';

// ---------------------------------------------------------------------------------------------------------

/**
 * Recomputes Gateway API status and the effective routing table from `objects`.
 * Every GatewayClass present acts as a controller (its controllerName).
 */
export function resolve(objects: readonly KubeObject[], options: ResolveOptions = {}): Resolution {
  const features = new Set(options.features ?? SUPPORTED_FEATURES);
  const ctx = new Context(objects, features);
  const def = defaultAttachedRoutesSemantics(objects);
  const semantics: AttachedRoutesSemantics = options.attachedRoutesSemantics ?? def.semantics;
  ctx.findings.push({
    code: 'ATTACHED_ROUTES_SEMANTICS',
    severity: 'info',
    message:
      options.attachedRoutesSemantics !== undefined
        ? `attachedRoutes counted with ${semantics} semantics (chosen by option)`
        : def.bundleVersion !== undefined
          ? `attachedRoutes counted with ${semantics} semantics (captured CRD bundle-version ${def.bundleVersion})`
          : `attachedRoutes counted with ${semantics} semantics (no Gateway API CRD bundle-version captured; default)`,
    detail: { semantics, ...(def.bundleVersion !== undefined ? { bundleVersion: def.bundleVersion } : {}) },
  });

  const classes = resolveClasses(ctx);
  const gateways = resolveGateways(ctx, classes);
  resolveListenerSets(ctx, gateways);
  for (const gw of gateways.values()) detectConflicts(ctx, gw);
  detectAddressPortClashes(gateways);
  const policies = resolvePolicies(ctx);
  const routes = resolveRoutes(ctx, gateways, policies, semantics);

  return buildOutput(ctx, classes, gateways, routes, def.bundleVersion);
}

// ---------------------------------------------------------------------------------------------------------
// GatewayClass (apis/v1/gatewayclass_types.go)

function resolveClasses(ctx: Context): Map<string, ClassState> {
  const out = new Map<string, ClassState>();
  for (const gc of ctx.gatewayClasses) {
    const controllerName = str(gc.spec?.controllerName) ?? '';
    let accepted: Failure | undefined;
    const pr = gc.spec?.parametersRef;
    if (pr && typeof pr === 'object') {
      // GatewayClass parametersRef: a reference that cannot be resolved gives Accepted=False/InvalidParameters.
      const key = `${str(pr.group) ?? ''}|${str(pr.kind) ?? ''}|${str(pr.namespace) ?? ''}|${str(pr.name) ?? ''}`;
      if (!ctx.all.has(key)) {
        accepted = {
          reason: 'InvalidParameters',
          message: `parametersRef ${str(pr.kind) ?? '?'} ${str(pr.namespace) ? `${pr.namespace}/` : ''}${str(pr.name) ?? '?'} (group "${str(pr.group) ?? ''}") was not found in the snapshot`,
        };
      }
    }
    if (controllerName === '') accepted = { reason: 'Unsupported', message: 'spec.controllerName is empty' };
    out.set(gc.metadata.name, { name: gc.metadata.name, controllerName, accepted });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Gateway and listeners (apis/v1/gateway_types.go)

function ownerOf(o: KubeObject): Owner {
  return {
    kind: o.kind,
    group: groupOf(o.apiVersion),
    namespace: o.metadata.namespace ?? '',
    name: o.metadata.name,
    creationTimestamp: o.metadata.creationTimestamp ?? '',
  };
}

function resolveGateways(ctx: Context, classes: Map<string, ClassState>): Map<string, GatewayState> {
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
        gw.paramsFail = {
          reason: 'InvalidParameters',
          message: `infrastructure.parametersRef ${str(pr.kind) ?? '?'} ${gw.namespace}/${str(pr.name) ?? '?'} (group "${str(pr.group) ?? ''}") was not found in the snapshot`,
        };
      }
    }
    if (ctx.has('GatewayBackendClientCertificate')) gw.clientCertFail = checkClientCertificate(ctx, gw);
    const owner = ownerOf(g);
    const listeners: unknown[] = Array.isArray(g.spec?.listeners) ? g.spec.listeners : [];
    listeners.forEach((l, i) => gw.listeners.push(makeListener(ctx, gw, owner, true, undefined, l, i)));
    out.set(nsName(gw.namespace, gw.name), gw);
  }
  return out;
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
  if (!v.exists || !v.certValid || !v.hasKey) {
    return { reason: 'InvalidClientCertificateRef', message: `${what}: ${v.error ?? 'invalid'}` };
  }
  return undefined;
}

const PROTOCOL_FEATURE: Record<string, string | undefined> = {
  HTTP: undefined,
  HTTPS: undefined,
  TLS: 'TLSRoute',
  TCP: 'TCPRoute',
  UDP: 'UDPRoute',
};

/** Route kinds a protocol can carry (conformance: TLS listeners carry TLSRoute only, even Passthrough + TCPRoute). */
function compatibleKinds(ctx: Context, protocol: string): string[] {
  switch (protocol) {
    case 'HTTP':
    case 'HTTPS':
      return ctx.has('GRPCRoute') ? ['HTTPRoute', 'GRPCRoute'] : ['HTTPRoute'];
    case 'TLS':
      return ctx.has('TLSRoute') ? ['TLSRoute'] : [];
    case 'TCP':
      return ctx.has('TCPRoute') ? ['TCPRoute'] : [];
    case 'UDP':
      return ctx.has('UDPRoute') ? ['UDPRoute'] : [];
    default:
      return [];
  }
}

function makeListener(
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
    attachments: [],
  };
  // Protocol support (Listener.Protocol; gateway-invalid-listeners-unsupported-protocol.go).
  const supported = Object.prototype.hasOwnProperty.call(PROTOCOL_FEATURE, protocol) && (PROTOCOL_FEATURE[protocol] === undefined || ctx.has(PROTOCOL_FEATURE[protocol]!));
  if (!supported) {
    l.acceptedFail = { reason: 'UnsupportedProtocol', message: `protocol "${protocol}" is not supported` };
    return l;
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
  if (mode !== 'Terminate') return;
  const refs: unknown[] = Array.isArray(tls.certificateRefs) ? tls.certificateRefs : [];
  if (refs.length === 0) {
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
        if (!grant) fail = { reason: 'RefNotPermitted', message: `${what}: no ReferenceGrant in ${ns} allows ${l.owner.kind} ${l.owner.namespace}/${l.owner.name} to reference it` };
        else ref.referenceGrant = grant;
      }
      if (!fail) {
        const v = ctx.secretView(ns, name);
        ref.chain = v.chain;
        if (!v.exists || !v.certValid || !v.hasKey) fail = { reason: 'InvalidCertificateRef', message: `${what}: ${v.error ?? 'invalid'}` };
      }
    }
    if (fail) {
      ref.reason = fail.reason;
      ref.message = fail.message;
      if (!l.certFail) l.certFail = fail;
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
      if (!v.exists || !v.certValid) fail = { reason: 'InvalidCACertificateRef', message: `${what}: ${v.error ?? 'invalid'}` };
    }
    if (fail) {
      if (!l.caFail) l.caFail = fail;
    } else valid++;
  }
  if (valid === 0 && l.caFail) {
    l.acceptedFail = { reason: 'NoValidCACertificate', message: `no valid CA certificate for client validation on port ${l.port}: ${l.caFail.message}` };
  }
}

/** allowedRoutes.kinds and their per-protocol defaults (Listener.AllowedRoutes; gateway-invalid-route-kind.go). */
function computeKinds(ctx: Context, l: ListenerState): void {
  const compatible = compatibleKinds(ctx, l.protocol);
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

function allowsNamespace(ctx: Context, l: ListenerState, ns: string): boolean {
  // AllowedRoutes.Namespaces: From defaults to Same; Same is the namespace of the listener's owner.
  const nsSpec = l.spec.allowedRoutes?.namespaces;
  const from = str(nsSpec?.from) ?? 'Same';
  switch (from) {
    case 'All':
      return true;
    case 'Same':
      return ns === l.owner.namespace;
    case 'Selector':
      return selectorMatches(nsSpec?.selector, ctx.namespaceLabels(ns));
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------------------------------------
// ListenerSet (GEP-1713): gateway.networking.k8s.io/v1 ListenerSet and gateway.networking.x-k8s.io XListenerSet

function resolveListenerSets(ctx: Context, gateways: Map<string, GatewayState>): void {
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

/**
 * Conflicting listeners among a Gateway's own listeners are all rejected; a ListenerSet listener that
 * conflicts with a listener of higher precedence (the Gateway's, then older ListenerSets) is rejected alone.
 */
function detectConflicts(ctx: Context, gw: GatewayState): void {
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
        // OverlappingTLSConfig (GEP-3567): terminating listeners on one port whose hostnames overlap.
        if (protocolClass(a.protocol) === 'tls' && a.tlsMode === 'Terminate' && b.tlsMode === 'Terminate' && intersectHostnames(a.hostname, b.hostname) !== undefined) {
          const o = { reason: 'OverlappingHostnames', message: `hostnames of listeners ${a.name} (${a.hostname ?? '*'}) and ${b.name} (${b.hostname ?? '*'}) on port ${a.port} overlap` };
          a.overlapping ??= o;
          b.overlapping ??= o;
        }
      }
    }
  }
  for (const l of all) {
    if (l.conflict?.reason === 'ProtocolConflict') l.supportedKinds = [];
  }
}

function listenerAccepted(l: ListenerState): boolean {
  return !l.acceptedFail && !l.conflict && !l.portFail && !(l.ls && l.ls.notAllowed);
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
 * Linear: one map keyed by class, address, transport and port.
 */
function detectAddressPortClashes(gateways: Map<string, GatewayState>): void {
  const owners = new Map<string, GatewayState>();
  const sorted = [...gateways.values()].sort(
    (a, b) => compareStrings(a.obj.metadata.creationTimestamp || '\uffff', b.obj.metadata.creationTimestamp || '\uffff') || compareStrings(nsName(a.namespace, a.name), nsName(b.namespace, b.name)),
  );
  for (const gw of sorted) {
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
        if (owner && owner !== gw) {
          l.portFail ??= { reason: 'PortUnavailable', message: `address ${a.split('=').slice(1).join('=')} port ${l.port} is already used by Gateway ${owner.namespace}/${owner.name} of the same class` };
        } else claimed.push(key);
      }
    }
    for (const k of claimed) if (!owners.has(k)) owners.set(k, gw);
  }
}

function listenerResolvedRefsFail(l: ListenerState): Failure | undefined {
  // Precedence when several refs are invalid: certificateRefs, then frontend CA refs, then allowedRoutes.kinds.
  return l.certFail ?? l.caFail ?? l.kindsFail;
}

function listenerConditions(l: ListenerState, gwAccepted: boolean): Condition[] {
  const out: Condition[] = [];
  const acc = l.acceptedFail ?? l.conflict ?? l.portFail ?? l.ls?.notAllowed;
  out.push(acc ? cond('Accepted', 'False', acc.reason, acc.message) : cond('Accepted', 'True', 'Accepted', 'listener is valid'));
  const rr = listenerResolvedRefsFail(l);
  out.push(rr ? cond('ResolvedRefs', 'False', rr.reason, rr.message) : cond('ResolvedRefs', 'True', 'ResolvedRefs', 'all references are resolved'));
  // Programmed=False when not accepted, certificates unresolved, or CA refs invalid (conformance).
  const progFail = acc?.message ?? l.certFail?.message ?? l.caFail?.message ?? (gwAccepted ? undefined : 'the gateway is not accepted');
  out.push(progFail ? cond('Programmed', 'False', 'Invalid', progFail) : cond('Programmed', 'True', 'Programmed', 'listener is programmed'));
  out.push(l.conflict ? cond('Conflicted', 'True', l.conflict.reason, l.conflict.message) : cond('Conflicted', 'False', 'NoConflicts', 'no conflicts'));
  if (l.overlapping) out.push(cond('OverlappingTLSConfig', 'True', l.overlapping.reason, l.overlapping.message));
  return sortConditions(out);
}

// ---------------------------------------------------------------------------------------------------------
// BackendTLSPolicy (apis/v1/backendtlspolicy_types.go)

/**
 * BackendTLSPolicies indexed by target. `byTarget` key: `ns/service#sectionName` ('' = the whole Service); each list
 * is in precedence order (older creationTimestamp, then namespace/name; backendtlspolicy_types.go TargetRefs), so
 * `[0]` is the policy that applies and the others are Conflicted. `byService` lists every policy that targets a
 * Service name (any section), for ancestor status.
 */
interface PolicyIndex {
  byTarget: Map<string, PolicyState[]>;
  byService: Map<string, PolicyState[]>;
}

function resolvePolicies(ctx: Context): PolicyIndex {
  const index: PolicyIndex = { byTarget: new Map(), byService: new Map() };
  const sorted = [...ctx.backendTLSPolicies].sort(
    (a, b) =>
      compareStrings(a.metadata.creationTimestamp || '\uffff', b.metadata.creationTimestamp || '\uffff') ||
      compareStrings(nsName(a.metadata.namespace, a.metadata.name), nsName(b.metadata.namespace, b.metadata.name)),
  );
  for (const o of sorted) {
    const ns = o.metadata.namespace ?? '';
    const p: PolicyState = { obj: o, namespace: ns, name: o.metadata.name, valid: false, targetKeys: new Set() };
    const v = o.spec?.validation ?? {};
    const refs: unknown[] = Array.isArray(v.caCertificateRefs) ? v.caCertificateRefs : [];
    const wellKnown = str(v.wellKnownCACertificates);
    let validCA = 0;
    for (const r of refs as Record<string, unknown>[]) {
      const group = str(r?.['group']) ?? '';
      const kind = str(r?.['kind']) ?? '';
      const name = str(r?.['name']) ?? '';
      if (group !== '' || kind !== 'ConfigMap') {
        p.resolvedRefs ??= { reason: 'InvalidKind', message: `caCertificateRef ${kind} ${name}: expected group "" kind ConfigMap, found group "${group}" kind ${kind}` };
        continue;
      }
      const view = ctx.caView('ConfigMap', ns, name);
      if (!view.exists || !view.certValid) {
        p.resolvedRefs ??= { reason: 'InvalidCACertificateRef', message: `caCertificateRef ConfigMap ${ns}/${name}: ${view.error ?? 'invalid'}` };
        continue;
      }
      validCA++;
    }
    if (!str(v.hostname)) p.accepted = { reason: 'Invalid', message: 'spec.validation.hostname is required' };
    else if (refs.length > 0 && wellKnown !== undefined) p.accepted = { reason: 'Invalid', message: 'caCertificateRefs and wellKnownCACertificates are mutually exclusive' };
    else if (wellKnown !== undefined && wellKnown !== 'System') p.accepted = { reason: 'Invalid', message: `wellKnownCACertificates "${wellKnown}" is not supported (expected System)` };
    else if (wellKnown === undefined && validCA === 0) p.accepted = { reason: 'NoValidCACertificate', message: p.resolvedRefs ? `no valid CA certificate: ${p.resolvedRefs.message}` : 'no caCertificateRefs and no wellKnownCACertificates' };
    const targets: unknown[] = Array.isArray(o.spec?.targetRefs) ? o.spec.targetRefs : [];
    for (const t of targets as Record<string, unknown>[]) {
      const group = str(t?.['group']) ?? '';
      const kind = str(t?.['kind']) ?? '';
      const name = str(t?.['name']) ?? '';
      const section = str(t?.['sectionName']) ?? '';
      if (group !== '' || kind !== 'Service') continue;
      const svcKey = nsName(ns, name);
      p.targetKeys.add(`${svcKey}#${section}`);
      let related = index.byService.get(svcKey);
      if (!related) index.byService.set(svcKey, (related = []));
      if (!related.includes(p)) related.push(p);
      if (!ctx.services.has(svcKey)) {
        p.accepted ??= { reason: 'TargetNotFound', message: `target Service ${svcKey} not found` };
        continue;
      }
      const key = `${svcKey}#${section}`;
      let list = index.byTarget.get(key);
      if (!list) index.byTarget.set(key, (list = []));
      if (list.includes(p)) continue;
      const prev = list[0];
      // backendtlspolicy_types.go TargetRefs: several policies on one target and sectionName -> the older
      // (creationTimestamp, then namespace/name) takes precedence; the others get Accepted=False/Conflicted.
      if (prev) p.accepted ??= { reason: 'Conflicted', message: `Service ${svcKey}${section ? ` section ${section}` : ''} is already targeted by BackendTLSPolicy ${prev.namespace}/${prev.name}, which takes precedence` };
      list.push(p);
    }
    p.valid = p.accepted === undefined;
    if (!p.valid || p.resolvedRefs) {
      ctx.findings.push({
        code: p.accepted?.reason ?? p.resolvedRefs!.reason,
        severity: 'warning',
        subject: `BackendTLSPolicy ${ns}/${o.metadata.name}`,
        message: (p.accepted ?? p.resolvedRefs)!.message,
      });
    }
  }
  return index;
}

/**
 * The policy that applies to a backendRef to Service `svcKey` port `portName` (the Service port's name): a policy
 * whose targetRef names that section takes precedence over one for the whole Service (the more specific target;
 * our choice, the spec only orders policies on the same target and section).
 */
function policyFor(index: PolicyIndex, svcKey: string, portName: string | undefined): PolicyState | undefined {
  if (portName) {
    const section = index.byTarget.get(`${svcKey}#${portName}`);
    if (section && section.length > 0) return section[0];
  }
  return index.byTarget.get(`${svcKey}#`)?.[0];
}

function policyConditions(p: PolicyState): Condition[] {
  return sortConditions([
    p.accepted ? cond('Accepted', 'False', p.accepted.reason, p.accepted.message) : cond('Accepted', 'True', 'Accepted', 'policy is accepted'),
    p.resolvedRefs ? cond('ResolvedRefs', 'False', p.resolvedRefs.reason, p.resolvedRefs.message) : cond('ResolvedRefs', 'True', 'ResolvedRefs', 'all references are resolved'),
  ]);
}

// ---------------------------------------------------------------------------------------------------------
// Routes (apis/v1/shared_types.go CommonRouteSpec, ParentReference, RouteParentStatus)

function routeHostnames(r: KubeObject): string[] {
  const h: unknown[] = Array.isArray(r.spec?.hostnames) ? r.spec.hostnames : [];
  return h.filter((x): x is string => typeof x === 'string' && x !== '').map((x) => x.toLowerCase());
}

function resolveRoutes(ctx: Context, gateways: Map<string, GatewayState>, policies: PolicyIndex, semantics: AttachedRoutesSemantics): RouteState[] {
  const allGateways = new Map<string, KubeObject>();
  for (const g of ctx.gateways) allGateways.set(nsName(g.metadata.namespace, g.metadata.name), g);
  const listenerSets = new Map<string, ListenerSetState>();
  for (const gw of gateways.values()) for (const ls of gw.listenerSets) listenerSets.set(`${ls.group}|${ls.kind}|${ls.namespace}/${ls.name}`, ls);

  // Default Gateways (experimental; shared_types.go UseDefaultGateways, gateway_types.go DefaultScope): a route with
  // useDefaultGateways: All also gets an implicit whole-Gateway parentRef to every Gateway with defaultScope: All.
  const defaultGateways = [...gateways.values()]
    .filter((g) => g.obj.spec?.defaultScope === 'All')
    .sort((a, b) => compareStrings(a.namespace, b.namespace) || compareStrings(a.name, b.name))
    .map((g) => ({ group: GATEWAY_GROUP, kind: GW_KIND, namespace: g.namespace, name: g.name }));
  const implicitRefs = new Set<Record<string, unknown>>(defaultGateways);

  const out: RouteState[] = [];
  const pending: PendingParent[] = [];
  for (const o of ctx.routes) {
    const kind = o.kind as RouteKind;
    const ns = o.metadata.namespace ?? '';
    const label = `${kind} ${ns}/${o.metadata.name}`;
    const r: RouteState = {
      obj: o,
      kind,
      namespace: ns,
      name: o.metadata.name,
      creationTimestamp: o.metadata.creationTimestamp ?? '',
      hostnames: kind === 'TCPRoute' || kind === 'UDPRoute' ? [] : routeHostnames(o),
      rules: [],
      parents: [],
    };
    resolveBackends(ctx, r, policies);
    const resolvedRefs = r.refsFail ? cond('ResolvedRefs', 'False', r.refsFail.reason, r.refsFail.message) : cond('ResolvedRefs', 'True', 'ResolvedRefs', 'all references are resolved');
    const explicitRefs: unknown[] = Array.isArray(o.spec?.parentRefs) ? o.spec.parentRefs : [];
    const parentRefs = o.spec?.useDefaultGateways === 'All' && defaultGateways.length > 0 ? [...explicitRefs, ...defaultGateways] : explicitRefs;
    const seenRefs = new Set<string>();
    let handled = 0;
    for (const raw of parentRefs as Record<string, unknown>[]) {
      // ParentReference defaults: group gateway.networking.k8s.io, kind Gateway, namespace = the route's.
      const echo: ParentRefEcho = {
        group: str(raw?.['group']) ?? GATEWAY_GROUP,
        kind: str(raw?.['kind']) ?? GW_KIND,
        namespace: str(raw?.['namespace']) ?? ns,
        name: str(raw?.['name']) ?? '',
      };
      const sectionName = str(raw?.['sectionName']);
      if (sectionName) echo.sectionName = sectionName;
      const port = typeof raw?.['port'] === 'number' ? (raw['port'] as number) : undefined;
      if (port !== undefined) echo.port = port;
      const refKeyStr = `${echo.group}|${echo.kind}|${echo.namespace}|${echo.name}|${sectionName ?? ''}|${port ?? ''}`;
      if (seenRefs.has(refKeyStr)) {
        if (implicitRefs.has(raw)) continue; // already named explicitly
        ctx.findings.push({ code: 'DUPLICATE_PARENT_REF', severity: 'warning', subject: label, message: `parentRef ${echo.kind} ${echo.namespace}/${echo.name} (sectionName ${sectionName ?? '-'}, port ${port ?? '-'}) is listed more than once; the API server rejects this` });
        continue;
      }
      seenRefs.add(refKeyStr);

      let gw: GatewayState | undefined;
      let candidates: ListenerState[];
      let lsNotAllowed: Failure | undefined;
      if (echo.group === GATEWAY_GROUP && echo.kind === GW_KIND) {
        gw = gateways.get(nsName(echo.namespace, echo.name));
        if (!gw) {
          const exists = allGateways.has(nsName(echo.namespace, echo.name));
          ctx.findings.push({
            code: exists ? 'PARENT_NOT_HANDLED' : 'PARENT_NOT_FOUND',
            severity: 'warning',
            subject: label,
            message: exists
              ? `parent Gateway ${echo.namespace}/${echo.name} has a gatewayClassName with no GatewayClass in the snapshot; no status is written for this parentRef`
              : `parent Gateway ${echo.namespace}/${echo.name} does not exist in the snapshot; no status is written for this parentRef`,
          });
          continue;
        }
        // Routes that target a Gateway attach to its own listeners, not to ListenerSet listeners (GEP-1713).
        candidates = gw.listeners;
      } else if ((echo.group === GATEWAY_GROUP && echo.kind === 'ListenerSet') || (echo.group === GATEWAY_X_GROUP && echo.kind === 'XListenerSet')) {
        const ls = listenerSets.get(`${echo.group}|${echo.kind}|${echo.namespace}/${echo.name}`);
        if (!ls) {
          ctx.findings.push({ code: 'PARENT_NOT_FOUND', severity: 'warning', subject: label, message: `parent ${echo.kind} ${echo.namespace}/${echo.name} is not attached to a Gateway in the snapshot; no status is written for this parentRef` });
          continue;
        }
        gw = ls.gw;
        candidates = ls.listeners;
        lsNotAllowed = ls.notAllowed;
      } else {
        ctx.findings.push({ code: 'PARENT_KIND_UNSUPPORTED', severity: 'info', subject: label, message: `parentRef kind ${echo.kind} (group "${echo.group}") is not handled by a gateway controller; no status is written for it` });
        continue;
      }

      // sectionName / port select candidate listeners; both set -> both must hold.
      candidates = candidates.filter((l) => (sectionName === undefined || l.name === sectionName) && (port === undefined || l.port === port));
      let accepted: Condition;
      const attachTo: { l: ListenerState; hostnames: string[] }[] = [];
      const countOn: ListenerState[] = [];
      if (candidates.length === 0 || lsNotAllowed) {
        accepted = cond('Accepted', 'False', 'NoMatchingParent', lsNotAllowed ? `parent ${echo.kind} ${echo.namespace}/${echo.name} is not accepted by its Gateway: ${lsNotAllowed.message}` : `no listener of ${echo.kind} ${echo.namespace}/${echo.name} matches${sectionName !== undefined ? ` sectionName "${sectionName}"` : ''}${port !== undefined ? ` port ${port}` : ''}`);
      } else {
        // allowedRoutes: namespace and kind on each candidate.
        const allowed = candidates.filter((l) => l.supportedKinds.some((k) => k.group === GATEWAY_GROUP && k.kind === kind) && allowsNamespace(ctx, l, ns));
        if (allowed.length === 0) {
          accepted = cond('Accepted', 'False', 'NotAllowedByListeners', `no listener of ${echo.kind} ${echo.namespace}/${echo.name}${sectionName !== undefined ? ` (sectionName "${sectionName}")` : ''} allows a ${kind} from namespace ${ns}`);
        } else {
          for (const l of allowed) {
            const hosts = effectiveHostnames(l.hostname, r.hostnames);
            if (hosts.length > 0) attachTo.push({ l, hostnames: hosts });
          }
          if (attachTo.length === 0) {
            accepted = cond('Accepted', 'False', 'NoMatchingListenerHostname', `route hostnames ${r.hostnames.join(', ')} do not intersect any allowed listener hostname (${allowed.map((l) => l.hostname ?? '*').join(', ')})`);
          } else if (r.allRulesInvalid) {
            // Last in the Accepted=False precedence (digest §6): UnsupportedValue / IncompatibleFilters when no
            // rule can be carried out ("A route is Accepted if at least one rule is carried out by the parent").
            accepted = cond('Accepted', 'False', r.allRulesInvalid.reason, `no rule can be carried out: ${r.allRulesInvalid.message}`);
            attachTo.length = 0;
          } else accepted = cond('Accepted', 'True', 'Accepted', 'route is accepted');
          // attachedRoutes: v1.5 counts only listeners on which the route is accepted (hostnames intersect);
          // v1.4 counts every selected listener whose allowedRoutes admit the route.
          if (semantics === 'v1.4') countOn.push(...allowed);
          else countOn.push(...attachTo.map((a) => a.l));
        }
      }
      pending.push({ r, label, echo, gw, accepted, resolvedRefs, attachTo, countOn });
      handled++;
    }
    if (parentRefs.length === 0) {
      // No parentRefs (and no default Gateway): no controller writes status for it (shared_types.go CommonRouteSpec;
      // issue 3: objects left out of the output are listed as findings, never dropped silently).
      ctx.findings.push({
        code: 'ROUTE_NO_PARENT_REFS',
        severity: 'info',
        subject: label,
        message: `${label} has no spec.parentRefs${o.spec?.useDefaultGateways === 'All' ? ' and no Gateway with defaultScope All' : ''}; it attaches to nothing and no status is written for it`,
      });
    }
    if (r.refsFail && handled > 0) {
      for (const rule of r.rules) for (const b of rule.backends) {
        if (!b.valid) {
          ctx.findings.push({ code: b.reason!, severity: 'warning', subject: label, message: `rule ${rule.index} backendRef ${b.kind} ${b.namespace}/${b.name}: ${b.message ?? b.reason}` });
        }
      }
    }
    out.push(r);
  }
  const lost = resolveKindClashes(pending);
  for (const p of pending) finishParent(ctx, p, lost.get(p), semantics);
  return out;
}

/** A route parent whose status waits for the HTTPRoute/GRPCRoute clash check (needs every route). */
interface PendingParent {
  r: RouteState;
  label: string;
  echo: ParentRefEcho;
  gw: GatewayState;
  accepted: Condition;
  resolvedRefs: Condition;
  attachTo: { l: ListenerState; hostnames: string[] }[];
  countOn: ListenerState[];
}

function routeAgeOrder(a: RouteState, b: RouteState): number {
  return compareStrings(a.creationTimestamp || '\uffff', b.creationTimestamp || '\uffff') || compareStrings(nsName(a.namespace, a.name), nsName(b.namespace, b.name));
}

/**
 * HTTPRoute/GRPCRoute hostname clash (grpcroute_types.go Hostnames; digest §3): when an HTTPRoute and a GRPCRoute
 * attached to the same listener have intersecting hostnames, exactly one is accepted: the oldest by
 * creationTimestamp, then the first by `namespace/name`. Per listener, routes are taken oldest first and a route
 * loses when one of its effective hostnames intersects a route of the other kind that was already kept.
 * Returns, per parent, the listeners it lost and the route that won each. Cost: O(attachments x labels).
 */
function resolveKindClashes(pending: PendingParent[]): Map<PendingParent, Map<ListenerState, RouteState>> {
  const byListener = new Map<ListenerState, { p: PendingParent; hostnames: string[] }[]>();
  const kinds = new Map<ListenerState, number>();
  for (const p of pending) {
    if (p.accepted.status !== 'True' || (p.r.kind !== 'HTTPRoute' && p.r.kind !== 'GRPCRoute')) continue;
    for (const a of p.attachTo) {
      let list = byListener.get(a.l);
      if (!list) byListener.set(a.l, (list = []));
      list.push({ p, hostnames: a.hostnames });
      kinds.set(a.l, (kinds.get(a.l) ?? 0) | (p.r.kind === 'HTTPRoute' ? 1 : 2));
    }
  }
  const lost = new Map<PendingParent, Map<ListenerState, RouteState>>();
  for (const [l, list] of byListener) {
    if (kinds.get(l) !== 3) continue; // only one kind on this listener: nothing can clash
    list.sort((a, b) => routeAgeOrder(a.p.r, b.p.r));
    const kept = { HTTPRoute: new HostnameSet(), GRPCRoute: new HostnameSet() };
    const keptRoutes: { HTTPRoute: { r: RouteState; hostnames: string[] }[]; GRPCRoute: { r: RouteState; hostnames: string[] }[] } = { HTTPRoute: [], GRPCRoute: [] };
    /** Loser -> winner on this listener (a route named by two parentRefs that select this listener loses both). */
    const lostTo = new Map<RouteState, RouteState>();
    for (const { p, hostnames } of list) {
      const own = p.r.kind as 'HTTPRoute' | 'GRPCRoute';
      const other = own === 'HTTPRoute' ? 'GRPCRoute' : 'HTTPRoute';
      let winner = lostTo.get(p.r);
      if (!winner) {
        if (!hostnames.some((h) => kept[other].intersects(h))) {
          for (const h of hostnames) kept[own].add(h);
          keptRoutes[own].push({ r: p.r, hostnames });
          continue;
        }
        // Rare path: name the winner (the first kept route of the other kind whose hostnames intersect).
        winner = keptRoutes[other].find((k) => k.hostnames.some((x) => hostnames.some((h) => intersectHostnames(x, h) !== undefined)))!.r;
        lostTo.set(p.r, winner);
      }
      let m = lost.get(p);
      if (!m) lost.set(p, (m = new Map()));
      m.set(l, winner);
    }
  }
  return lost;
}

/** Writes the status of one route parent: attachments, attachedRoutes, policy ancestors, conditions, findings. */
function finishParent(ctx: Context, p: PendingParent, lostOn: Map<ListenerState, RouteState> | undefined, semantics: AttachedRoutesSemantics): void {
  const { r, label, echo, gw, resolvedRefs } = p;
  let { accepted, attachTo, countOn } = p;
  if (lostOn && lostOn.size > 0) {
    // The clash loser is detached from the listener(s) where it lost; with v1.5 semantics it is not counted there
    // (v1.4 counts routes that passed allowedRoutes whatever their Accepted state).
    attachTo = attachTo.filter((a) => !lostOn.has(a.l));
    if (semantics === 'v1.5') countOn = countOn.filter((l) => !lostOn.has(l));
    if (attachTo.length === 0) {
      const [l, winner] = [...lostOn.entries()][0]!;
      // Reason not fixed by the spec: HostnameConflict (our choice, docs/resolution.md).
      accepted = cond('Accepted', 'False', 'HostnameConflict', `${winner.kind} ${winner.namespace}/${winner.name} is attached to listener ${l.name} with intersecting hostnames and takes precedence (older, or first by namespace/name); exactly one of an HTTPRoute and a GRPCRoute is accepted`);
    }
  }
  for (const l of countOn) l.attached.add(r);
  for (const a of attachTo) {
    a.l.attachments.push({ route: r, hostnames: a.hostnames });
  }
  if (attachTo.length > 0) {
    for (const rule of r.rules) for (const b of rule.backends) for (const p of b.relatedPolicies ?? []) gw.policies.set(p, { group: GATEWAY_GROUP, kind: GW_KIND, namespace: gw.namespace, name: gw.name });
  }
  if (accepted.status === 'False') {
    ctx.findings.push({ code: accepted.reason, severity: 'warning', subject: label, message: `parent ${echo.kind} ${echo.namespace}/${echo.name}: not accepted: ${accepted.message}`, detail: { parentRef: echo } });
  }
  const conds = [accepted, resolvedRefs];
  if (accepted.status === 'True' && r.droppedRules) {
    // PartiallyInvalid (shared_types.go RouteConditionPartiallyInvalid): True only, reason UnsupportedValue,
    // message starting "Dropped Rule"; never for fully valid, fully invalid or not accepted routes.
    const first = r.rules.find((x) => x.problem)!.problem!;
    const pi = cond('PartiallyInvalid', 'True', 'UnsupportedValue', `Dropped Rule${r.droppedRules.length > 1 ? 's' : ''} ${r.droppedRules.join(', ')}: ${first.message}${first.reason === 'IncompatibleFilters' ? ' (IncompatibleFilters)' : ''}`);
    conds.push(pi);
    ctx.findings.push({ code: 'PartiallyInvalid', severity: 'warning', subject: label, message: `parent ${echo.kind} ${echo.namespace}/${echo.name}: ${pi.message}`, detail: { parentRef: echo } });
  }
  r.parents.push({ parentRef: echo, controllerName: gw.cls.controllerName, conditions: sortConditions(conds) });
}

/**
 * backendRefs (HTTPBackendRef / BackendRef in shared_types.go): kind/group -> InvalidKind; cross-namespace
 * without a ReferenceGrant -> RefNotPermitted (checked BEFORE existence:
 * udproute-invalid-cross-namespace-backend-ref.go); missing Service or port -> BackendNotFound.
 * The route's ResolvedRefs takes the first invalid ref in rule/ref order. Invalid backends never affect Accepted.
 */
function resolveBackends(ctx: Context, r: RouteState, policies: PolicyIndex): void {
  const rules: unknown[] = Array.isArray(r.obj.spec?.rules) ? r.obj.spec.rules : [];
  rules.forEach((rawRule, index) => {
    const rule = (rawRule ?? {}) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const refs: unknown[] = Array.isArray(rule['backendRefs']) ? rule['backendRefs'] : [];
    const backends = (refs as Record<string, unknown>[]).map((b) => resolveBackend(ctx, r, b, policies));
    // Filter backend refs (RequestMirror) count for ResolvedRefs too.
    const filterRefs: Record<string, unknown>[] = [];
    const collectFilters = (filters: unknown): void => {
      if (!Array.isArray(filters)) return;
      for (const f of filters as Record<string, any>[]) if (f?.['requestMirror']?.backendRef) filterRefs.push(f['requestMirror'].backendRef); // eslint-disable-line @typescript-eslint/no-explicit-any
    };
    collectFilters(rule['filters']);
    for (const b of refs as Record<string, unknown>[]) collectFilters(b?.['filters']);
    for (const fr of filterRefs) {
      const fb = resolveBackend(ctx, r, fr, policies);
      if (!fb.valid && !r.refsFail) r.refsFail = { reason: fb.reason!, message: `requestMirror backendRef ${fb.kind} ${fb.namespace}/${fb.name}: ${fb.message}` };
    }
    for (const b of backends) {
      if (!b.valid && !r.refsFail) r.refsFail = { reason: b.reason!, message: `rule ${index} backendRef ${b.kind} ${b.namespace}/${b.name}: ${b.message}` };
    }
    const name = str(rule['name']);
    // Rule validity (route parent Accepted UnsupportedValue / IncompatibleFilters, PartiallyInvalid; rules.ts).
    const problem = validateRule(r.kind, rule, index);
    r.rules.push({ index, ...(name ? { name } : {}), matches: Array.isArray(rule['matches']) ? clonePlain(rule['matches']) : [], backends, ...(problem ? { problem } : {}) });
  });
  const invalid = r.rules.filter((x) => x.problem !== undefined);
  if (invalid.length > 0 && invalid.length === r.rules.length) r.allRulesInvalid = invalid[0]!.problem;
  else if (invalid.length > 0) r.droppedRules = invalid.map((x) => x.index);
}

function resolveBackend(ctx: Context, r: RouteState, b: Record<string, unknown>, policies: PolicyIndex): BackendResolved {
  const group = str(b?.['group']) ?? '';
  const kind = str(b?.['kind']) ?? 'Service';
  const namespace = str(b?.['namespace']) ?? r.namespace;
  const name = str(b?.['name']) ?? '';
  const port = typeof b?.['port'] === 'number' ? (b['port'] as number) : undefined;
  const weight = typeof b?.['weight'] === 'number' ? (b['weight'] as number) : 1;
  const out: BackendResolved = { group, kind, namespace, name, ...(port !== undefined ? { port } : {}), weight, valid: true, crossNamespace: namespace !== r.namespace };
  const fail = (reason: string, message: string): BackendResolved => Object.assign(out, { valid: false, reason, message });
  if (group !== '' || kind !== 'Service') return fail('InvalidKind', `kind ${kind} (group "${group}") is not supported; expected core Service`);
  if (out.crossNamespace) {
    const grant = ctx.findGrant({ group: GATEWAY_GROUP, kind: r.kind, namespace: r.namespace }, { group: '', kind: 'Service', namespace, name });
    if (!grant) return fail('RefNotPermitted', `no ReferenceGrant in ${namespace} allows ${r.kind} ${r.namespace}/${r.name} to reference Service ${name}`);
    out.referenceGrant = grant;
  }
  const svcKey = nsName(namespace, name);
  // Policies targeting this Service get ancestor status on the Gateways the route attaches to, whatever their state.
  const related = policies.byService.get(svcKey);
  if (related) out.relatedPolicies = related;
  const svc = ctx.services.get(svcKey);
  if (!svc) return fail('BackendNotFound', `Service ${namespace}/${name} not found`);
  out.service = {
    type: str(svc.spec?.type) ?? 'ClusterIP',
    labels: { ...(svc.metadata.labels ?? {}) },
    annotations: { ...(svc.metadata.annotations ?? {}) },
  };
  if (port === undefined) return fail('BackendNotFound', `backendRef to Service ${namespace}/${name} has no port`);
  const ports: unknown[] = Array.isArray(svc.spec?.ports) ? svc.spec.ports : [];
  // ExternalName Services have no ports; any port is forwarded.
  const svcPort = (ports as Record<string, unknown>[]).find((p) => p?.['port'] === port);
  if (out.service.type !== 'ExternalName' && ports.length > 0 && !svcPort) {
    return fail('BackendNotFound', `Service ${namespace}/${name} has no port ${port}`);
  }
  // A BackendTLSPolicy for a section (Service port name) only concerns backendRefs to that port.
  const portName = str(svcPort?.['name']);
  if (related) {
    const mine = related.filter((p) => p.targetKeys.has(`${svcKey}#`) || (portName !== undefined && p.targetKeys.has(`${svcKey}#${portName}`)));
    if (mine.length > 0) out.relatedPolicies = mine;
    else delete out.relatedPolicies;
  }
  // Service port appProtocol (GEP-1911; BackendRef doc): one the implementation cannot use gives
  // ResolvedRefs=False/UnsupportedProtocol, checked after existence (rules.ts SUPPORTED_APP_PROTOCOLS).
  const appProblem = appProtocolProblem(r.kind, str(svcPort?.['appProtocol']));
  if (appProblem) return fail('UnsupportedProtocol', `Service ${namespace}/${name} port ${port}: ${appProblem}`);
  const policy = policyFor(policies, svcKey, portName);
  if (policy) {
    out.backendTLSPolicy = nsName(policy.namespace, policy.name);
    out.policy = policy;
    // HTTPBackendRef doc (digest §5): a backend whose BackendTLSPolicy the implementation cannot satisfy counts as
    // an invalid backendRef, so the route parent gets ResolvedRefs=False. No reason is defined upstream for it:
    // we use the implementation-specific reason BackendTLSPolicyInvalid (docs/resolution.md), checked last.
    if (!policy.valid) return fail('BackendTLSPolicyInvalid', `BackendTLSPolicy ${policy.namespace}/${policy.name} cannot be applied: ${policy.accepted?.message ?? ''}`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Output

function gatewayConditions(gw: GatewayState): { conditions: Condition[]; accepted: boolean } {
  const own = gw.listeners;
  const lsListeners = gw.listenerSets.filter((ls) => !ls.notAllowed).flatMap((ls) => ls.listeners);
  const considered = own.length > 0 ? own : lsListeners;
  const validCount = considered.filter(listenerAccepted).length;
  let acc: Condition;
  if (gw.cls.accepted) acc = cond('Accepted', 'False', 'Invalid', `GatewayClass ${gw.cls.name} is not accepted: ${gw.cls.accepted.message}`);
  else if (gw.paramsFail) acc = cond('Accepted', 'False', gw.paramsFail.reason, gw.paramsFail.message);
  else if (validCount === 0) acc = cond('Accepted', 'False', 'ListenersNotValid', considered.length === 0 ? 'the gateway has no listeners' : 'no listener is valid');
  else if (validCount < considered.length) acc = cond('Accepted', 'True', 'ListenersNotValid', `${considered.length - validCount} of ${considered.length} listeners are not valid`);
  else acc = cond('Accepted', 'True', 'Accepted', 'gateway is accepted');
  const accepted = acc.status === 'True';
  const out: Condition[] = [acc];
  out.push(accepted ? cond('Programmed', 'True', 'Programmed', 'gateway would be programmed (addresses are not checked offline)') : cond('Programmed', 'False', 'Invalid', acc.message));
  const unresolved = own.filter((l) => listenerResolvedRefsFail(l) !== undefined);
  if (gw.clientCertFail) out.push(cond('ResolvedRefs', 'False', gw.clientCertFail.reason, gw.clientCertFail.message));
  else if (unresolved.length > 0) out.push(cond('ResolvedRefs', 'False', 'ListenersNotResolved', `listeners with unresolved references: ${unresolved.map((l) => l.name).join(', ')}`));
  else out.push(cond('ResolvedRefs', 'True', 'ResolvedRefs', 'all references are resolved'));
  if (gw.insecureFallback) out.push(cond('InsecureFrontendValidationMode', 'True', 'ConfigurationChanged', 'frontend client certificate validation uses AllowInsecureFallback'));
  return { conditions: sortConditions(out), accepted };
}

function listenerOut(l: ListenerState, gwAccepted: boolean): ListenerResolution {
  return { name: l.name, attachedRoutes: l.attached.size, supportedKinds: l.supportedKinds.map((k) => ({ ...k })), conditions: listenerConditions(l, gwAccepted) };
}

function pushListenerFindings(ctx: Context, subject: string, l: ListenerResolution): void {
  for (const c of l.conditions) {
    if ((c.type === 'Accepted' || c.type === 'ResolvedRefs') && c.status === 'False') {
      ctx.findings.push({ code: c.reason, severity: 'warning', subject, message: `listener ${l.name}: ${c.type}=False: ${c.message}` });
    }
  }
}

/**
 * GatewayClass SupportedVersion (experimental; gatewayclass_types.go): the captured CRD bundle-version against
 * SUPPORTED_BUNDLE_VERSIONS. Best effort: an unsupported version keeps Accepted as computed (digest §6). Not
 * written when no bundle-version is captured (nothing to compare offline).
 */
function supportedVersionCondition(bundleVersion: string | undefined): Condition | undefined {
  if (bundleVersion === undefined) return undefined;
  const range = `${SUPPORTED_BUNDLE_VERSIONS.min} <= version < ${SUPPORTED_BUNDLE_VERSIONS.maxExclusive}`;
  return bundleVersionSupported(bundleVersion)
    ? cond('SupportedVersion', 'True', 'SupportedVersion', `Gateway API CRD bundle-version ${bundleVersion} is supported (${range})`)
    : cond('SupportedVersion', 'False', 'UnsupportedVersion', `Gateway API CRD bundle-version ${bundleVersion} is not supported (${range}); reconciling on a best-effort basis`);
}

function buildOutput(ctx: Context, classes: Map<string, ClassState>, gateways: Map<string, GatewayState>, routes: RouteState[], bundleVersion: string | undefined): Resolution {
  const version = supportedVersionCondition(bundleVersion);
  const gatewayClasses = [...classes.values()]
    .sort((a, b) => compareStrings(a.name, b.name))
    .map((c) => {
      if (c.accepted) ctx.findings.push({ code: c.accepted.reason, severity: 'warning', subject: `GatewayClass ${c.name}`, message: c.accepted.message });
      if (version?.status === 'False') ctx.findings.push({ code: version.reason, severity: 'warning', subject: `GatewayClass ${c.name}`, message: version.message });
      const conditions = [c.accepted ? cond('Accepted', 'False', c.accepted.reason, c.accepted.message) : cond('Accepted', 'True', 'Accepted', 'gatewayclass is accepted')];
      if (version) conditions.push({ ...version });
      return { name: c.name, controllerName: c.controllerName, conditions: sortConditions(conditions) };
    });

  const gwList = [...gateways.values()].sort((a, b) => compareStrings(a.namespace, b.namespace) || compareStrings(a.name, b.name));
  const gatewaysOut: GatewayResolution[] = [];
  const routing: RoutingEntry[] = [];
  for (const gw of gwList) {
    const subject = `Gateway ${gw.namespace}/${gw.name}`;
    const { conditions, accepted } = gatewayConditions(gw);
    for (const c of conditions) {
      if (c.status === 'False' && c.reason !== 'Invalid' && c.type !== 'Programmed') ctx.findings.push({ code: c.reason, severity: 'warning', subject, message: `${c.type}=False: ${c.message}` });
    }
    const g: GatewayResolution = {
      namespace: gw.namespace,
      name: gw.name,
      gatewayClassName: gw.cls.name,
      conditions,
      listeners: gw.listeners.map((l) => listenerOut(l, accepted)),
    };
    for (const l of g.listeners) pushListenerFindings(ctx, subject, l);
    if (gw.listenerSets.length > 0) {
      g.listenerSets = gw.listenerSets
        .map((ls) => listenerSetOut(ctx, ls, accepted))
        .sort((a, b) => compareStrings(a.namespace, b.namespace) || compareStrings(a.name, b.name) || compareStrings(a.kind, b.kind));
    }
    // status.attachedListenerSets (gateway_types.go GatewayStatus): ListenerSets allowed by the Gateway whose
    // parentRef selects it and that are Accepted=True.
    if (ctx.has('ListenerSet') && (gw.listenerSets.length > 0 || gw.obj.spec?.allowedListeners != null)) {
      g.attachedListenerSets = (g.listenerSets ?? []).filter((ls) => ls.conditions.some((c) => c.type === 'Accepted' && c.status === 'True')).length;
    }
    if (gw.policies.size > 0) {
      g.backendTLSPolicies = [...gw.policies.entries()]
        .map(([p, ancestorRef]): PolicyAncestorResolution => ({ kind: 'BackendTLSPolicy', namespace: p.namespace, name: p.name, ancestorRef, controllerName: gw.cls.controllerName, conditions: policyConditions(p) }))
        .sort((a, b) => compareStrings(a.namespace, b.namespace) || compareStrings(a.name, b.name));
    }
    gatewaysOut.push(g);
    const addresses = (Array.isArray(gw.obj.status?.addresses) ? gw.obj.status.addresses : [])
      .map((a: Record<string, unknown>) => str(a?.['value']))
      .filter((v: string | undefined): v is string => v !== undefined);
    for (const l of gw.listeners) routing.push(routingEntry(l, addresses, accepted));
    for (const ls of gw.listenerSets) if (!ls.notAllowed) for (const l of ls.listeners) routing.push(routingEntry(l, addresses, accepted));
  }

  const routesOut: RouteResolution[] = routes
    .filter((r) => r.parents.length > 0)
    .sort((a, b) => compareStrings(a.kind, b.kind) || compareStrings(a.namespace, b.namespace) || compareStrings(a.name, b.name))
    .map((r) => ({ kind: r.kind, namespace: r.namespace, name: r.name, parents: r.parents }));

  const findings = ctx.findings.sort(
    (a: Finding, b: Finding) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      compareStrings(a.code, b.code) ||
      compareStrings(a.subject ?? '', b.subject ?? '') ||
      compareStrings(a.message, b.message),
  );
  return { gatewayClasses, gateways: gatewaysOut, routes: routesOut, routing, findings };
}

function listenerSetOut(ctx: Context, ls: ListenerSetState, gwAccepted: boolean): ListenerSetResolution {
  const listeners = ls.listeners.map((l) => listenerOut(l, gwAccepted && !ls.notAllowed));
  const subject = `${ls.kind} ${ls.namespace}/${ls.name}`;
  for (const l of listeners) pushListenerFindings(ctx, subject, l);
  const valid = ls.listeners.filter(listenerAccepted).length;
  let acc: Condition;
  if (ls.notAllowed) acc = cond('Accepted', 'False', ls.notAllowed.reason, ls.notAllowed.message);
  else if (valid === 0) acc = cond('Accepted', 'False', 'ListenersNotValid', 'no listener is valid');
  else if (valid < ls.listeners.length) acc = cond('Accepted', 'True', 'ListenersNotValid', `${ls.listeners.length - valid} of ${ls.listeners.length} listeners are not valid`);
  else acc = cond('Accepted', 'True', 'Accepted', 'listenerset is accepted');
  if (acc.status === 'False') ctx.findings.push({ code: acc.reason, severity: 'warning', subject, message: `Accepted=False: ${acc.message}` });
  const ok = acc.status === 'True' && gwAccepted;
  const rr = ls.listeners.map(listenerResolvedRefsFail).find((f) => f !== undefined);
  return {
    kind: ls.kind,
    group: ls.group,
    namespace: ls.namespace,
    name: ls.name,
    conditions: sortConditions([
      acc,
      ok ? cond('Programmed', 'True', 'Programmed', 'listenerset would be programmed') : cond('Programmed', 'False', 'Invalid', acc.status === 'False' ? acc.message : 'the gateway is not accepted'),
      rr ? cond('ResolvedRefs', 'False', rr.reason, rr.message) : cond('ResolvedRefs', 'True', 'ResolvedRefs', 'all references are resolved'),
    ]),
    listeners,
  };
}

/** Plain-data deep copy (the inputs are parsed YAML/JSON); much cheaper than structuredClone. */
function clonePlain<T>(v: T): T {
  if (Array.isArray(v)) return v.map(clonePlain) as T;
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = clonePlain(x);
    return out as T;
  }
  return v;
}

function routingRules(r: RouteState): RoutingRule[] {
  if (r.routingRules) return r.routingRules;
  r.routingRules = r.rules.map((rule) => {
    const total = rule.backends.reduce((s, b) => s + (b.weight > 0 ? b.weight : 0), 0);
    return {
      index: rule.index,
      ...(rule.name ? { name: rule.name } : {}),
      matches: rule.matches,
      backends: rule.backends.map((b): RoutingBackend => {
        const { policy: _policy, relatedPolicies: _related, ...rest } = b;
        return { ...rest, percent: percentOf(b.weight > 0 ? b.weight : 0, total) };
      }),
      ...(rule.problem ? { dropped: { reason: rule.problem.reason, message: rule.problem.message } } : {}),
    };
  });
  return r.routingRules;
}

/** Precedence inputs of a route; RouteState has every field, the match key is computed once per route. */
function precedenceOf(r: RouteState): RouteState & { key: MatchKey } {
  r.key ??= routeMatchKey(r.kind, r.rules.filter((x) => !x.problem));
  return r as RouteState & { key: MatchKey };
}

function percentOf(weight: number, total: number): number {
  return total > 0 ? Math.round((weight / total) * 10000) / 100 : 0;
}

function routingEntry(l: ListenerState, addresses: string[], gwAccepted: boolean): RoutingEntry {
  const e: RoutingEntry = {
    gateway: { namespace: l.gw.namespace, name: l.gw.name },
    ...(l.ls ? { listenerSet: { kind: l.ls.kind, namespace: l.ls.namespace, name: l.ls.name } } : {}),
    listener: l.name,
    ...(l.hostname ? { listenerHostname: l.hostname } : {}),
    port: l.port,
    protocol: l.protocol,
    ...(l.tlsMode ? { tlsMode: l.tlsMode } : {}),
    listenerAccepted: listenerAccepted(l),
    listenerProgrammed: listenerConditions(l, gwAccepted).some((c) => c.type === 'Programmed' && c.status === 'True'),
    certificateRefs: l.certRefs,
    addresses: [...addresses],
    hostnames: [],
  };
  // TCPRoute/UDPRoute: all attach, only the oldest serves traffic (tcproute-multiple-routes-attachment.go).
  const l4 = l.attachments.filter((a) => a.route.kind === 'TCPRoute' || a.route.kind === 'UDPRoute').map((a) => a.route);
  l4.sort((a, b) => compareStrings(a.creationTimestamp || '\uffff', b.creationTimestamp || '\uffff') || compareStrings(nsName(a.namespace, a.name), nsName(b.namespace, b.name)));
  const l4Winner = l4[0];
  const byHost = new Map<string, Map<RouteState, RoutingRoute>>();
  for (const a of l.attachments) {
    for (const h of a.hostnames) {
      let m = byHost.get(h);
      if (!m) byHost.set(h, (m = new Map()));
      if (m.has(a.route)) continue;
      const r = a.route;
      m.set(r, {
        kind: r.kind,
        namespace: r.namespace,
        name: r.name,
        servesTraffic: r.kind === 'TCPRoute' || r.kind === 'UDPRoute' ? r === l4Winner : true,
        precedence: 0,
        rules: routingRules(r),
      });
    }
  }
  const hosts: RoutingHostname[] = [...byHost.entries()]
    .sort((a, b) => compareStrings(a[0], b[0]))
    .map(([hostname, m]) => {
      // HTTP route precedence (digest §6): most specific match first, then oldest, then namespace/name.
      const ranked = [...m.entries()].map(([route, rr]) => ({ p: precedenceOf(route), rr })).sort((a, b) => comparePrecedence(a.p, b.p));
      return { hostname, routes: ranked.map((x, i) => Object.assign(x.rr, { precedence: i })) };
    });
  e.hostnames = hosts;
  return e;
}

