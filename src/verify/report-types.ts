/** The verification report (schemas/verify-report.schema.json). */
import type { Finding } from '../model/finding.ts';

export const REPORT_FORMAT_VERSION = 1;

export type Verdict = 'verified' | 'verified-with-findings' | 'failed';

export interface SignatureResult {
  /** The recomputed key id of the trusted key that verified it; the hint when no trusted key did. */
  keyId: string;
  /** The envelope's keyid (unauthenticated). */
  hint: string;
  name?: string;
  role?: string;
  /** A trusted key verified this signature, or the hint names a trusted key. */
  trusted: boolean;
  /** The signature verified (strict RFC 8032 over the PAE bytes) with a trusted key. */
  valid: boolean;
  /** Counted toward the threshold: trusted, valid, in its validity window, first for its key. */
  counted: boolean;
  reason?: string;
}

export interface TrustResult {
  source: string;
  threshold: number;
  /** Distinct keys counted. */
  counted: number;
  required: string[];
  missingRequired: string[];
  satisfied: boolean;
}

export interface VerificationReport {
  formatVersion: number;
  bundle: {
    id: string | null;
    capturedAt: string | null;
    cluster: { name?: string; uid?: string };
    partial: boolean | null;
    collectorVersion: string | null;
    previousBundle: { bundleId: string; digest: string } | null;
  };
  verdict: Verdict;
  integrity: { ok: boolean; files: number; bytes: number };
  signatures: SignatureResult[];
  trust: TrustResult;
  findings: Finding[];
  analysis: { ran: boolean; findings: Finding[] };
}
