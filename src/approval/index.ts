/**
 * Signed change approvals (issue 9; docs/approvals.md). Pure: bytes and keys in, envelope or findings out.
 *
 * An approval is an in-toto Statement v1 in a DSSE envelope, signed with Ed25519 like a bundle
 * (docs/bundle-format.md §2), with our predicate type APPROVAL_PREDICATE_TYPE. Its subjects are both bundles,
 * each named by bundle id with the digest of its tag manifest (the content digest a countersignature does not
 * change); its predicate holds the SHA-256 of the canonical semantic diff between them (the object diff of
 * `gwe diff`, RFC 8785 canonical JSON), the ticket, the note, the approver's key id and the approval time.
 * A verifier recomputes the diff from the two bundles: an approval for another diff is rejected.
 */
import type { Capture } from '../model/collection.ts';
import type { Finding } from '../model/finding.ts';
import { canonicalBytes } from '../bundle/canonical.ts';
import { parseStrictJson } from '../bundle/strict-json.ts';
import { decodeBase64, PAYLOAD_TYPE, STATEMENT_TYPE } from '../bundle/statement.ts';
import { pae, sha256Hex, sign, verify, type SigningKey } from '../crypto/index.ts';
import { diffObjects } from '../diff/objects.ts';
import type { ObjectsDiff } from '../diff/types.ts';
import type { TrustedKey, TrustRoot } from '../verify/trust.ts';
import { rfc3339Ms } from '../model/time.ts';

export const APPROVAL_PREDICATE_TYPE = 'https://gateway-evidence.dev/approval/v1';
/** The trust-file role an approval key must carry. */
export const APPROVER_ROLE = 'approver';

/** One side of an approval: a bundle by id and content digest (`sha256:<hex of its tag manifest>`). */
export interface ApprovalSide {
  bundleId: string;
  contentDigest: string;
  capture: Capture;
}

export interface ApprovalPredicate {
  old: { bundleId: string; digest: string };
  new: { bundleId: string; digest: string };
  diff: { sha256: string; added: number; removed: number; modified: number };
  approver: { keyId: string };
  approvedAt: string;
  ticket?: string;
  note?: string;
}

export interface ApprovalStatement {
  _type: string;
  subject: { name: string; digest: { sha256: string } }[];
  predicateType: string;
  predicate: ApprovalPredicate;
}

/** The semantic object diff an approval signs (the `objects` section of `gwe diff --format json`). */
export function approvalDiff(oldC: Capture, newC: Capture): ObjectsDiff {
  return diffObjects(oldC.snapshot.objects, newC.snapshot.objects);
}

/** SHA-256 (hex) of the canonical JSON of the object diff. */
export function diffDigest(diff: ObjectsDiff): string {
  return sha256Hex(canonicalBytes(diff));
}

const hexOf = (digest: string): string => digest.replace(/^sha256:/, '');

/**
 * Builds and signs an approval of the change from `oldSide` to `newSide`.
 * @returns the canonical DSSE envelope bytes (approval.json)
 */
export function createApproval(oldSide: ApprovalSide, newSide: ApprovalSide, key: SigningKey, opts: { approvedAt: string; ticket?: string; note?: string }): { bytes: Uint8Array; statement: ApprovalStatement } {
  const diff = approvalDiff(oldSide.capture, newSide.capture);
  const predicate: ApprovalPredicate = {
    old: { bundleId: oldSide.bundleId, digest: oldSide.contentDigest },
    new: { bundleId: newSide.bundleId, digest: newSide.contentDigest },
    diff: { sha256: diffDigest(diff), added: diff.added.length, removed: diff.removed.length, modified: diff.modified.length },
    approver: { keyId: key.keyId },
    approvedAt: opts.approvedAt,
    ...(opts.ticket !== undefined ? { ticket: opts.ticket } : {}),
    ...(opts.note !== undefined ? { note: opts.note } : {}),
  };
  const statement: ApprovalStatement = {
    _type: STATEMENT_TYPE,
    subject: [
      { name: oldSide.bundleId, digest: { sha256: hexOf(oldSide.contentDigest) } },
      { name: newSide.bundleId, digest: { sha256: hexOf(newSide.contentDigest) } },
    ],
    predicateType: APPROVAL_PREDICATE_TYPE,
    predicate,
  };
  const payload = canonicalBytes(statement);
  const sig = sign(pae(PAYLOAD_TYPE, payload), key);
  const env = { payload: Buffer.from(payload).toString('base64'), payloadType: PAYLOAD_TYPE, signatures: [{ keyid: key.keyId, sig: Buffer.from(sig).toString('base64') }] };
  return { bytes: canonicalBytes(env), statement };
}

