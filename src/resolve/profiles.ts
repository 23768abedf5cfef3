/**
 * Controller profiles (`--semantics spec|envoy-gateway|istio|auto`): the stable, source-documented ways real
 * controllers depart from the spec or choose differently where it leaves room. `spec` is the default and the
 * only semantics conformance claims are made in. Each switch is a named entry below; the stage that implements
 * the rule it changes checks `switchOn(profile, id)` next to that rule and records the departure
 * (`PROFILE_SWITCH` info finding) when the profile's result differs from the spec's. docs/resolution.md
 * "Controller profiles" lists every switch with the controller source file it copies.
 */

/** A concrete profile: the semantics that produced one GatewayClass's (and its Gateways') status. */
export type Profile = 'spec' | 'envoy-gateway' | 'istio';
/** What the user asks for: a profile for every class, or `auto` (per GatewayClass controllerName). */
export type Semantics = Profile | 'auto';

export const SEMANTICS: readonly Semantics[] = Object.freeze(['spec', 'envoy-gateway', 'istio', 'auto']);

/**
 * Known controllerNames of the implementations we have profiles for (`auto`). Envoy Gateway:
 * `gateway.envoyproxy.io/gatewayclass-controller` (the default EnvoyGateway gateway.controllerName, api/v1alpha1;
 * path approximate). Istio: `istio.io/gateway-controller` (ManagedGatewayController), `istio.io/mesh-controller`
 * (waypoints, ManagedGatewayMeshController), `istio.io/unmanaged-gateway` (istio-remote class); constants in
 * pkg/config/constants (path approximate).
 */
export const PROFILE_CONTROLLERS: Readonly<Record<string, Profile>> = Object.freeze({
  'gateway.envoyproxy.io/gatewayclass-controller': 'envoy-gateway',
  'istio.io/gateway-controller': 'istio',
  'istio.io/mesh-controller': 'istio',
  'istio.io/unmanaged-gateway': 'istio',
});

/** The profile a GatewayClass gets under `semantics`: the named one, or by controllerName for `auto`. */
export function profileFor(semantics: Semantics, controllerName: string): Profile {
  if (semantics !== 'auto') return semantics;
  return PROFILE_CONTROLLERS[controllerName] ?? 'spec';
}

export type SwitchId =
  | 'eg-listener-programmed-any-problem'
  | 'eg-attached-routes-count-invalid-rules'
  | 'eg-passthrough-certificaterefs-not-programmed'
  | 'eg-no-route-kind-hostname-clash'
  | 'eg-backend-port-reasons'
  | 'eg-backendref-filter-unsupported-ref-value'
  | 'eg-l4-route-single-rule'
  | 'eg-gateway-conditions-not-written-by-translator'
  | 'istio-backend-port-not-checked'
  | 'istio-merged-gateways-same-address'
  | 'istio-hostname-before-allowed-routes'
  | 'istio-gateway-resolvedrefs-client-certificate-only'
  | 'istio-no-route-kind-hostname-clash'
  | 'istio-tls-terminate-mode-option'
  | 'istio-serviceimport-as-service';

export interface ProfileSwitch {
  id: SwitchId;
  profile: Exclude<Profile, 'spec'>;
  /** What the controller does, in one line. */
  summary: string;
  /** The spec text (or our documented spec choice) it departs from. */
  spec: string;
  /** The controller source file(s) the switch copies. */
  source: string;
}

const S = (p: ProfileSwitch): ProfileSwitch => Object.freeze(p);

