/**
 * verifyBundle: hostile bytes -> VerificationReport. Pure (no fs, no clock, no network).
 * Pipeline (docs/bundle-format.md §5): strict archive read -> bag structure -> manifests -> digests -> JSON
 * strictness -> DSSE signatures (every one, over the PAE of the exact payload bytes) -> statement parsed from
 * those bytes and bound to the bag -> trust (recomputed key ids, windows vs capture time, distinct-key
 * threshold, required signers) -> content scan -> analysis. Verdicts are monotonic: "verified" needs
 * positive evidence (an intact bag and a satisfied trust requirement); anything missing makes it worse.
 */
import type { Capture } from '../model/collection.ts';
import type { Finding } from '../model/finding.ts';
import { pae, verify as verifySig } from '../crypto/index.ts';
import { DEFAULT_CAPS, readArchive, type Caps } from '../bundle/reader.ts';
import type { BagCheck } from '../bundle/check.ts';
import { checkBundle, contentOf, statementOf, type BundleChecks } from '../bundle/open.ts';
import { PAYLOAD_TYPE, type Statement } from '../bundle/statement.ts';
import { analyzeCapture, type AnalysisOptions, type AnalysisResult } from './analysis.ts';
import type { Resolution } from '../resolve/types.ts';
import { resolve } from '../resolve/index.ts';
import type { Policy } from '../policy/types.ts';
import { foldPolicy } from '../policy/verify-hook.ts';
import type { TrustedKey, TrustRoot } from './trust.ts';
import { REPORT_FORMAT_VERSION, type SignatureResult, type TrustResult, type Verdict, type VerificationReport } from './report-types.ts';
import { rfc3339Ms } from '../model/time.ts';

export interface VerifyOptions {
  trust: TrustRoot;
  caps?: Partial<Caps>;
  analysis?: AnalysisOptions;
  /**
   * Exposure policy (`gwe verify --policy`): its findings join the analysis (policy/verify-hook.ts foldPolicy),
   * evaluated over the capture and the spec resolution the analysis computed (one read, one resolution).
   */
  policy?: Policy;
}

export type { VerificationReport, Verdict, SignatureResult, TrustResult } from './report-types.ts';

/** Verifies a bundle against a trust root. Never throws for hostile input: every problem is a finding. */
export function verifyBundle(bytes: Uint8Array, opts: VerifyOptions): VerificationReport {
  const checked = verifyIntegrity(bytes, opts);
  const analysis = checked.pass && checked.capture ? analyse(checked.capture, opts.analysis) : undefined;
  return finishReport(checked, checked.capture, analysis, opts.policy);
}

/**
 * The report for a bundle that was not read because its size (from stat, before reading) is over the
 * compressed-bytes cap: the same ARCHIVE_CAP_EXCEEDED failure readArchive would give, without reading it.
 */
export function oversizedReport(size: number | undefined, opts: VerifyOptions): VerificationReport {
  const trust = opts.trust;
  const limit = opts.caps?.maxCompressedBytes ?? DEFAULT_CAPS.maxCompressedBytes;
  const findings: Finding[] = [
    { code: 'ARCHIVE_CAP_EXCEEDED', severity: 'error', message: `expected at most ${limit} compressed bytes, found ${size ?? 'more'}`, detail: { cap: 'maxCompressedBytes', limit, ...(size !== undefined ? { found: size } : {}) } },
  ];
  const emptyTrust: TrustResult = { source: trust.source, threshold: trust.threshold, counted: 0, required: [...trust.required], missingRequired: [...trust.required], satisfied: false };
  return report({ statement: undefined, verdict: 'failed', integrity: { ok: false, files: 0, bytes: 0 }, signatures: [], trust: emptyTrust, findings, analysis: { ran: false, findings: [] } });
}

/** Integrity, signatures and trust without the analysis (the first half of verifyBundle). */
export interface IntegrityCheck {
  /** The report with `analysis: {ran: false}` and the verdict before analysis. */
  report: VerificationReport;
  /** Integrity, signatures and trust all pass: the analysis may run. */
  pass: boolean;
  /** The capture read from the bag (strict JSON), when there is one. */
  capture?: Capture;
}

/**
 * Everything verifyBundle checks except the analysis: archive, bag, digests, strict JSON, signatures, trust,
 * content scan. `completeReport(verifyIntegrity(b, o), pass ? runAnalysis(capture) : undefined)` is
 * verifyBundle(b, o).
 */
