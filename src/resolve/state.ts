/**
 * Internal state shared by the resolution stages (engine.ts runs them in order). Not part of the public surface:
 * the public types are in types.ts.
 */
import type { KubeObject } from '../model/object.ts';
import type { Profile, SwitchId } from './profiles.ts';
import type { RouteKind } from './context.ts';
import type { MatchKey, RuleProblem } from './rules.ts';
import type { GroupKind, ParentRefEcho, RouteParentResolution, RoutingBackend, RoutingCertificateRef, RoutingRule } from './types.ts';

export interface Failure {
  reason: string;
  message: string;
  /** The failure is only that this kind was not captured at all: the condition is Unknown/CaptureIncomplete. */
  offline?: string;
}

export interface ClassState {
  name: string;
  controllerName: string;
  /** The semantics profile for this class and its Gateways (profiles.ts profileFor). */
  profile: Profile;
  accepted: Failure | undefined; // undefined = Accepted=True
}

export interface Owner {
  kind: string;
  group: string;
  namespace: string;
  name: string;
  creationTimestamp: string;
}

export interface ListenerState {
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
  /** allowedRoutes.namespaces.selector missing or malformed with from: Selector (Programmed=False/Invalid). */
  selectorFail?: Failure;
  conflict?: Failure;
  /** Another Gateway of the class already uses the same spec address + port (PortUnavailable). */
  portFail?: Failure;
  overlapping?: Failure;
  /** Envoy Gateway profile: a Passthrough listener that sets certificateRefs (not Programmed). */
  passthroughCertRefs?: boolean;
  /** Istio profile: Terminate without certificateRefs, the mesh certificate (tls-terminate-mode ISTIO_MUTUAL). */
  istioTerminateMode?: boolean;
  certRefs: RoutingCertificateRef[];
  attached: Set<RouteState>;
  /** Routes that may also count in attachedRoutes: allowedRoutes cannot be decided offline (Namespace kind not captured). */
  attachedMaybe: Set<RouteState>;
  attachments: { route: RouteState; hostnames: string[] }[];
  /** allowsNamespace per route namespace, filled by routes.ts (the answer depends only on the listener and namespace). */
  admitsNamespace?: Map<string, boolean | 'unknown'>;
}

export interface ListenerSetState {
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

export interface GatewayState {
  obj: KubeObject;
  namespace: string;
  name: string;
  cls: ClassState;
  listeners: ListenerState[];
  listenerSets: ListenerSetState[];
  paramsFail?: Failure;
  /** A spec.addresses entry of a type we do not implement (Accepted=False/UnsupportedAddress). */
  addressFail?: Failure;
  clientCertFail?: Failure;
  insecureFallback: boolean;
  policies: Map<PolicyState, ParentRefEcho>;
}

/**
 * A backendRef as resolved; the routing table adds `percent` to this same object (routing-table.ts), so it holds
 * only what the routing table shows.
 */
export type BackendResolved = Omit<RoutingBackend, 'percent'> & { percent?: number };

export interface RouteState {
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
  /** Every BackendTLSPolicy targeting a Service backend of the rules (the applied one and Conflicted/invalid ones),
   * in rule/backendRef order: ancestor status on the Gateways the route attaches to (routes.ts finishParent). */
  relatedPolicies?: PolicyState[];
  parents: RouteParentResolution[];
  /** Profile switches that changed this route's result (backends.ts); routes.ts records them per parent. */
  departures: { id: SwitchId; field: string; what: string }[];
  /** The profile the route's own checks (backends, rules) ran in: that of its first handled parent's class. */
  profile: Profile;
}

export interface PolicyState {
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

export const GW_KIND = 'Gateway';