export const PROFILE_SWITCHES: Readonly<Record<SwitchId, ProfileSwitch>> = Object.freeze({
  'eg-listener-programmed-any-problem': S({
    id: 'eg-listener-programmed-any-problem',
    profile: 'envoy-gateway',
    summary: 'a listener with any condition problem (InvalidRouteKinds included) gets Programmed=False/Invalid',
    spec: 'ListenerConditionProgrammed: "the listener has been configured in the data plane"; with InvalidRouteKinds alone the valid kinds are still served, so the spec engine keeps Programmed=True',
    source: 'internal/gatewayapi/listener.go (ProcessListeners: any non-Programmed condition -> Programmed=False "Listener is invalid, see other Conditions for details.")',
  }),
  'eg-attached-routes-count-invalid-rules': S({
    id: 'eg-attached-routes-count-invalid-rules',
    profile: 'envoy-gateway',
    summary: 'HTTPRoute/GRPCRoute parents rejected because no rule is valid still count in listener attachedRoutes',
    spec: 'ListenerStatus.AttachedRoutes (v1.5+): routes "successfully attached" (Accepted=True) to the listener',
    source: 'internal/gatewayapi/route.go (processAllowedListenersForParentRefs increments AttachedRoutes before rules are translated)',
  }),
  'eg-passthrough-certificaterefs-not-programmed': S({
    id: 'eg-passthrough-certificaterefs-not-programmed',
    profile: 'envoy-gateway',
    summary: 'a TLS Passthrough listener that sets certificateRefs gets Programmed=False/Invalid',
    spec: 'GatewayTLSConfig.CertificateRefs is ignored in Passthrough mode; the listener is valid',
    source: 'internal/gatewayapi/validate.go (validateTLSConfiguration: "Listener must not have TLS certificate refs set for TLS mode Passthrough.")',
  }),
  'eg-no-route-kind-hostname-clash': S({
    id: 'eg-no-route-kind-hostname-clash',
    profile: 'envoy-gateway',
    summary: 'an HTTPRoute and a GRPCRoute with intersecting hostnames on one listener are both accepted',
    spec: 'GRPCRoute Hostnames (grpcroute_types.go): an HTTPRoute and a GRPCRoute with the same hostname on one listener: exactly one is accepted',
    source: 'internal/gatewayapi/route.go (no cross-kind hostname check; both are translated to one HTTP route table)',
  }),
  'eg-backend-port-reasons': S({
    id: 'eg-backend-port-reasons',
    profile: 'envoy-gateway',
    summary: 'backendRef without a port -> ResolvedRefs=False/PortNotSpecified; a port the Service does not expose -> PortNotFound',
    spec: 'RouteConditionResolvedRefs reasons (shared_types.go): BackendNotFound for a missing backend or port',
    source: 'internal/gatewayapi/validate.go (validateBackendPort: RouteReasonPortNotSpecified; the Service port lookup: RouteReasonPortNotFound); the reason constants in internal/gatewayapi/status/ (function names and file approximate)',
  }),
  'eg-backendref-filter-unsupported-ref-value': S({
    id: 'eg-backendref-filter-unsupported-ref-value',
    profile: 'envoy-gateway',
    summary:
      'a backendRef-level filter other than RequestHeaderModifier / ResponseHeaderModifier (HTTPRoute: also ExtensionRef) makes that backend invalid: ResolvedRefs=False/UnsupportedRefValue, its traffic share gets 500',
    spec: 'HTTPBackendRef.Filters / GRPCBackendRef.Filters (httproute_types.go, grpcroute_types.go): any HTTPRouteFilter type may be set per backend (Implementation-specific support); a supported filter keeps the backend valid',
    source: 'internal/gatewayapi/validate.go (validateBackendRef -> validateBackendRefFilters, reason UnsupportedRefValue; path approximate)',
  }),
  'eg-l4-route-single-rule': S({
    id: 'eg-l4-route-single-rule',
    profile: 'envoy-gateway',
    summary: 'a TCPRoute/UDPRoute with more than one rule gets ResolvedRefs=False/InvalidRule ("One and only one rule is supported")',
    spec: 'TCPRouteSpec/UDPRouteSpec.Rules: 1..16 rules are allowed',
    source: 'internal/gatewayapi/route.go (processTCPRouteParentRefs / processUDPRouteParentRefs: len(rules) != 1)',
  }),
  'eg-gateway-conditions-not-written-by-translator': S({
    id: 'eg-gateway-conditions-not-written-by-translator',
    profile: 'envoy-gateway',
    summary: 'the translator writes no Gateway-level Accepted/Programmed for a healthy Gateway (the provider adds them from the data plane)',
    spec: 'GatewayConditionAccepted / GatewayConditionProgrammed: controllers set them on every Gateway they reconcile',
    source: 'internal/gatewayapi/status/gateway.go (UpdateGatewayStatusProgrammedCondition: Programmed from the envoy Service address and Deployment readiness, applied by the Kubernetes provider in internal/provider/kubernetes/; path approximate)',
  }),
  'istio-backend-port-not-checked': S({
    id: 'istio-backend-port-not-checked',
    profile: 'istio',
    summary: 'backendRef ports are not checked against the Service ports (no BackendNotFound for an unknown port)',
    spec: 'BackendRef doc: a reference to a port the Service does not expose is an invalid backendRef (BackendNotFound)',
    source: 'pilot/pkg/config/kube/gateway/conversion.go (buildDestination: only the Service is looked up, the port is passed through)',
  }),
  'istio-merged-gateways-same-address': S({
    id: 'istio-merged-gateways-same-address',
    profile: 'istio',
    summary: 'Gateways of one class bound to the same address are merged into one deployment: no cross-Gateway PortUnavailable',
    spec: 'our spec choice (docs/resolution.md "PortUnavailable across Gateways"): Gateways of one class that request the same address are not merged',
    source: 'pilot/pkg/config/kube/gateway/conversion.go (convertGateways in the releases before the krt rewrite: Gateways sharing an address share one istio Gateway/ingress deployment; path approximate)',
  }),
  'istio-hostname-before-allowed-routes': S({
    id: 'istio-hostname-before-allowed-routes',
    profile: 'istio',
    summary: 'NoMatchingListenerHostname takes precedence over NotAllowedByListeners',
    spec: 'our documented precedence (docs/resolution.md): NoMatchingParent -> NotAllowedByListeners -> NoMatchingListenerHostname',
    source: 'pilot/pkg/config/kube/gateway/conversion.go (referenceAllowed checks hostnames before namespaces/kinds), conditions.go',
  }),
  'istio-gateway-resolvedrefs-client-certificate-only': S({
    id: 'istio-gateway-resolvedrefs-client-certificate-only',
    profile: 'istio',
    summary: 'Gateway-level ResolvedRefs reflects only the backend client certificate, never ListenersNotResolved',
    spec: 'GatewayConditionResolvedRefs (v1.5): False/ListenersNotResolved when a listener has unresolved references',
    source: 'pilot/pkg/config/kube/gateway/conditions.go (gateway ResolvedRefs set from spec.tls.backend.clientCertificateRef only; path approximate)',
  }),
  'istio-no-route-kind-hostname-clash': S({
    id: 'istio-no-route-kind-hostname-clash',
    profile: 'istio',
    summary: 'an HTTPRoute and a GRPCRoute with intersecting hostnames on one listener are both accepted',
    spec: 'GRPCRoute Hostnames (grpcroute_types.go): exactly one of an HTTPRoute and a GRPCRoute with the same hostname is accepted',
    source: 'pilot/pkg/config/kube/gateway/conversion.go (HTTPRoute and GRPCRoute are both converted to VirtualService http routes)',
  }),
  'istio-tls-terminate-mode-option': S({
    id: 'istio-tls-terminate-mode-option',
    profile: 'istio',
    summary: 'tls.options "gateway.istio.io/tls-terminate-mode" (e.g. ISTIO_MUTUAL) supplies the certificate: no certificateRefs needed',
    spec: 'GatewayTLSConfig: Terminate mode needs at least one certificateRef (InvalidCertificateRef otherwise)',
    source: 'pilot/pkg/config/kube/gateway/conversion.go (buildTLS: gatewayTLSTerminateModeKey)',
  }),
  'istio-serviceimport-as-service': S({
    id: 'istio-serviceimport-as-service',
    profile: 'istio',
    summary: 'a ServiceImport backendRef (multicluster.x-k8s.io) resolves against the Service of the same name and namespace',
    spec: 'HTTPBackendRef: a ServiceImport backend resolves against the ServiceImport object',
    source: 'pilot/pkg/config/kube/gateway/conversion.go (buildDestination: ServiceImport -> the <name>.<ns> service host while ENABLE_MCS_HOST is off, the default)',
  }),
});

/** The switches of one profile (none for `spec`). */
export function switchesOf(profile: Profile): ProfileSwitch[] {
  return Object.values(PROFILE_SWITCHES).filter((s) => s.profile === profile);
}

/** True when `profile` turns switch `id` on. */
export function switchOn(profile: Profile, id: SwitchId): boolean {
  return PROFILE_SWITCHES[id].profile === profile;
}