export function verifyIntegrity(bytes: Uint8Array, opts: VerifyOptions): IntegrityCheck {
  const trust = opts.trust;
  const read = readArchive(bytes, opts.caps);
  if (read.fatal) {
    const emptyTrust: TrustResult = { source: trust.source, threshold: trust.threshold, counted: 0, required: [...trust.required], missingRequired: [...trust.required], satisfied: false };
    return { pass: false, report: report({ statement: undefined, verdict: 'failed', integrity: { ok: false, files: 0, bytes: 0 }, signatures: [], trust: emptyTrust, findings: read.findings, analysis: { ran: false, findings: [] } }) };
  }
  return verifyChecks(checkBundle(read, true), opts);
}

/**
 * verifyIntegrity from the checks already made when the bundle was opened (bundle/open.ts BundleChecks): the
 * signatures, trust and the verdict, without reading or parsing the archive again. Same result as verifyIntegrity
 * of the bytes those checks were made on.
 */
export function verifyChecks(checks: BundleChecks, opts: Pick<VerifyOptions, 'trust'>): IntegrityCheck {
  const trust = opts.trust;
  const { read, bag } = checks;
  const findings: Finding[] = [...read.findings, ...bag.findings];

  // Signatures first: verify PAE over the exact payload bytes, parse only afterwards (DSSE protocol.md).
  const sigs = bag.payload ? verifySignatures(bag, trust) : [];
  const st = statementOf(checks);
  findings.push(...st.findings);
  const integrityOk = !findings.some((f) => f.severity === 'error') && bag.payload !== undefined && st.statement !== undefined;

  // Trust: windows against the signed capture time, distinct keys, required names/roles.
  const capturedAt = st.statement?.predicate.capturedAt;
  const trustResult = evaluateTrust(sigs, trust, capturedAt, findings);
  const signatureFailure = sigs.some((s) => s.trusted && !s.valid);

  let files = 0;
  let total = 0;
  for (const b of bag.files.values()) {
    files++;
    total += b.length;
  }

  findings.push(...contentOf(checks));
  if (st.statement?.predicate.partial === true || bag.capture?.record.partial === true) {
    const gaps = bag.capture?.record.gaps ?? [];
    findings.push({
      code: 'BUNDLE_PARTIAL',
      severity: 'warning',
      subject: bag.root,
      message: `PARTIAL CAPTURE: the collector recorded ${gaps.length} gap(s); this bundle is known to be incomplete and is not evidence of the whole cluster`,
      detail: { gaps: gaps.map((g) => ({ ...g })) },
    });
  }

  const pass = integrityOk && !signatureFailure && trustResult.satisfied;
  const anyError = findings.some((f) => f.severity === 'error');
  const verdict: Verdict = !pass ? 'failed' : anyError ? 'verified-with-findings' : 'verified';
  const out: IntegrityCheck = { pass, report: report({ statement: st.statement, bag, verdict, integrity: { ok: integrityOk, files, bytes: total }, signatures: sigs, trust: trustResult, findings, analysis: { ran: false, findings: [] } }) };
  if (bag.capture) out.capture = bag.capture;
  return out;
}

/**
 * verifyBundle from the checks made when the bundle was opened (bundle/open.ts openRead with the same caps):
 * the same report, without reading the archive again; also the analysis, for a caller that needs it too.
 */
export function verifyOpened(checks: BundleChecks, opts: VerifyOptions): { report: VerificationReport; analysis?: AnalysisResult } {
  const checked = verifyChecks(checks, opts);
  const run = checked.pass && checked.capture ? analyse(checked.capture, opts.analysis) : undefined;
  return { report: finishReport(checked, checked.capture, run, opts.policy), ...(run?.result ? { analysis: run.result } : {}) };
}

/** Runs analyzeCapture for the report. A bug in the analysis must not hide the integrity and signature result: it is reported, never a pass. */
export function runAnalysis(capture: Capture, options: AnalysisOptions | undefined): VerificationReport['analysis'] {
  return analyse(capture, options).analysis;
}

/** The analysis for the report, and the spec resolution it computed (undefined when resolution failed). */
export interface AnalysisRun {
  analysis: VerificationReport['analysis'];
  specResolution?: Resolution;
  /** The whole analysis, when it completed. */
  result?: AnalysisResult;
}

