/**
 * A chain of bundles (issue 5, "A chain of quarterly bundles"): each bundle verifies on its own, each
 * links to the one before through its signed statement's `previousBundle` {bundleId, digest}
 * (docs/bundle-format.md §2), and capture times strictly increase. The digest is accepted in either of two
 * forms, both `sha256:<hex>`: of the previous bundle FILE, or of its tag manifest (the content the previous
 * statement signs; what `gwe collect --previous` records, src/collect.ts readPrevious, because a later
 * countersignature changes the archive bytes but not the tag manifest). Pure: bytes in, report out; the per-bundle verifier is passed in.
 */
import type { Caps } from '../bundle/reader.ts';
import type { Finding } from '../model/finding.ts';
import { sha256Hex } from '../crypto/index.ts';
import { readBundle, type ReadBundle } from '../diff/read.ts';
import { sortFindings } from '../diff/findings.ts';
import { BaseError } from '../errors.ts';
import { verifyBundle, type VerifyOptions } from '../verify/verify.ts';
import { diffCaptures, type DiffOptions } from '../diff/index.ts';
import type { BundleDiff, ObjectsDiff } from '../diff/types.ts';
import { rfc3339Ms } from '../model/time.ts';
import type { TrustRoot } from '../verify/trust.ts';
import { approvalDiff, checkApproval, peekApproval, type ApprovalSide, type ApprovalStatement } from '../approval/index.ts';

export interface ChainInput {
  /** File name as given (used in messages). */
  name: string;
  bytes: Uint8Array;
}

/** Result of verifying one bundle on its own (integrity, signatures, trust). */
export interface BundleCheck {
  /** False when the bundle cannot be trusted (integrity or signature/trust failure). */
  ok: boolean;
  /** Verifier verdict word, e.g. `verified`, `failed`. */
  verdict: string;
  findings: Finding[];
}

/** Verifies one bundle; the CLI passes `verifyBundle` with the trust root bound. */
export type VerifyOne = (bytes: Uint8Array, name: string) => BundleCheck;

/**
 * A VerifyOne over verifyBundle with a trust root bound. A bundle breaks the chain only when it cannot be
 * trusted (verdict `failed`: integrity, signature or trust); analysis findings are that quarter's content.
 */
export function bundleVerifier(opts: VerifyOptions): VerifyOne {
  return (bytes) => {
    const r = verifyBundle(bytes, opts);
    // A partial link does not break the chain, but its BUNDLE_PARTIAL warning is kept (issue 8 item 8: a
    // partial bundle never verifies with exit 0, in a chain either).
    return { ok: r.verdict !== 'failed', verdict: r.verdict, findings: r.verdict === 'failed' ? r.findings.filter((f) => f.severity === 'error') : r.findings.filter((f) => f.code === 'BUNDLE_PARTIAL') };
  };
}

export interface ChainOptions {
  verify: VerifyOne;
  /** Reads a bundle (default readBundle without caps); the CLI shares one read per bundle with the verifier and the history. */
  read?: (bundle: ChainInput) => ReadBundle;
  /** Signed change approvals (approval.json files, docs/approvals.md), matched to links by the bundles they name. */
  approvals?: readonly ChainInput[];
  /** Trust root whose `approver`-role keys may sign approvals (the CLI passes the chain's trust file). */
  approvalTrust?: TrustRoot;
  /** Policy `requireApprovals`: a link with object changes and no valid approval is UNAPPROVED_CHANGE. */
  requireApprovals?: boolean;
  /**
   * Called once for each consecutive pair (`index` >= 1, in order) after bundle `index` is verified and read and
   * before bundle `index + 1` is: the change history is made here, while both sides are live, so that a chain
   * holds at most two bundles' reads and analyses at a time (issue 13). `objects` is the object diff of the two
   * link reads when both were read (the diff approvals sign: diffObjects with the default ignores).
   */
  onPair?: (index: number, objects: ObjectsDiff | undefined) => void;
  /** Called once per bundle when the chain no longer needs its read (after the pair it opens), oldest first. */
  release?: (bundle: ChainInput, index: number) => void;
  /**
   * The verifier's clock (ms since the epoch), read at the edge. A link whose self-asserted capture time is
   * after it is named (CHAIN_TIME_IN_FUTURE), and blamed when the next link then looks out of order.
   */
  now?: number;
}

