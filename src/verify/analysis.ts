import type { Capture } from '../model/collection.ts';
import type { Finding } from '../model/finding.ts';

export interface AnalysisOptions {
  /** Certificates expiring within this many days of capture are reported. */
  expiryWindowDays?: number;
  attachedRoutesSemantics?: 'v1.4' | 'v1.5';
}

export interface AnalysisResult {
  findings: Finding[];
}

// PLACEHOLDER (owned by the resolver work): recomputes resolution from the capture and compares it with the
// recorded status; exposure and certificate cross-checks. Replace entirely.
export function analyzeCapture(_capture: Capture, _options: AnalysisOptions = {}): AnalysisResult {
  return { findings: [] };
}
