/** Gateway API resolution engine: public surface. Pure (no I/O, no clock). */
export { resolve } from './engine.ts';
export { SUPPORTED_FEATURES } from './features.ts';
export { defaultAttachedRoutesSemantics, capturedBundleVersion, parseBundleVersion, BUNDLE_VERSION_ANNOTATION, bundleVersionSupported, SUPPORTED_BUNDLE_VERSIONS } from './semantics.ts';
export { SUPPORTED_APP_PROTOCOLS, validateRule, type RuleProblem } from './rules.ts';
export { intersectHostnames, effectiveHostnames, wildcardMatches, normalizeHostname } from './hostnames.ts';
export { selectorMatches, type LabelSelector } from './labels.ts';
export { renderResolutionText } from './render.ts';
export type * from './types.ts';
