/**
 * Semantics profile: the set of rule variations the engine applies. The stages read `ctx.profile` next to the rule
 * a variation changes, so that a controller's departure from the spec lives beside the spec rule it replaces.
 * Only `spec` exists here (the default: the rules of ../shared/docs/gateway-api-semantics.md); controller profiles
 * add their switches as optional fields of this type.
 */
export interface SemanticsProfile {
  /** Profile name as shown in output (`spec`, or a controller profile). */
  readonly name: string;
}

/** The Gateway API specification and conformance suite, no controller-specific departures. */
export const SPEC_PROFILE: SemanticsProfile = Object.freeze({ name: 'spec' });