/** What checking one approval file gives. */
export interface ApprovalCheck {
  /** File name as given. */
  name: string;
  /**
   * Signature by a trusted key with the approver role, for exactly these two bundles and this diff. Without the
   * old bundle (a report of the new one only), valid covers the signature, the role and the new bundle, and
   * `diffChecked` is false.
   */
  valid: boolean;
  diffChecked: boolean;
  approver?: string;
  keyId?: string;
  ticket?: string;
  note?: string;
  approvedAt?: string;
  /** The bundles the approval names (when its statement could be read). */
  old?: { bundleId: string; digest: string };
  new?: { bundleId: string; digest: string };
  findings: Finding[];
}

/** Reads an approval's statement without checking anything (to match it to a chain link). */
export function peekApproval(bytes: Uint8Array): ApprovalStatement | undefined {
  const env = parseStrictJson(bytes);
  if (!env.ok || env.value === null || typeof env.value !== 'object') return undefined;
  const payload = typeof (env.value as Record<string, unknown>)['payload'] === 'string' ? decodeBase64((env.value as Record<string, string>)['payload']!) : undefined;
  if (!payload) return undefined;
  const st = parseStrictJson(payload);
  return st.ok && isStatement(st.value) ? st.value : undefined;
}

function isStatement(v: unknown): v is ApprovalStatement {
  if (v === null || typeof v !== 'object') return false;
  const s = v as Record<string, unknown>;
  const p = s['predicate'] as Record<string, unknown> | undefined;
  const side = (x: unknown): boolean => x !== null && typeof x === 'object' && typeof (x as Record<string, unknown>)['bundleId'] === 'string' && typeof (x as Record<string, unknown>)['digest'] === 'string';
  return (
    s['_type'] === STATEMENT_TYPE && s['predicateType'] === APPROVAL_PREDICATE_TYPE && Array.isArray(s['subject']) && p !== undefined && p !== null && typeof p === 'object' &&
    side(p['old']) && side(p['new']) && typeof (p['diff'] as Record<string, unknown> | undefined)?.['sha256'] === 'string' && typeof p['approvedAt'] === 'string' &&
    typeof (p['approver'] as Record<string, unknown> | undefined)?.['keyId'] === 'string'
  );
}

function inWindow(key: TrustedKey, at: string): boolean {
  const t = rfc3339Ms(at);
  if (t === undefined) return false;
  const nb = key.notBefore !== undefined ? rfc3339Ms(key.notBefore) : undefined;
  const na = key.notAfter !== undefined ? rfc3339Ms(key.notAfter) : undefined;
  if (nb !== undefined && t < nb) return false;
  if (na !== undefined && t > na) return false;
  return true;
}

/**
 * Checks an approval against the two bundles and the trust root. Findings (all errors unless noted):
 *   APPROVAL_INVALID            not a DSSE envelope of an approval statement
 *   APPROVAL_SIGNATURE_INVALID  no signature verifies with any trusted key
 *   APPROVAL_UNTRUSTED          (same, when no trusted key matches the keyid: the approver is not in the trust file)
 *   APPROVAL_ROLE_MISSING       signed by a trusted key that does not carry the `approver` role
 *   APPROVAL_KEY_OUT_OF_WINDOW  the approver key was not valid at approvedAt
 *   APPROVAL_SUBJECT_MISMATCH   the approval names other bundles (ids or content digests) than the link
 *   APPROVAL_DIFF_MISMATCH      the diff recomputed from the two bundles has another digest (the bundles changed)
 */
