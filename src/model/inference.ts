/**
 * Gateway API Inference Extension kinds (https://gateway-api-inference-extension.sigs.k8s.io): domain
 * constants shared by the collector, the resolver and the report. Documented in docs/inference.md.
 */

/** InferencePool v1 (the only served version from Inference Extension v1.0). */
export const INFERENCE_GROUP = 'inference.networking.k8s.io';
/** The older experimental group: InferencePool/InferenceModel v1alpha2, InferenceObjective, InferencePoolImport. */
export const INFERENCE_X_GROUP = 'inference.networking.x-k8s.io';

/** Kinds kept from each group, with the versions they have shipped at. */
export const INFERENCE_KINDS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  [INFERENCE_GROUP]: { InferencePool: ['v1'] },
  [INFERENCE_X_GROUP]: {
    InferencePool: ['v1alpha1', 'v1alpha2'],
    InferenceModel: ['v1alpha1', 'v1alpha2'],
    InferenceObjective: ['v1alpha1', 'v1alpha2'],
    InferencePoolImport: ['v1alpha1'],
  },
};

export function isInferenceGroup(group: string): boolean {
  return group === INFERENCE_GROUP || group === INFERENCE_X_GROUP;
}

/** The CRD annotation that names the Inference Extension release (as bundle-version does for Gateway API). */
export const INFERENCE_BUNDLE_VERSION_ANNOTATION = 'inference.networking.k8s.io/bundle-version';