/** An approval as shown on a link. */
export interface LinkApproval {
  file: string;
  valid: boolean;
  approver?: string;
  keyId?: string;
  ticket?: string;
  note?: string;
  approvedAt?: string;
}

/** Clock skew tolerated before a capture time counts as in the future (the collector allows the same). */
const CLOCK_SKEW_MS = 5 * 60_000;

export interface ChainLink {
  index: number;
  name: string;
  /** `sha256:<hex>` of the bundle file. */
  digest: string;
  /** `sha256:<hex>` of the bundle's tag manifest (content digest), when readable. */
  contentDigest?: string;
  bundleId?: string;
  capturedAt?: string;
  formatVersion?: string;
  /** Verifier verdict for this bundle alone. */
  verdict: string;
  verified: boolean;
  /** previousBundle as recorded in this bundle's statement. */
  previous?: { bundleId: string; digest: string };
  /** For index > 0: whether previousBundle names the bundle given before this one (id and digest). */
  linksToPrevious?: boolean;
  /** Which digest of the previous bundle the link matched. */
  linkDigestKind?: 'file' | 'content';
  /** For index > 0: object changes since the previous bundle (the diff approvals sign). */
  changes?: { added: number; removed: number; modified: number };
  /** For index > 0: the approvals given for this link. */
  approvals?: LinkApproval[];
}

export interface ChainReport {
  /** True when every bundle verified, every link holds and capture times strictly increase. */
  ok: boolean;
  links: ChainLink[];
  /** Chain findings and each bundle's verification findings (subject = bundle file name). Sorted. */
  findings: Finding[];
  /** When the bundles link up in another order: the file names in that order. */
  suggestedOrder?: string[];
}

