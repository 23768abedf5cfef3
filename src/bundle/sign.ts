/** addSignature: countersign a bundle without changing any hashed byte (docs/bundle-format.md §2). Pure. */
import { BundleFormatError } from '../errors.ts';
import { pae, verify, type PublicKey, type SigningKey } from '../crypto/index.ts';
import { readArchive } from './reader.ts';
import { checkBag, checkStatement } from './check.ts';
import { assembleArchive, captureSeconds } from './build.ts';
import { PAYLOAD_TYPE, signPayload, SIGNATURES_DIR } from './statement.ts';

/** A public key that existing signatures are checked against (the signer's own, or from a trust root). */
export interface CheckKey {
  keyId: string;
  publicKey: PublicKey;
  name?: string;
}

/**
 * An existing signature of the bundle: `valid`/`invalid` when a known key decides it (the envelope keyid
 * names it, or any known key verifies it), `unchecked` when no known key can (the public key is not in the
 * bundle: Ed25519 cannot be checked without it).
 */
export interface ExistingSignature {
  /** The envelope's keyid (a hint), or the key that verifies it. */
  keyId: string;
  status: 'valid' | 'invalid' | 'unchecked';
  name?: string;
}

export interface CountersignResult {
  bytes: Uint8Array;
  /** True when `key` had already signed validly: `bytes` is the input, unchanged. */
  unchanged: boolean;
  /** Every signature the bundle held before, checked against `key` and `opts.keys`. */
  existing: ExistingSignature[];
  /** True when an invalid signature by `key` itself was replaced by a valid one. */
  replacedOwn: boolean;
}

/**
 * Adds `key`'s signature to the bundle's DSSE envelope and a `signatures/<keyid>.sig` file. Verifies
 * integrity first (structure, manifests, digests, statement binding); existing signatures are kept as they
 * are. Idempotent: when `key` already signed, the input bytes are returned unchanged.
 * @throws BundleFormatError when the bundle is unreadable or fails an integrity check.
 */
export function addSignature(bundle: Uint8Array, key: SigningKey): Uint8Array {
  return countersign(bundle, key).bytes;
}

/**
 * addSignature with the existing signatures checked (issue 8 item 19): each against the signer's own public
 * key and `opts.keys` (e.g. a trust root), found by the keyid hint first and then by trying every key, as
 * the verifier does. An invalid existing signature by `key` itself is replaced; other signatures are kept as
 * they are (the caller decides whether to countersign a bundle holding an invalid one).
 * @throws BundleFormatError when the bundle is unreadable or fails an integrity check.
 */
export function countersign(bundle: Uint8Array, key: SigningKey, opts: { keys?: readonly CheckKey[] } = {}): CountersignResult {
  const read = readArchive(bundle);
  if (read.fatal) throw new BundleFormatError('NOT_A_BUNDLE', `cannot sign: not a readable bundle: ${read.findings.map((f) => f.message).join('; ')}`);
  const bag = checkBag(read);
  const problems = [...read.findings, ...bag.findings].filter((f) => f.severity === 'error');
  if (!bag.payload) throw new BundleFormatError('NOT_A_BUNDLE', `cannot sign: no readable statement (${problems.map((f) => f.message).join('; ')})`);
  const st = checkStatement(bag.payload, bag);
  problems.push(...st.findings);
  if (problems.length > 0 || !st.statement) {
    throw new BundleFormatError('NOT_A_BUNDLE', `cannot sign: the bundle fails integrity checks: ${problems.map((f) => f.message).join('; ')}`);
  }
  const known: CheckKey[] = [{ keyId: key.keyId, publicKey: key.publicKey, name: 'this signing key' }, ...(opts.keys ?? []).filter((k) => k.keyId !== key.keyId)];
  const msg = pae(PAYLOAD_TYPE, bag.payload);
  const existing: ExistingSignature[] = bag.signatures.map((s) => {
    const hinted = known.find((k) => k.keyId === s.hint);
    const order = hinted ? [hinted, ...known.filter((k) => k !== hinted)] : known;
    const by = s.sig ? order.find((k) => verify(s.sig!, msg, k.publicKey)) : undefined;
    if (by) return { keyId: by.keyId, status: 'valid', ...(by.name !== undefined ? { name: by.name } : {}) };
    if (hinted) return { keyId: s.hint, status: 'invalid', ...(hinted.name !== undefined ? { name: hinted.name } : {}) };
    return { keyId: s.hint, status: 'unchecked' };
  });
  const own = existing.find((e) => e.keyId === key.keyId);
  if (own?.status === 'valid') return { bytes: bundle, unchanged: true, existing, replacedOwn: false };
  const sigs = new Map<string, Uint8Array>();
  for (const s of bag.signatures) sigs.set(s.hint, s.sig!);
  sigs.set(key.keyId, signPayload(bag.payload, key));
  const hashed = new Map<string, Uint8Array>();
  for (const [p, b] of bag.files) if (!p.startsWith(SIGNATURES_DIR)) hashed.set(p, b);
  const bytes = assembleArchive(bag.root, hashed, bag.payload, sigs, captureSeconds(st.statement.predicate.capturedAt));
  return { bytes, unchanged: false, existing, replacedOwn: own !== undefined };
}