/** runAnalysis, keeping the recomputed spec resolution for the policy (so it is not computed twice). */
export function analyse(capture: Capture, options: AnalysisOptions | undefined): AnalysisRun {
  try {
    const a = analyzeCapture(capture, options);
    const resolutionFailed = a.findings.some((f) => f.code === 'ANALYSIS_FAILED' && f.subject === 'analysis: resolution');
    return { analysis: { ran: true, findings: a.findings }, result: a, ...(resolutionFailed ? {} : { specResolution: a.specResolution }) };
  } catch (e) {
    return { analysis: { ran: false, findings: [{ code: 'ANALYSIS_FAILED', severity: 'error', message: `expected the analysis to complete, found an internal error: ${(e as Error).message}` }] } };
  }
}

/**
 * completeReport, then the policy folded in (when there is one and the analysis ran). `capture` and `run` are
 * the capture of `checked` and its analysis, passed only when `checked.pass`. With a policy but no usable
 * resolution (the resolution stage failed: its ANALYSIS_FAILED finding says so), the capture is resolved here.
 */
export function finishReport(checked: IntegrityCheck, capture: Capture | undefined, run: AnalysisRun | undefined, policy: Policy | undefined): VerificationReport {
  const r = completeReport(checked, run?.analysis);
  if (!policy || !capture || !run || !r.analysis.ran) return r;
  return foldPolicy(r, capture, run.specResolution ?? resolveForPolicy(capture), policy);
}

/** The policy's resolution when the analysis had none: what `gwe verify --policy` always did before (it may throw). */
function resolveForPolicy(capture: Capture): Resolution {
  return resolve(capture.snapshot.objects, { semantics: 'spec' });
}

/**
 * The final report: the integrity report plus the analysis (undefined when it did not run). Pass only the
 * analysis of `checked.capture`, and only when `checked.pass`.
 */
export function completeReport(checked: IntegrityCheck, analysis: VerificationReport['analysis'] | undefined): VerificationReport {
  const r = checked.report;
  if (!checked.pass || analysis === undefined) return r;
  const anyError = r.findings.some((f) => f.severity === 'error') || analysis.findings.some((f) => f.severity === 'error');
  return { ...r, verdict: anyError ? 'verified-with-findings' : 'verified', analysis };
}

interface Pending extends SignatureResult {
  key?: TrustedKey;
}

/**
 * Every envelope signature against the trusted keys. The key is found by RECOMPUTED key id: the hint only
 * orders the search (DSSE: keyid MUST NOT drive security decisions). Untrusted signatures are reported.
 */
function verifySignatures(bag: BagCheck, trust: TrustRoot): Pending[] {
  const msg = pae(PAYLOAD_TYPE, bag.payload!);
  return bag.signatures.map((s) => {
    const hinted = trust.keys.find((k) => k.keyId === s.hint);
    const order = hinted ? [hinted, ...trust.keys.filter((k) => k !== hinted)] : trust.keys;
    const key = s.sig ? order.find((k) => verifySig(s.sig!, msg, k.publicKey)) : undefined;
    if (key) {
      const r: Pending = { keyId: key.keyId, hint: s.hint, name: key.name, trusted: true, valid: true, counted: false, key };
      if (key.role !== undefined) r.role = key.role;
      if (key.keyId !== s.hint) r.reason = `envelope keyid hint ${s.hint} does not match the verifying key ${key.keyId}`;
      return r;
    }
    if (hinted) {
      const r: Pending = { keyId: hinted.keyId, hint: s.hint, name: hinted.name, trusted: true, valid: false, counted: false, reason: s.sig ? 'signature does not verify (strict RFC 8032) with the trusted key its keyid names' : 'signature is not 64 bytes of valid base64' };
      if (hinted.role !== undefined) r.role = hinted.role;
      return r;
    }
    return { keyId: s.hint, hint: s.hint, trusted: false, valid: false, counted: false, reason: 'no trusted key verifies this signature; it is not counted' };
  });
}

