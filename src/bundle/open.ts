/** openBundle: strict parse + integrity checks, WITHOUT a trust root (for resolve/report/inspect/diff). */
import type { Capture } from '../model/collection.ts';
import type { Finding } from '../model/finding.ts';
import { BundleFormatError } from '../errors.ts';
import { readArchive, type ArchiveReadResult, type Caps } from './reader.ts';
import { checkBag, checkStatement, scanContent, type BagCheck } from './check.ts';
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
  /** The checks made while opening: verify/verify.ts verifyChecks turns them into a verification with a trust root, without reading again. */
  checks: BundleChecks;
}

/**
 * What every reader of a bundle checks, computed once per archive read (issue 13: diff and chain read each
 * archive once): the bag structure, manifests, digests and strict JSON of every file (checkBag), the statement
 * bound to the bag, and the content scan. verifyIntegrity and openBundle are both made of these.
 */
export interface BundleChecks {
  /** A read that was not fatal. */
  read: ArchiveReadResult;
  bag: BagCheck;
  /**
   * checkStatement of the payload (no findings when there is no payload: checkBag reported that). Absent until
   * made: verifyIntegrity checks the signatures over the payload bytes before it parses the statement.
   */
  statement?: { statement?: Statement; findings: Finding[] };
  /** scanContent of the bag; absent until made. */
  content?: Finding[];
}

/** The checks of a non-fatal archive read (all of them, or only the bag with `bagOnly`). */
export function checkBundle(read: ArchiveReadResult, bagOnly = false): BundleChecks {
  const checks: BundleChecks = { read, bag: checkBag(read) };
  if (!bagOnly) {
    statementOf(checks);
    contentOf(checks);
  }
  return checks;
}

/** The statement check of `checks`, made (and kept) on first use. */
export function statementOf(checks: BundleChecks): NonNullable<BundleChecks['statement']> {
  const bag = checks.bag;
  return (checks.statement ??= bag.payload ? checkStatement(bag.payload, bag) : { findings: [] });
}

/** The content scan of `checks`, made (and kept) on first use. */
export function contentOf(checks: BundleChecks): Finding[] {
  return (checks.content ??= scanContent(checks.bag.files, checks.bag.capture, checks.bag.keyScan));
}

/**
 * Opens a bundle: strict archive read, bag checks, digests, statement binding. Does not verify signatures
 * (use verifyBundle for that). Integrity problems are findings; the caller decides whether to go on.
 * @throws BundleFormatError when the bytes are not a readable bundle at all (fatal archive problems,
 *   no collection record, no statement).
 */
export function openBundle(bytes: Uint8Array, caps?: Partial<Caps>): OpenedBundle {
  return openRead(readArchive(bytes, caps));
}

/** openBundle of an archive already read (readArchive), so a caller that needed the read first does not read twice. */
export function openRead(read: ArchiveReadResult): OpenedBundle {
  if (read.fatal) {
    throw new BundleFormatError('NOT_A_BUNDLE', `not a readable bundle: ${read.findings.map((f) => f.message).join('; ')}`);
  }
  const checks = checkBundle(read);
  const { bag } = checks;
  const st = checks.statement!;
  const findings = [...read.findings, ...bag.findings];
  if (!bag.capture) throw new BundleFormatError('NOT_A_BUNDLE', `not a bundle: ${findings.map((f) => f.message).join('; ') || 'no collection record'}`);
  if (!bag.payload) throw new BundleFormatError('NOT_A_BUNDLE', `not a bundle: no readable signed statement (${findings.map((f) => f.message).join('; ')})`);
  findings.push(...st.findings);
  if (!st.statement) throw new BundleFormatError('NOT_A_BUNDLE', `not a bundle: ${st.findings.map((f) => f.message).join('; ')}`);
  const integrityOk = !findings.some((f) => f.severity === 'error');
  findings.push(...checks.content!);
  return { capture: bag.capture, bundleId: st.statement.predicate.bundleId, statement: st.statement, files: bag.files, findings, integrityOk, checks };
}

export { SIGNATURES_DIR };
