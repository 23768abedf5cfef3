/** Gateway API resolution engine: public surface. Pure (no I/O, no clock). */
import { resolve as resolveGatewayApi } from './engine.ts';
import { attachPolicies } from './attachment.ts';
import { sortFindings } from '../model/finding.ts';
import type { KubeObject } from '../model/object.ts';
import type { Resolution, ResolveOptions } from './types.ts';

/**
 * Recomputes Gateway API status and the effective routing table (engine.ts), then adds adjacent policy
 * attachment (attachment.ts) to the routing table.
 */
export function resolve(objects: readonly KubeObject[], options: ResolveOptions = {}): Resolution {
  const res = resolveGatewayApi(objects, options);
  attachPolicies(objects, res);
  res.findings = sortFindings(res.findings);
  return res;
}
export { attachPolicies } from './attachment.ts';
export { computePoolStatus, INFERENCE_POOL_FEATURE, isInferencePoolRef, endpointPickerOf, targetPortsOf } from './inference.ts';
export { SUPPORTED_FEATURES } from './features.ts';
export { defaultAttachedRoutesSemantics, capturedBundleVersion, parseBundleVersion, BUNDLE_VERSION_ANNOTATION, bundleVersionSupported, SUPPORTED_BUNDLE_VERSIONS } from './semantics.ts';
export { SUPPORTED_APP_PROTOCOLS, validateRule, type RuleProblem } from './rules.ts';
export { intersectHostnames, effectiveHostnames, wildcardMatches, normalizeHostname } from './hostnames.ts';
export { selectorMatches, type LabelSelector } from './labels.ts';
export { renderResolutionText } from './render.ts';
export type * from './types.ts';
export { SEMANTICS, PROFILE_CONTROLLERS, PROFILE_SWITCHES, profileFor, switchesOf, type Profile, type Semantics, type SwitchId, type ProfileSwitch } from './profiles.ts';
export { referencedLookupKinds, missingLookupKinds, captureAdvice, kubectlResourceOf, LOOKUP_KINDS, type KindNeed } from './capture-kinds.ts';