function inWindow(key: TrustedKey, at: string): string | undefined {
  // Strict RFC 3339 (model/time.ts): a time that is not a real date never passes a window check.
  const t = rfc3339Ms(at) ?? NaN;
  if (Number.isNaN(t) && (key.notBefore !== undefined || key.notAfter !== undefined)) return `key ${key.name} has a validity window; the bundle's capture time ${JSON.stringify(at)} is not an RFC 3339 date-time`;
  if (key.notBefore !== undefined && !(t >= (rfc3339Ms(key.notBefore) ?? NaN))) return `key ${key.name} is valid from ${key.notBefore}; the bundle was captured at ${at}`;
  if (key.notAfter !== undefined && !(t <= (rfc3339Ms(key.notAfter) ?? NaN))) return `key ${key.name} expired at ${key.notAfter}; the bundle was captured at ${at}`;
  return undefined;
}

function evaluateTrust(sigs: Pending[], trust: TrustRoot, capturedAt: string | undefined, findings: Finding[]): TrustResult {
  const countedKeys = new Set<string>();
  for (const s of sigs) {
    if (!s.trusted) {
      findings.push({ code: 'SIGNATURE_UNTRUSTED', severity: 'warning', subject: `signature ${s.hint}`, message: `signature with keyid hint ${s.hint}: expected a key from ${trust.source}, found none that verifies it (reported, not counted)` });
      continue;
    }
    if (!s.valid) {
      findings.push({ code: 'SIGNATURE_INVALID', severity: 'error', subject: `signature ${s.hint}`, message: `signature by ${s.name ?? s.keyId}: expected a valid Ed25519 signature over the DSSE PAE, found one that does not verify` });
      continue;
    }
    if (capturedAt === undefined) {
      s.reason = 'no valid signed capture time to check the key validity window against';
      continue;
    }
    const outside = inWindow(s.key!, capturedAt);
    if (outside) {
      s.reason = outside;
      findings.push({ code: 'SIGNATURE_KEY_OUT_OF_WINDOW', severity: 'warning', subject: `key ${s.name}`, message: `${outside} (not counted)` });
      continue;
    }
    if (countedKeys.has(s.keyId)) {
      s.reason = 'another signature by the same key was already counted (thresholds count distinct keys)';
      continue;
    }
    countedKeys.add(s.keyId);
    s.counted = true;
  }
  const countedSigs = sigs.filter((s) => s.counted);
  const missingRequired = trust.required.filter((r) => !countedSigs.some((s) => s.name === r || s.role === r));
  const satisfied = countedKeys.size >= Math.max(1, trust.threshold) && missingRequired.length === 0;
  if (!satisfied) {
    const parts: string[] = [];
    if (countedKeys.size < trust.threshold) parts.push(`expected at least ${trust.threshold} distinct trusted key(s) with valid in-window signatures, found ${countedKeys.size}`);
    if (missingRequired.length > 0) parts.push(`expected signatures from ${missingRequired.join(', ')}, found none`);
    findings.push({ code: 'TRUST_NOT_SATISFIED', severity: 'error', subject: trust.source, message: parts.join('; ') || 'trust requirement not met' });
  }
  return { source: trust.source, threshold: trust.threshold, counted: countedKeys.size, required: [...trust.required], missingRequired, satisfied };
}

function report(r: {
  statement: Statement | undefined;
  bag?: BagCheck;
  verdict: Verdict;
  integrity: VerificationReport['integrity'];
  signatures: Pending[];
  trust: TrustResult;
  findings: Finding[];
  analysis: VerificationReport['analysis'];
}): VerificationReport {
  const p = r.statement?.predicate;
  const cluster: { name?: string; uid?: string } = {};
  if (typeof p?.cluster?.name === 'string') cluster.name = p.cluster.name;
  if (typeof p?.cluster?.uid === 'string') cluster.uid = p.cluster.uid;
  const prev = p?.previousBundle;
  return {
    formatVersion: REPORT_FORMAT_VERSION,
    bundle: {
      id: p?.bundleId ?? null,
      capturedAt: p?.capturedAt ?? null,
      cluster,
      partial: typeof p?.partial === 'boolean' ? p.partial : null,
      collectorVersion: p?.collectorVersion ?? null,
      previousBundle: prev && typeof prev.bundleId === 'string' && typeof prev.digest === 'string' ? { bundleId: prev.bundleId, digest: prev.digest } : null,
    },
    verdict: r.verdict,
    integrity: r.integrity,
    signatures: r.signatures.map(({ key: _key, ...s }) => s),
    trust: r.trust,
    findings: r.findings,
    analysis: r.analysis,
  };
}
