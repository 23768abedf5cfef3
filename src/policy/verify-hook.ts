/**
 * `gwe verify --policy`: evaluates the exposure policy over a bundle that verified, and folds the policy findings
 * into the verification report's analysis. Pure. Monotonic: a bundle that failed verification is not analysed
 * (its content is not trusted), and policy findings can only make the verdict worse.
 *
 * Single pass (issue 13): verifyBundle / verifyBundleParallel hand `foldPolicy` the capture they already read and
 * the spec resolution the analysis already computed, so the bundle is neither opened nor resolved a second time.
 * Pairing each policy finding with the analysis findings of the same fact goes through an index by object
 * (model/same-fact.ts sameFactIndex, the one the report's linkFindings uses), not a scan of every analysis
 * finding per policy finding (that was quadratic: 223 million pairs at 10k routes).
 */
import { openBundle } from '../bundle/open.ts';
import type { Caps } from '../bundle/reader.ts';
import type { Capture } from '../model/collection.ts';
import { compareFindings, type Finding } from '../model/finding.ts';
import { resolve } from '../resolve/index.ts';
import type { Resolution } from '../resolve/types.ts';
import type { VerificationReport } from '../verify/report-types.ts';
import { evaluatePolicy, sortFindings } from './evaluate.ts';
import type { Policy } from './types.ts';
import { sameFactIndex } from '../model/same-fact.ts';

/**
 * Folds the policy findings over `capture` (with its recomputed spec `resolution`) into `report`. The report must
 * be the verification of the bundle `capture` was read from; when its analysis did not run, it is returned as is.
 */
export function foldPolicy(report: VerificationReport, capture: Capture, resolution: Resolution, policy: Policy | undefined): VerificationReport {
  if (!policy || !report.analysis.ran) return report;
  const signers = report.signatures.map((s) => ({
    keyId: s.keyId,
    counted: s.counted,
    ...(s.name !== undefined ? { name: s.name } : {}),
    ...(s.role !== undefined ? { role: s.role } : {}),
  }));
  const policyFindings = evaluatePolicy({ capture, resolution, verification: { signers } }, policy);
  const analysis = report.analysis.findings;
  // A policy finding equal to an analysis finding is not added again; only analysis findings of a code the policy
  // reported can be equal to one, so only those are keyed.
  // Keyed by code and subject, the messages compared as strings (issue 13: hashing 31k long key strings cost
  // ~70 ms at 10k routes).
  const policyCodes = new Set(policyFindings.map((f) => f.code));
  const seen = new Map<string, string[]>();
  for (const f of analysis) {
    if (!policyCodes.has(f.code)) continue;
    const k = `${f.code}\u0000${f.subject ?? ''}`;
    const messages = seen.get(k);
    if (messages) messages.push(f.message);
    else seen.set(k, [f.message]);
  }
  const sameFactOf = sameFactIndex(analysis);
  const added = policyFindings
    .filter((f) => !(seen.get(`${f.code}\u0000${f.subject ?? ''}`)?.includes(f.message) ?? false))
    .map((f) => {
      // The analysis findings observing the same fact (model/same-fact.ts, the index the report's linkFindings uses too), so a reader can pair them.
      const same = sameFactOf(f).map((i) => {
        const a = analysis[i]!;
        return { code: a.code, ...(a.subject !== undefined ? { subject: a.subject } : {}) };
      });
      return same.length > 0 ? { ...f, detail: { ...f.detail, sameFactAs: same } } : f;
    });
  const findings = mergeFindings(analysis, added);
  const verdict = report.verdict === 'verified' && added.some((f) => f.severity === 'error') ? 'verified-with-findings' : report.verdict;
  return { ...report, verdict, analysis: { ran: true, findings } };
}

/**
 * For callers that hold only the report and the bytes: opens the bundle and resolves it again, then foldPolicy.
 * verifyBundle(bytes, {policy}) does the same in one pass; prefer it.
 */
export function applyPolicy(report: VerificationReport, bytes: Uint8Array, policy: Policy | undefined, caps?: Partial<Caps>): VerificationReport {
  if (!policy || !report.analysis.ran) return report;
  const { capture } = openBundle(bytes, caps);
  return foldPolicy(report, capture, resolve(capture.snapshot.objects, { semantics: 'spec' }), policy);
}

/**
 * sortFindings([...a, ...b]) in linear time when both are already sorted (the analysis and evaluatePolicy return
 * sorted lists): a merge that takes from `a` on ties is what the stable sort of the concatenation gives.
 */
function mergeFindings(a: readonly Finding[], b: readonly Finding[]): Finding[] {
  if (!isSorted(a) || !isSorted(b)) return sortFindings([...a, ...b]);
  const out: Finding[] = new Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = compareFindings(b[j]!, a[i]!) < 0 ? b[j++]! : a[i++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}

function isSorted(xs: readonly Finding[]): boolean {
  for (let i = 1; i < xs.length; i++) if (compareFindings(xs[i - 1]!, xs[i]!) > 0) return false;
  return true;
}
