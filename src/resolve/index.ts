/** Gateway API resolution engine: public surface. Pure (no I/O, no clock). */
export { resolve } from './engine.ts';
export { SUPPORTED_FEATURES } from './features.ts';
export { defaultAttachedRoutesSemantics, capturedBundleVersion, parseBundleVersion, BUNDLE_VERSION_ANNOTATION } from './semantics.ts';
export { intersectHostnames, effectiveHostnames, wildcardMatches, normalizeHostname } from './hostnames.ts';
export { selectorMatches, type LabelSelector } from './labels.ts';
export { renderResolutionText } from './render.ts';
export type * from './types.ts';