export function fileDigest(bytes: Uint8Array): string {
  return `sha256:${sha256Hex(bytes)}`;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * Verifies a chain of bundles given oldest first.
 * @returns a ChainReport; never throws for bad bundles (an unreadable bundle is a finding)
 * @example
 *   const r = verifyChain([{ name: 'q1.tar.gz', bytes: q1 }, { name: 'q2.tar.gz', bytes: q2 }], { verify });
 *   r.ok; r.findings.filter((f) => f.code === 'CHAIN_LINK_DIGEST_MISMATCH');
 */
export function verifyChain(bundles: readonly ChainInput[], opts: ChainOptions): ChainReport {
  const findings: Finding[] = [];
  const add = (code: string, subject: string, message: string, detail?: Record<string, unknown>, severity: Finding['severity'] = 'error'): void => {
    const f: Finding = { code, severity, subject, message };
    if (detail) f.detail = detail;
    findings.push(f);
  };
  if (bundles.length < 2) add('CHAIN_TOO_SHORT', bundles[0]?.name ?? '(none)', `a chain needs at least 2 bundles, found ${bundles.length}`);

  // Issue 13: a sliding window of reads. Bundle i's read is dropped once the pair (i, i+1) is compared; the
  // links keep the few facts the chain checks need (readable, id, capture time, digests).
  const readable: boolean[] = [];
  const approvals = linkApprovals(opts);
  let prevRead: ReadBundle | undefined;
  const links: ChainLink[] = [];
  bundles.forEach((b, index) => {
    const digest = fileDigest(b.bytes);
    const check = opts.verify(b.bytes, b.name);
    for (const f of check.findings) findings.push({ ...f, subject: f.subject ? `${b.name}: ${f.subject}` : b.name });
    const link: ChainLink = { index, name: b.name, digest, verdict: check.verdict, verified: check.ok };
    if (!check.ok) {
      add('CHAIN_BUNDLE_UNVERIFIED', b.name, `bundle ${index + 1} of ${bundles.length} (${b.name}) did not verify (verdict ${check.verdict}); the chain cannot be trusted past it`, { index });
    }
    let read: ReadBundle | undefined;
    try {
      read = opts.read ? opts.read(b) : readBundle(b.bytes, b.name);
    } catch (e) {
      if (!(e instanceof BaseError)) throw e;
      add('CHAIN_BUNDLE_UNREADABLE', b.name, e.message, { index });
    }
    readable.push(read !== undefined);
    if (read) {
      link.bundleId = read.bundleId;
      link.capturedAt = read.capture.record.capturedAt;
      link.formatVersion = read.formatVersion;
      if (read.previousBundle) link.previous = read.previousBundle;
      if (read.contentDigest) link.contentDigest = read.contentDigest;
    }
    links.push(link);
    if (index > 0) {
      const objects = approvals.pair(index, prevRead, read);
      opts.onPair?.(index, objects);
      opts.release?.(bundles[index - 1]!, index - 1);
    }
    prevRead = read;
  });
  prevRead = undefined;
  if (bundles.length > 0) opts.release?.(bundles[bundles.length - 1]!, bundles.length - 1);

  // Issue 8 item 16: a capture time after the verifier's clock is self-asserted and proves nothing; it also
  // breaks every later link (each must claim a later time still). Name the link that claims it.
  const future = (l: ChainLink): boolean => {
    const t = rfc3339Ms(l.capturedAt);
    return opts.now !== undefined && t !== undefined && t > opts.now + CLOCK_SKEW_MS;
  };
  for (const l of links) {
    if (!future(l)) continue;
    add('CHAIN_TIME_IN_FUTURE', l.name, `${l.name}: captured at ${l.capturedAt}, after the verifier's clock (${new Date(opts.now!).toISOString().replace(/\.\d{3}Z$/, 'Z')}); a capture time is what the collector signed, and one in the future breaks every later link`, {
      index: l.index,
      capturedAt: l.capturedAt,
    });
  }

  const seen = new Map<string, number>();
  for (const l of links) {
    const key = l.contentDigest ?? l.digest;
    const first = seen.get(key);
    if (first !== undefined) add('CHAIN_DUPLICATE_BUNDLE', l.name, `${l.name} holds the same bundle as ${links[first]!.name} (${key})`, { index: l.index, sameAs: first });
    else seen.set(key, l.index);
  }

  for (let i = 0; i < links.length; i++) {
    const cur = links[i]!;
    const prevLink = i > 0 ? links[i - 1] : undefined;
    if (!readable[i]) continue;
    if (cur.previous && !DIGEST.test(cur.previous.digest)) {
      add('CHAIN_LINK_DIGEST_INVALID', cur.name, `${cur.name}: previousBundle.digest: expected sha256:<64 lowercase hex>, found ${JSON.stringify(cur.previous.digest)}`, { index: i });
    }
    if (!prevLink) {
      if (cur.previous) {
        add('CHAIN_STARTS_MID_CHAIN', cur.name, `${cur.name} follows bundle ${cur.previous.bundleId} (${cur.previous.digest}), which was not given; the chain is checked from here`, { index: i, previous: cur.previous }, 'info');
      }
      continue;
    }
    // Link: the signed statement names the bundle before it, by id and by the digest of the file.
    if (!cur.previous) {
      cur.linksToPrevious = false;
      add('CHAIN_LINK_MISSING', cur.name, `${cur.name}: expected previousBundle naming ${prevLink.bundleId ?? prevLink.name} (${prevLink.contentDigest ?? prevLink.digest}), found no previousBundle in the signed statement`, {
        index: i,
        expected: { bundleId: prevLink.bundleId, digest: prevLink.contentDigest ?? prevLink.digest },
      });
    } else {
      const byFile = cur.previous.digest === prevLink.digest;
      const byContent = prevLink.contentDigest !== undefined && cur.previous.digest === prevLink.contentDigest;
      const digestOk = byFile || byContent;
      if (digestOk) cur.linkDigestKind = byFile ? 'file' : 'content';
      const idOk = prevLink.bundleId !== undefined && cur.previous.bundleId === prevLink.bundleId;
      cur.linksToPrevious = digestOk && idOk;
      const other = digestOk ? undefined : links.find((l) => l.digest === cur.previous!.digest || l.contentDigest === cur.previous!.digest);
      const namedTime = captureTimeOfId(cur.previous.bundleId);
      // Missing link: the named previous bundle was captured strictly between the two bundles given, and is
      // not among the bundles given: a quarter is missing from the chain (not a forgery of the one given).
      const missingBetween =
        !digestOk && !idOk && !other && namedTime !== undefined && prevLink.capturedAt !== undefined && cur.capturedAt !== undefined &&
        namedTime > (rfc3339Ms(prevLink.capturedAt) ?? NaN) && namedTime < (rfc3339Ms(cur.capturedAt) ?? NaN);
      if (missingBetween) {
        add(
          'CHAIN_BUNDLE_MISSING',
          cur.name,
          `a bundle is missing between ${prevLink.name} and ${cur.name}: ${cur.name} follows ${cur.previous.bundleId} (${cur.previous.digest}), captured after ${prevLink.name} and not given; expected the chain to include it`,
          { index: i, missing: cur.previous, after: prevLink.name },
        );
      } else if (!digestOk) {
        const where = other ? `, which is ${other.name} (given at position ${other.index + 1})` : '';
        const rewritten = !other && cur.previous.bundleId === prevLink.bundleId;
        add(
          rewritten ? 'CHAIN_LINK_REWRITTEN' : 'CHAIN_LINK_DIGEST_MISMATCH',
          cur.name,
          `${cur.name}: previousBundle.digest is ${cur.previous.digest}${where}; expected ${prevLink.contentDigest ?? prevLink.digest} (content) or ${prevLink.digest} (file) of ${prevLink.name}` +
            (rewritten ? ` (same bundle id ${prevLink.bundleId}: the previous bundle file was rewritten after this one was signed)` : ''),
          { index: i, expected: { file: prevLink.digest, content: prevLink.contentDigest }, found: cur.previous.digest },
        );
      }
      if (!idOk && !missingBetween) {
        add('CHAIN_LINK_ID_MISMATCH', cur.name, `${cur.name}: previousBundle.bundleId is ${cur.previous.bundleId}; expected ${prevLink.bundleId ?? '(unreadable)'} of ${prevLink.name}`, {
          index: i,
          expected: prevLink.bundleId,
          found: cur.previous.bundleId,
        });
      }
    }
    // Capture times strictly increase along the chain (rollback/freeze detection).
    if (prevLink.capturedAt !== undefined && cur.capturedAt !== undefined) {
      const a = rfc3339Ms(prevLink.capturedAt) ?? NaN;
      const b = rfc3339Ms(cur.capturedAt) ?? NaN;
      if (!(b > a)) {
        // Which link is out of line: the previous one when it is in the future, or when this one follows the link
        // before it in time (the previous one is a spike); else this one.
        const before = i >= 2 ? rfc3339Ms(links[i - 2]!.capturedAt) : undefined;
        const blamePrevious = future(prevLink) || (before !== undefined && before < b);
        const offender = blamePrevious ? prevLink : cur;
        add(
          'CHAIN_TIME_NOT_INCREASING',
          offender.name,
          `${cur.name}: expected a capture time after ${prevLink.capturedAt} (${prevLink.name}), found ${cur.capturedAt}` +
            (blamePrevious ? `; the offending link is ${prevLink.name}, whose capture time ${future(prevLink) ? 'is in the future' : `is later than both its neighbours`}` : ''),
          { index: i, previous: prevLink.capturedAt, found: cur.capturedAt, offending: offender.name },
        );
      }
    }
  }

  findings.push(...approvals.finish(links));

  const out: ChainReport = { ok: false, links, findings: [] };
  const order = impliedOrder(links);
  if (order && order.some((idx, k) => idx !== k)) {
    out.suggestedOrder = order.map((k) => links[k]!.name);
    add('CHAIN_REORDERED', links[order[0]!]!.name, `the bundles link up in another order than given: ${out.suggestedOrder.join(' -> ')}`, { order: out.suggestedOrder });
  }
  out.findings = sortFindings(findings);
  out.ok = !out.findings.some((f) => f.severity === 'error');
  return out;
}

/** The capture time a bundle id encodes (`gwe-YYYYMMDDtHHMMSSz-<hash>`, bundle/build.ts), in ms; undefined if none. */
export function captureTimeOfId(id: string): number | undefined {
  const m = /^gwe-(\d{4})(\d{2})(\d{2})t(\d{2})(\d{2})(\d{2})z-/.exec(id);
  if (!m) return undefined;
  return rfc3339Ms(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
}

/** If the previousBundle digests form one complete path through all bundles, its order (indices); else undefined. */
function impliedOrder(links: readonly ChainLink[]): number[] | undefined {
  if (links.length < 2) return undefined;
  const byDigest = new Map<string, number>();
  for (const l of links) {
    byDigest.set(l.digest, l.index);
    if (l.contentDigest) byDigest.set(l.contentDigest, l.index);
  }
  const next = new Map<number, number>();
  const hasPrev = new Set<number>();
  for (const l of links) {
    const p = l.previous ? byDigest.get(l.previous.digest) : undefined;
    if (p === undefined || p === l.index || next.has(p)) continue;
    next.set(p, l.index);
    hasPrev.add(l.index);
  }
  const heads = links.filter((l) => !hasPrev.has(l.index));
  if (heads.length !== 1) return undefined;
  const order: number[] = [];
  for (let k: number | undefined = heads[0]!.index; k !== undefined && order.length <= links.length; k = next.get(k)) order.push(k);
  return order.length === links.length ? order : undefined;
}

export interface HistoryStep {
  from: string; // file name
  to: string;
  diff: BundleDiff;
}

/**
 * The change history of a chain: one diff per consecutive pair (given order). Bundles that cannot be read
 * are skipped together with the pairs they are part of.
 */
export function changeHistory(bundles: readonly ChainInput[], opts: DiffOptions = {}, caps?: Partial<Caps>, read?: (bundle: ChainInput) => ReadBundle): HistoryStep[] {
  const reads = bundles.map((b) => readOrUndefined(b, caps, read));
  const steps: HistoryStep[] = [];
  for (let i = 1; i < bundles.length; i++) {
    const step = diffStep(bundles, i, reads[i - 1], reads[i], opts);
    if (step) steps.push(step);
  }
  return steps;
}

/**
 * The step of the change history from bundle `i - 1` to bundle `i`, or undefined when either cannot be read: what
 * changeHistory gives for that pair. A chain makes it while both sides are live (ChainOptions.onPair), passing
 * the object diff it already made for the link (`objects`: diffObjects with the default ignores, as here).
 */
export function historyStep(bundles: readonly ChainInput[], i: number, opts: DiffOptions = {}, caps?: Partial<Caps>, read?: (bundle: ChainInput) => ReadBundle, objects?: ObjectsDiff): HistoryStep | undefined {
  const a = readOrUndefined(bundles[i - 1]!, caps, read);
  if (!a) return undefined;
  return diffStep(bundles, i, a, readOrUndefined(bundles[i]!, caps, read), objects && !opts.ignorePaths ? { ...opts, objects } : opts);
}

function readOrUndefined(b: ChainInput, caps: Partial<Caps> | undefined, read: ((bundle: ChainInput) => ReadBundle) | undefined): ReadBundle | undefined {
  try {
    return read ? read(b) : readBundle(b.bytes, b.name, caps);
  } catch (e) {
    if (e instanceof BaseError) return undefined;
    throw e;
  }
}

function diffStep(bundles: readonly ChainInput[], i: number, a: ReadBundle | undefined, b: ReadBundle | undefined, opts: DiffOptions): HistoryStep | undefined {
  if (!a || !b) return undefined;
  const diff = diffCaptures(a.capture, b.capture, {
    ...opts,
    oldSide: { name: bundles[i - 1]!.name, bundleId: a.bundleId, formatVersion: a.formatVersion },
    newSide: { name: bundles[i]!.name, bundleId: b.bundleId, formatVersion: b.formatVersion },
  });
  return { from: bundles[i - 1]!.name, to: bundles[i]!.name, diff };
}

/**
 * Matches each approval to the link whose two bundles it names (by bundle id, old or new side), checks it
 * (src/approval), and records on each link its changes and approvals. An approval that names a given bundle but
 * with another partner or digest is checked against that link and fails (APPROVAL_SUBJECT_MISMATCH); one that
 * names no given bundle is APPROVAL_UNMATCHED (warning).
 *
 * Made pair by pair while both reads are live (`pair`), then `finish` gives the findings in the order a pass over
 * all links gives them. An approval that names a link's old bundle but a new bundle not read yet matches that link
 * only if no bundle of the chain has that id: its two sides are kept until the end to decide (the only case where
 * a pair outlives its turn).
 */
function linkApprovals(opts: ChainOptions): {
  pair: (i: number, a: ReadBundle | undefined, b: ReadBundle | undefined) => ObjectsDiff | undefined;
  finish: (links: ChainLink[]) => Finding[];
} {
  const approvals = opts.approvals ?? [];
  const peeked: (ApprovalStatement | undefined)[] = approvals.map((ap) => peekApproval(ap.bytes));
  const used = new Set<number>();
  const seenIds = new Set<string>();
  interface Checked {
    k: number;
    la?: LinkApproval;
    findings: Finding[];
  }
  interface PairState {
    changes: NonNullable<ChainLink['changes']>;
    checked: Checked[];
    pending: number[];
    sides?: { old: ApprovalSide; new: ApprovalSide };
  }
  const pairs = new Map<number, PairState>();
  const check = (k: number, oldSide: ApprovalSide, newSide: ApprovalSide): Checked => {
    used.add(k);
    if (!opts.approvalTrust) return { k, findings: [] };
    const ap = approvals[k]!;
    const c = checkApproval(ap.name, ap.bytes, oldSide, newSide, opts.approvalTrust);
    const la: LinkApproval = { file: ap.name, valid: c.valid };
    for (const f of ['approver', 'keyId', 'ticket', 'note', 'approvedAt'] as const) if (c[f] !== undefined) la[f] = c[f];
    return { k, la, findings: c.findings };
  };
  const pair = (i: number, a: ReadBundle | undefined, b: ReadBundle | undefined): ObjectsDiff | undefined => {
    if (i === 1 && a) seenIds.add(a.bundleId);
    if (b) seenIds.add(b.bundleId);
    if (!a || !b || !a.contentDigest || !b.contentDigest) return undefined;
    const diff = approvalDiff(a.capture, b.capture);
    const oldSide: ApprovalSide = { bundleId: a.bundleId, contentDigest: a.contentDigest, capture: a.capture };
    const newSide: ApprovalSide = { bundleId: b.bundleId, contentDigest: b.contentDigest, capture: b.capture };
    // Set on the link in `finish`, after the link checks (the JSON key order of a link is part of the output).
    const state: PairState = { changes: { added: diff.added.length, removed: diff.removed.length, modified: diff.modified.length }, checked: [], pending: [] };
    peeked.forEach((st, k) => {
      if (!st) return;
      if (st.predicate.new.bundleId === b.bundleId) state.checked.push(check(k, oldSide, newSide));
      // Matches by its old bundle only when its new bundle is no bundle of the chain: undecided until all are read.
      else if (st.predicate.old.bundleId === a.bundleId && !seenIds.has(st.predicate.new.bundleId)) state.pending.push(k);
    });
    if (state.pending.length > 0) state.sides = { old: oldSide, new: newSide };
    pairs.set(i, state);
    return diff;
  };
  const finish = (links: ChainLink[]): Finding[] => {
    const findings: Finding[] = [];
    for (let i = 1; i < links.length; i++) {
      const state = pairs.get(i);
      if (!state) continue;
      const link = links[i]!;
      link.changes = state.changes;
      const checked = [...state.checked];
      for (const k of state.pending) if (!seenIds.has(peeked[k]!.predicate.new.bundleId)) checked.push(check(k, state.sides!.old, state.sides!.new));
      checked.sort((x, y) => x.k - y.k);
      const checks: LinkApproval[] = [];
      for (const c of checked) {
        findings.push(...c.findings);
        if (c.la) checks.push(c.la);
      }
      if (checks.length > 0) link.approvals = checks;
      const changes = state.changes;
      const changed = changes.added + changes.removed + changes.modified > 0;
      if (opts.requireApprovals && changed && !checks.some((c) => c.valid)) {
        findings.push({
          code: 'UNAPPROVED_CHANGE',
          severity: 'error',
          subject: link.name,
          message: `${links[i - 1]!.name} -> ${link.name}: ${changes.added} added, ${changes.removed} removed, ${changes.modified} modified object(s); the policy requires approvals, found ${checks.length === 0 ? 'none' : 'no valid one'}`,
          detail: { index: i, changes },
        });
      }
    }
    pairs.clear();
    approvals.forEach((ap, k) => {
      if (used.has(k)) return;
      const st = peeked[k];
      findings.push(
        st
          ? { code: 'APPROVAL_UNMATCHED', severity: 'warning', subject: ap.name, message: `${ap.name}: approves ${st.predicate.old.bundleId} -> ${st.predicate.new.bundleId}, which is no link of this chain` }
          : { code: 'APPROVAL_INVALID', severity: 'error', subject: ap.name, message: `${ap.name}: expected a DSSE envelope of an approval statement (${'https://gateway-evidence.dev/approval/v1'}), found something else` },
      );
    });
    return findings;
  };
  return { pair, finish };
}
