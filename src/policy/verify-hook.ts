/**
 * `gwe verify --policy`: evaluates the exposure policy over a bundle that verified, and folds the policy findings
 * into the verification report's analysis. Pure. Monotonic: a bundle that failed verification is not analysed
 * (its content is not trusted), and policy findings can only make the verdict worse.
 *
 * Single pass (issue 13): verifyBundle / verifyBundleParallel hand `foldPolicy` the capture they already read and
 * the spec resolution the analysis already computed, so the bundle is neither opened nor resolved a second time.
 * Pairing each policy finding with the analysis findings of the same fact (report/group.ts sameFact) goes through
 * an index by object, not a scan of every analysis finding per policy finding (that was quadratic: 223 million
 * pairs at 10k routes).
 */
import { openBundle } from '../bundle/open.ts';
import type { Caps } from '../bundle/reader.ts';
import type { Capture } from '../model/collection.ts';
import type { Finding } from '../model/finding.ts';
import { resolve } from '../resolve/index.ts';
import type { Resolution } from '../resolve/types.ts';
import type { VerificationReport } from '../verify/report-types.ts';
import { evaluatePolicy, sortFindings } from './evaluate.ts';
import type { Policy } from './types.ts';
import { objectOf, sameFact } from '../report/group.ts';

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
  const seen = new Set(analysis.map((f) => `${f.code}\u0000${f.subject ?? ''}\u0000${f.message}`));
  const sameFactOf = sameFactIndex(analysis);
  const added = policyFindings
    .filter((f) => !seen.has(`${f.code}\u0000${f.subject ?? ''}\u0000${f.message}`))
    .map((f) => {
      // The analysis findings observing the same fact (report/group.ts sameFact), so a reader can pair them.
      const same = sameFactOf(f).map((a) => ({ code: a.code, ...(a.subject !== undefined ? { subject: a.subject } : {}) }));
      return same.length > 0 ? { ...f, detail: { ...f.detail, sameFactAs: same } } : f;
    });
  const findings = sortFindings([...analysis, ...added]);
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

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Key for "no string" in the index (sameFact compares such values as undefined === undefined). */
const NONE = '\u0000none';

/**
 * `p => analysis.filter((a) => sameFact(a, p))`, in the same order, without scanning `analysis` per call.
 * Each analysis finding is filed under the object key that sameFact requires to equal the policy finding's, per
 * code family; a lookup takes the candidate buckets and still applies sameFact itself, so the index only ever
 * narrows the candidates (a key collision costs time, never a wrong pair).
 */
export function sameFactIndex(analysis: readonly Finding[]): (p: Finding) => Finding[] {
  const buckets = new Map<string, number[]>();
  const file = (key: string, i: number): void => {
    const b = buckets.get(key);
    if (b) b.push(i);
    else buckets.set(key, [i]);
  };
  analysis.forEach((a, i) => {
    switch (a.code) {
      case 'CERT_EXPIRING':
      case 'CERT_EXPIRED': {
        const secret = str(a.detail?.secret);
        file(`cert\u0000${secret !== undefined ? `Secret ${secret}` : objectOf(a.subject)}`, i);
        break;
      }
      case 'EXPOSURE_PLAINTEXT_HOSTNAME':
        file(`tls\u0000Gateway ${str(a.detail?.gateway) ?? ''}`, i);
        break;
      case 'EXPOSURE_SERVICE_TYPE':
        file(`svc\u0000${str(a.detail?.route) ?? NONE}`, i);
        break;
      case 'UNCLASSIFIED_SERVICE':
        file(`unclassified\u0000${objectOf(a.subject)}`, i);
        break;
      case 'RefNotPermitted':
      case 'EXPOSURE_CROSS_NAMESPACE_BACKEND':
        file(`xns\u0000${objectOf(a.subject)}`, i);
        break;
      default:
        break; // no policy finding pairs with other codes (sameFact's default: false)
    }
  });
  const get = (key: string): number[] => buckets.get(key) ?? [];
  return (p) => {
    const pObj = objectOf(p.subject);
    let candidates: number[];
    switch (p.code) {
      case 'POLICY_CERTIFICATE_EXPIRING':
      case 'POLICY_CERTIFICATE_EXPIRED':
        candidates = get(`cert\u0000${pObj}`);
        break;
      case 'POLICY_TLS_REQUIRED':
        candidates = get(`tls\u0000${pObj}`);
        break;
      case 'POLICY_SERVICE_TYPE_NOT_ALLOWED': {
        const ev = p.detail?.evidence;
        const route = ev && typeof ev === 'object' ? str((ev as Record<string, unknown>).route) : undefined;
        candidates = mergeSorted(get(`svc\u0000${route ?? NONE}`), get(`unclassified\u0000${pObj}`));
        break;
      }
      case 'POLICY_UNEXPECTED_CROSS_NAMESPACE':
        candidates = get(`xns\u0000${pObj}`);
        break;
      default:
        return [];
    }
    const out: Finding[] = [];
    for (const i of candidates) if (sameFact(analysis[i]!, p)) out.push(analysis[i]!);
    return out;
  };
}

/** Two ascending index lists as one ascending list (the analysis order sameFact's filter kept). */
function mergeSorted(a: number[], b: number[]): number[] {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]! < b[j]!)) out.push(a[i++]!);
    else out.push(b[j++]!);
  }
  return out;
}
