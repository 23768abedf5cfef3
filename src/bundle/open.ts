/** openBundle: strict parse + integrity checks, WITHOUT a trust root (for resolve/report/inspect/diff). */
import type { Capture } from '../model/collection.ts';
import type { Finding } from '../model/finding.ts';
import { BundleFormatError } from '../errors.ts';
import { readArchive, type Caps } from './reader.ts';
import { checkBag, checkStatement, scanContent } from './check.ts';
import { SIGNATURES_DIR, type Statement } from './statement.ts';

export interface OpenedBundle {
  capture: Capture;
  bundleId: string;
  statement: Statement;
  /** Every file of the bag, relative to the root (views into one buffer). */
  files: ReadonlyMap<string, Uint8Array>;
  /** Archive, integrity and content findings. Signatures are NOT verified here (no trust root). */
  findings: Finding[];
  /** True when no integrity finding was raised (digests, manifests, structure, statement binding). */
  integrityOk: boolean;
}

/**
 * Opens a bundle: strict archive read, bag checks, digests, statement binding. Does not verify signatures
 * (use verifyBundle for that). Integrity problems are findings; the caller decides whether to go on.
 * @throws BundleFormatError when the bytes are not a readable bundle at all (fatal archive problems,
 *   no collection record, no statement).
 */
export function openBundle(bytes: Uint8Array, caps?: Partial<Caps>): OpenedBundle {
  const read = readArchive(bytes, caps);
  if (read.fatal) {
    throw new BundleFormatError('NOT_A_BUNDLE', `not a readable bundle: ${read.findings.map((f) => f.message).join('; ')}`);
  }
  const bag = checkBag(read);
  const findings = [...read.findings, ...bag.findings];
  if (!bag.capture) throw new BundleFormatError('NOT_A_BUNDLE', `not a bundle: ${findings.map((f) => f.message).join('; ') || 'no collection record'}`);
  if (!bag.payload) throw new BundleFormatError('NOT_A_BUNDLE', `not a bundle: no readable signed statement (${findings.map((f) => f.message).join('; ')})`);
  const st = checkStatement(bag.payload, bag);
  findings.push(...st.findings);
  if (!st.statement) throw new BundleFormatError('NOT_A_BUNDLE', `not a bundle: ${st.findings.map((f) => f.message).join('; ')}`);
  const integrityOk = !findings.some((f) => f.severity === 'error');
  findings.push(...scanContent(bag.files, bag.capture));
  return { capture: bag.capture, bundleId: st.statement.predicate.bundleId, statement: st.statement, files: bag.files, findings, integrityOk };
}

export { SIGNATURES_DIR };