export function checkApproval(name: string, bytes: Uint8Array, oldSide: ApprovalSide | undefined, newSide: ApprovalSide, trust: TrustRoot): ApprovalCheck {
  const out: ApprovalCheck = { name, valid: false, diffChecked: oldSide !== undefined, findings: [] };
  const bad = (code: string, message: string, detail?: Record<string, unknown>): void => {
    out.findings.push({ code, severity: 'error', subject: name, message: `${name}: ${message}`, ...(detail ? { detail } : {}) });
  };
  const env = parseStrictJson(bytes);
  const e = env.ok ? (env.value as Record<string, unknown>) : undefined;
  if (!e || typeof e !== 'object' || Array.isArray(e) || e['payloadType'] !== PAYLOAD_TYPE || typeof e['payload'] !== 'string' || !Array.isArray(e['signatures'])) {
    bad('APPROVAL_INVALID', `expected a DSSE envelope {payload, payloadType: ${PAYLOAD_TYPE}, signatures}, found ${env.ok ? 'another shape' : env.message}`);
    return out;
  }
  const payload = decodeBase64(e['payload']);
  if (!payload) {
    bad('APPROVAL_INVALID', 'expected payload as base64, found something else');
    return out;
  }
  // Signatures first, over the PAE of the exact payload bytes; parse the statement afterwards (DSSE protocol).
  const msg = pae(PAYLOAD_TYPE, payload);
  let signer: TrustedKey | undefined;
  let hinted = false;
  for (const s of e['signatures'] as unknown[]) {
    const o = s as Record<string, unknown>;
    if (o === null || typeof o !== 'object' || typeof o['sig'] !== 'string') continue;
    const sig = decodeBase64(o['sig']);
    if (!sig || sig.length !== 64) continue;
    if (trust.keys.some((k) => k.keyId === o['keyid'])) hinted = true;
    const approverFirst = [...trust.keys].sort((a, b) => Number(b.role === APPROVER_ROLE) - Number(a.role === APPROVER_ROLE));
    const k = approverFirst.find((key) => verify(sig, msg, key.publicKey));
    if (k && (!signer || (signer.role !== APPROVER_ROLE && k.role === APPROVER_ROLE))) signer = k;
  }
  if (!signer) {
    if (hinted) bad('APPROVAL_SIGNATURE_INVALID', `expected a valid Ed25519 signature over the DSSE PAE by a key of ${trust.source}, found none that verifies`);
    else bad('APPROVAL_UNTRUSTED', `expected a signature by a key with role "${APPROVER_ROLE}" in ${trust.source}, found only signatures by keys it does not hold`);
    return out;
  }
  out.approver = signer.name;
  out.keyId = signer.keyId;
  const st = parseStrictJson(payload);
  if (!st.ok || !isStatement(st.value)) {
    bad('APPROVAL_INVALID', `expected an in-toto Statement with predicateType ${APPROVAL_PREDICATE_TYPE} and predicate {old, new, diff, approver, approvedAt}, found ${st.ok ? 'another shape' : st.message}`);
    return out;
  }
  const p = st.value.predicate;
  out.approvedAt = p.approvedAt;
  out.old = { bundleId: p.old.bundleId, digest: p.old.digest };
  out.new = { bundleId: p.new.bundleId, digest: p.new.digest };
  if (p.ticket !== undefined) out.ticket = String(p.ticket);
  if (p.note !== undefined) out.note = String(p.note);
  let ok = true;
  if (signer.role !== APPROVER_ROLE) {
    ok = false;
    bad('APPROVAL_ROLE_MISSING', `signed by ${signer.name} (${signer.keyId}), whose role in ${trust.source} is ${signer.role === undefined ? 'not set' : JSON.stringify(signer.role)}; expected role "${APPROVER_ROLE}"`);
  }
  if (!inWindow(signer, p.approvedAt)) {
    ok = false;
    bad('APPROVAL_KEY_OUT_OF_WINDOW', `approver key ${signer.name} was not valid at approvedAt ${p.approvedAt} (${signer.notBefore ?? '-'} .. ${signer.notAfter ?? '-'})`);
  }
  if (p.approver.keyId !== signer.keyId) {
    ok = false;
    bad('APPROVAL_INVALID', `predicate approver.keyId ${p.approver.keyId} is not the key that signed it (${signer.keyId})`);
  }
  const oldOk = oldSide === undefined || (p.old.bundleId === oldSide.bundleId && p.old.digest === oldSide.contentDigest && st.value.subject[0]?.digest?.sha256 === hexOf(oldSide.contentDigest));
  const subjectsOk = oldOk && p.new.bundleId === newSide.bundleId && p.new.digest === newSide.contentDigest && st.value.subject.length === 2 && st.value.subject[1]?.digest?.sha256 === hexOf(newSide.contentDigest);
  if (!subjectsOk) {
    ok = false;
    bad('APPROVAL_SUBJECT_MISMATCH', `approves ${p.old.bundleId} (${p.old.digest}) -> ${p.new.bundleId} (${p.new.digest}); expected ${oldSide ? `${oldSide.bundleId} (${oldSide.contentDigest})` : p.old.bundleId} -> ${newSide.bundleId} (${newSide.contentDigest})`);
  }
  const digest = oldSide ? diffDigest(approvalDiff(oldSide.capture, newSide.capture)) : p.diff.sha256;
  if (digest !== p.diff.sha256) {
    ok = false;
    bad('APPROVAL_DIFF_MISMATCH', `approves the diff with sha256 ${p.diff.sha256}; the diff of the two bundles has sha256 ${digest} (the bundles changed after approval)`, { expected: p.diff.sha256, found: digest });
  }
  out.valid = ok;
  return out;
}
