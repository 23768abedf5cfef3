/** Public library API. The CLI (src/cli) is a thin shell over these. */
export * from './model/index.ts';
export * from './errors.ts';
export { VERSION } from './version.ts';
export { main } from './cli/main.ts';
export { collect, captureFromInputs, writeBundle, resolveCapturedAt, loadSigningKey, readPrevious } from './collect.ts';
export type { CollectOptions, CollectResult } from './collect.ts';
export { readInputs } from './collector/inputs.ts';
export type { InputSet, RawObject, RawFile } from './collector/inputs.ts';
export { normalize } from './collector/normalize.ts';
export type { NormalizeOptions } from './collector/normalize.ts';
export { collectLive, captureFromLive } from './collector/live/collect-live.ts';
export type { LiveCollectOptions, LiveCollectResult } from './collector/live/collect-live.ts';
export { readLive, loadKubeConfig } from './collector/live/source.ts';
export type { LiveSourceOptions, LiveInput, LiveProgress } from './collector/live/source.ts';
// Bundle format v1, keys and verification (docs/bundle-format.md).
export { buildBundle } from './bundle/build.ts';
export type { BuildOptions, BuiltBundle } from './bundle/build.ts';
export { addSignature } from './bundle/sign.ts';
export { openBundle } from './bundle/open.ts';
export type { OpenedBundle } from './bundle/open.ts';
export { canonicalize, canonicalBytes } from './bundle/canonical.ts';
export { verifyBundle, verifyBundle as verify } from './verify/verify.ts';
export type { VerifyOptions, VerificationReport, Verdict, SignatureResult, TrustResult } from './verify/verify.ts';
export { parseTrust, trustFromPublicKey } from './verify/trust.ts';
export type { TrustRoot, TrustedKey } from './verify/trust.ts';
export { generateKeyPair, keyIdOf, parsePrivateKeyPem, parsePublicKey, privateKeyPem, publicKeyPem } from './crypto/index.ts';
export type { PublicKey, SigningKey } from './crypto/index.ts';
export { writeFileAtomic } from './io/atomic.ts';
// Diff, chains of bundles, inspect (docs/diff.md).
export { diffCaptures } from './diff/index.ts';
export type { BundleDiff, DiffOptions } from './diff/index.ts';
export { renderDiff } from './diff/render.ts';
export type { DiffFormat } from './diff/render.ts';
export { readBundle } from './diff/read.ts';
export type { ReadBundle } from './diff/read.ts';
export { verifyChain, bundleVerifier, changeHistory } from './chain/index.ts';
export type { ChainReport, ChainInput, ChainOptions, ChainLink } from './chain/index.ts';
// Exposure policy, service types and reports (docs/policy.md).
export { loadPolicy, evaluatePolicy, classifyBackend, exposurePaths, POLICY_SCHEMA, SERVICE_TYPES, SERVICE_TYPE_KEY } from './policy/index.ts';
export type { Policy, PolicyRule, PolicyInput, ServiceType, Classification, ExposurePath } from './policy/index.ts';
export { buildReportModel, renderReport, renderText, renderMarkdown, renderHtml, renderJson, renderSarif, REPORT_FORMATS } from './report/index.ts';
export type { ReportModel, ReportInput, ReportFormat } from './report/index.ts';
export { resolve, SUPPORTED_FEATURES, renderResolutionText, SEMANTICS, PROFILE_SWITCHES, profileFor } from './resolve/index.ts';
export type { Resolution, ResolveOptions, RoutingEntry, RoutingBackend, Condition as ResolvedCondition } from './resolve/index.ts';
export { analyzeCapture } from './verify/analysis.ts';
export type { AnalysisOptions, AnalysisResult } from './verify/analysis.ts';
