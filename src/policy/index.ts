export * from './types.ts';
export { loadPolicy } from './load.ts';
export { POLICY_SCHEMA } from './schema.ts';
export { classifyBackend, type BackendIdentity, type Classification, type ClassificationSource } from './service-type.ts';
export { exposurePaths, isPublicListener, pathLabel, classificationFindings, type ExposurePath } from './exposure.ts';
export { evaluatePolicy, listenerCertificates, sortFindings, type PolicyInput, type SignerEvidence } from './evaluate.ts';
export { globMatch, hostnamesIntersect } from './match.ts';
