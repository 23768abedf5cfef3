/**
 * `gwe verify --policy`: evaluates the exposure policy over a bundle that verified, and folds the policy findings
 * into the verification report's analysis. Pure (bytes in, report out). Monotonic: a bundle that failed
 * verification is not analysed (its content is not trusted), and policy findings can only make the verdict worse.
 */
import { openBundle } from '../bundle/open.ts';
import type { Caps } from '../bundle/reader.ts';
import { resolve } from '../resolve/index.ts';
import type { VerificationReport } from '../verify/report-types.ts';
import { evaluatePolicy, sortFindings } from './evaluate.ts';
import type { Policy } from './types.ts';
import { sameFact } from '../report/group.ts';

export function applyPolicy(report: VerificationReport, bytes: Uint8Array, policy: Policy | undefined, caps?: Partial<Caps>): VerificationReport {
  if (!policy || !report.analysis.ran) return report;
  const { capture } = openBundle(bytes, caps);
  const signers = report.signatures.map((s) => ({
    keyId: s.keyId,
    counted: s.counted,
    ...(s.name !== undefined ? { name: s.name } : {}),
    ...(s.role !== undefined ? { role: s.role } : {}),
  }));
  const policyFindings = evaluatePolicy({ capture, resolution: resolve(capture.snapshot.objects), verification: { signers } }, policy);
  const seen = new Set(report.analysis.findings.map((f) => `${f.code}\u0000${f.subject ?? ''}\u0000${f.message}`));
  const added = policyFindings
    .filter((f) => !seen.has(`${f.code}\u0000${f.subject ?? ''}\u0000${f.message}`))
    .map((f) => {
      // The analysis findings observing the same fact (report/group.ts sameFact), so a reader can pair them.
      const same = report.analysis.findings.filter((a) => sameFact(a, f)).map((a) => ({ code: a.code, ...(a.subject !== undefined ? { subject: a.subject } : {}) }));
      return same.length > 0 ? { ...f, detail: { ...f.detail, sameFactAs: same } } : f;
    });
  const findings = sortFindings([...report.analysis.findings, ...added]);
  const verdict = report.verdict === 'verified' && added.some((f) => f.severity === 'error') ? 'verified-with-findings' : report.verdict;
  return { ...report, verdict, analysis: { ran: true, findings } };
}
